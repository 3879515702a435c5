import { z } from 'zod';
import { reportSchema, respondentRoles } from './evaluation.ts';

/**
 * What people see and take away from the evaluation module beyond the report JSON itself (issue 6 items 3, 5
 * and 6): the report page's charts, a participant's own chart, the pseudonymised export for evaluators and
 * funders' saved returns. The report's own contract (evaluation.ts) is not changed by any of these.
 */

export const chartKinds = ['means', 'clinical_shift', 'jacobson_truax'] as const;

export const renderedChartSchema = z
  .object({
    instrument: z.string(),
    scale: z.string(),
    kind: z.enum(chartKinds),
    title: z.string(),
    description: z.string().describe('What the chart shows, for people who cannot see it'),
    svg: z.string().describe('The chart as SVG, rendered on the server from the same Vega-Lite spec as the HTML/PDF export'),
  })
  .meta({ id: 'EvaluationRenderedChart' });
export type RenderedChart = z.infer<typeof renderedChartSchema>;

export const reportFilterOptionsSchema = z
  .object({
    programmes: z.array(z.string()),
    sites: z.array(z.string()),
    groups: z.array(z.string()).describe('At most 200, alphabetical'),
    roles: z.array(z.enum(respondentRoles)),
    facilitators: z.array(z.object({ id: z.string(), name: z.string() })).describe('Staff who facilitated at least one group session'),
  })
  .meta({ id: 'EvaluationReportFilterOptions', description: 'Values present in the organisation’s questionnaires, for the report page’s filters' });
export type ReportFilterOptions = z.infer<typeof reportFilterOptionsSchema>;

export const reportPageSchema = z
  .object({ report: reportSchema, charts: z.array(renderedChartSchema), options: reportFilterOptionsSchema })
  .meta({ id: 'EvaluationReportPage', description: 'The outcomes report with its charts (SVG) and the filter choices, for the report page' });
export type ReportPage = z.infer<typeof reportPageSchema>;

/* A participant's own chart (case page). */

export const personScorePointSchema = z.object({
  timepoint: z.enum(['pre', 'post', 'followup']),
  completed_on: z.string(),
  score: z.number(),
  programme: z.string(),
  group: z.string(),
});

export const personScoreSeriesSchema = z
  .object({
    instrument: z.string(),
    instrument_title: z.string(),
    scale: z.string(),
    scale_label: z.string(),
    better: z.enum(['lower', 'higher']),
    range: z.tuple([z.number(), z.number()]),
    cutoff: z.number().nullable(),
    clinical_rule: z.string().nullable().describe('e.g. "CORE-10 clinical score ≥ 11"; null without a validated cut-off'),
    reliable_change: z.number().nullable(),
    reliable_change_rule: z.string().nullable(),
    points: z.array(personScorePointSchema),
    /** The change from the first to the last point, with its reading under the rules above. */
    change: z
      .object({
        from: z.number(),
        to: z.number(),
        difference: z.number(),
        reading: z.string().describe('e.g. "reliable improvement", "no reliable change", "no reliable-change value for this scale"'),
      })
      .nullable(),
    svg: z.string(),
  })
  .meta({ id: 'PersonScoreSeries' });
export type PersonScoreSeries = z.infer<typeof personScoreSeriesSchema>;

export const caseScoresSchema = z
  .object({
    caseId: z.uuid(),
    people: z.array(z.object({ personId: z.uuid(), series: z.array(personScoreSeriesSchema) })),
  })
  .meta({ id: 'CaseScores', description: 'Each parent’s headline questionnaire scores over time, with cut-off and reliable-change band' });
export type CaseScores = z.infer<typeof caseScoresSchema>;

/* The pseudonymised export for evaluators (issue 6 item 5). */

export const pseudonymisedExportQuery = z
  .object({
    programme: z.string().trim().min(1, { message: 'must not be empty' }).max(200).optional().describe('Programme name, exactly as recorded'),
    site: z.string().trim().min(1, { message: 'must not be empty' }).max(200).optional().describe('Site name, exactly as recorded'),
    instrument: z
      .string()
      .regex(/^[a-z0-9-]{1,60}$/, { message: 'must be an instrument id such as core-10' })
      .optional()
      .describe('Instrument id, e.g. core-10'),
    from: z.iso.date({ message: 'must be a date YYYY-MM-DD' }).optional().describe('Completed on or after this date'),
    to: z.iso.date({ message: 'must be a date YYYY-MM-DD' }).optional().describe('Completed on or before this date'),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'must not be before "from"', path: ['to'] })
  .describe('Filters for the pseudonymised export');
export type PseudonymisedExportQuery = z.infer<typeof pseudonymisedExportQuery>;

/* Funders' returns (issue 6 item 6). */

export const returnBreakdowns = ['role', 'site', 'group'] as const;
export const returnPeriods = ['quarter', 'since_start'] as const;

const returnFields = {
  name: z.string().trim().min(1, { message: 'enter a name for the return' }).max(200, { message: 'must be 200 characters or fewer' }),
  funderName: z.string().trim().min(1, { message: 'enter the funder’s name' }).max(200, { message: 'must be 200 characters or fewer' }),
  instruments: z
    .array(z.string().regex(/^[a-z0-9-]{1,60}$/, { message: 'must be an instrument id such as core-10' }))
    .min(1, { message: 'choose at least one questionnaire' })
    .max(20),
  programme: z.string().trim().max(200).nullable().describe('Programme name as recorded; null for every programme'),
  site: z.string().trim().max(200).nullable().describe('Site name as recorded; null for every site'),
  period: z.enum(returnPeriods, { message: 'choose "quarter" or "since_start"' }).describe('quarter: the chosen quarter only; since_start: from startDate to the end of the chosen quarter'),
  startDate: z.iso.date({ message: 'must be a date YYYY-MM-DD' }).nullable().describe('Needed when period is since_start'),
  breakdowns: z.array(z.enum(returnBreakdowns, { message: 'must be role, site or group' })).max(3),
};

export const funderReturnBody = z
  .object(returnFields)
  .refine((b) => b.period !== 'since_start' || b.startDate !== null, { message: 'enter the start date for a return that runs since the start', path: ['startDate'] })
  // No component id: bodies with trimming read differently as input and output, which OpenAPI components cannot.
  .describe('A funder’s return to save');
export type FunderReturnInput = z.infer<typeof funderReturnBody>;

export const funderReturnUpdateBody = z
  .object({ ...returnFields, version: z.number().int().min(1) })
  .refine((b) => b.period !== 'since_start' || b.startDate !== null, { message: 'enter the start date for a return that runs since the start', path: ['startDate'] })
  .describe('A funder’s return, changed (with the version you last read)');

export const funderReturnSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    funderName: z.string(),
    funderId: z.uuid().nullable().describe('A funder record, once the funding module links one; not required'),
    instruments: z.array(z.string()),
    programme: z.string().nullable(),
    site: z.string().nullable(),
    period: z.enum(returnPeriods),
    startDate: z.string().nullable(),
    breakdowns: z.array(z.enum(returnBreakdowns)),
    version: z.number().int(),
    updatedAt: z.string(),
  })
  .meta({ id: 'FunderReturn', description: 'A saved report definition for one funder, produced each quarter' });
export type FunderReturn = z.infer<typeof funderReturnSchema>;

export const funderReturnList = z.object({ returns: z.array(funderReturnSchema) }).meta({ id: 'FunderReturnList' });

export const funderReturnParams = z.object({ funderReturnId: z.uuid({ message: 'must be a return id' }) });

export const quarterPattern = /^(\d{4})-Q([1-4])$/;

export const produceReturnQuery = z
  .object({
    quarter: z
      .string()
      .regex(quarterPattern, { message: 'must be a quarter such as 2026-Q2 (calendar quarters)' })
      .optional()
      .describe('Calendar quarter, e.g. 2026-Q2; default the last complete quarter'),
  })
  .describe('Which quarter to produce');
