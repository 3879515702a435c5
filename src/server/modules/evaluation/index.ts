/**
 * Evaluation: the statistics (stats/), the outcomes report (report/), its charts (charts/) and exports
 * (render/). Other modules and the CLI use these exports only.
 */
export { evaluationRoutes } from './evaluation.routes.ts';
/** The report page, a participant's chart, the pseudonymised export and funders' returns. */
export { evaluationOutputsRoutes } from './outputs.routes.ts';
export type { EvaluationTables } from './evaluation.tables.ts';
/** Builds the report for one organisation (not audited; see produceReport). */
export { buildReport, produceReport, audienceFor, DEFAULT_GROUP_LIMIT, type ReportFormat, type ReportWithCharts } from './report/report.service.ts';
/** Renders a produced report as JSON, HTML, PDF or CSV. */
export { renderReport, type RenderedReport } from './render/export.ts';
/** Vega-Lite spec builders shared by the exports and the web page. */
export { clinicalShiftChartSpec, jacobsonTruaxChartSpec, meansChartSpec } from './charts/report-charts.ts';
export type { Audience } from './report/assemble.ts';
/** Synthetic questionnaires for the demo organisation. */
export { seedDemoOutcomes, type DemoRespondent } from './demo-outcomes.ts';
/** Outcome figures for the families in a funder's contract, against its outcome targets (funding's quarterly return). */
export { outcomeFiguresForCases, outcomeSpecProblem, type OutcomeFigure, type OutcomeSpec } from './returns/case-outcomes.ts';
