/**
 * The report's charts as SVG for the web page. They are rendered here, on the server, with the renderer the
 * HTML/PDF exports use (render/svg.ts), so screen and paper show the same drawing. Rendering in the browser was
 * not an option: Vega compiles its expressions with `new Function`, which the app's Content-Security-Policy
 * (script-src 'self', no 'unsafe-eval') rightly forbids.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { MeasureReport } from '../../../../shared/contracts/evaluation.ts';
import type { RenderedChart } from '../../../../shared/contracts/evaluation-outputs.ts';
import { clinicalShiftChartSpec, jacobsonTruaxChartSpec, meansChartSpec, type ScatterPoint } from '../charts/report-charts.ts';
import { escapeHtml } from '../render/format.ts';
import { renderSvg } from '../render/svg.ts';

const titleOf = (spec: TopLevelSpec): string => {
  const title = (spec as { title?: string | { text?: string | string[] } }).title;
  if (typeof title === 'string') return title;
  const text = title?.text;
  return Array.isArray(text) ? text.join(' ') : (text ?? '');
};

/**
 * The SVG as an image with a name: screen readers announce the chart by its description instead of wandering
 * through Vega's marks (the tables beside it carry every figure).
 */
export const svgAsImage = (svg: string, label: string): string =>
  svg.replace(/^<svg /, `<svg role="img" aria-label="${escapeHtml(label)}" focusable="false" `);

export const renderChart = async (spec: TopLevelSpec): Promise<{ title: string; description: string; svg: string }> => {
  const title = titleOf(spec);
  const description = spec.description ?? title;
  return { title, description, svg: svgAsImage(await renderSvg(spec), `${title}. ${description}`) };
};

/** Charts for each instrument's headline scale, as in the exports: means with CIs, clinical shift, scatter. */
export const reportCharts = async (measures: readonly MeasureReport[], scatter: ReadonlyMap<string, readonly ScatterPoint[]>): Promise<RenderedChart[]> => {
  const charts: RenderedChart[] = [];
  for (const measure of measures) {
    if (!measure.primary) continue;
    const base = { instrument: measure.instrument, scale: measure.scale };
    charts.push({ ...base, kind: 'means', ...(await renderChart(meansChartSpec(measure))) });
    const shift = clinicalShiftChartSpec(measure);
    if (shift) charts.push({ ...base, kind: 'clinical_shift', ...(await renderChart(shift)) });
    const points = scatter.get(`${measure.instrument}/${measure.scale}`);
    if (points && points.length > 0) charts.push({ ...base, kind: 'jacobson_truax', ...(await renderChart(jacobsonTruaxChartSpec(measure, points))) });
  }
  return charts;
};
