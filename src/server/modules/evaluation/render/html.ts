/**
 * The report as one self-contained HTML page: tables with every figure's n and rule, and the charts as inline
 * SVG rendered from the same Vega-Lite specs the web page uses. No scripts, no external files, so it can be
 * mailed, archived or printed to PDF as it is.
 */
import type { CellFigures, MeasureReport, PairedFigures, Report, TimepointFigures } from '../../../../shared/contracts/evaluation.ts';
import { clinicalShiftChartSpec, jacobsonTruaxChartSpec, meansChartSpec, type ScatterPoint } from '../charts/report-charts.ts';
import { escapeHtml as e, fmtDz, fmtMean, fmtOf, fmtP, fmtSigned } from './format.ts';
import { renderSvg } from './svg.ts';

export type HtmlOptions = {
  readonly organisationName: string;
  /** Pre→post points per "instrument/scale"; absent for aggregate-only audiences. */
  readonly scatter: ReadonlyMap<string, readonly ScatterPoint[]>;
};

const suppressedText = (report: Report): string => `fewer than ${report.min_cell_size ?? 5}`;

const timepointCell = (t: TimepointFigures, report: Report, withClinical: boolean): string => {
  if (t.suppressed) return `<td>${suppressedText(report)}</td><td>—</td>${withClinical ? '<td>—</td>' : ''}`;
  const mean = t.mean === null ? '—' : `${fmtMean(t.mean)}${t.sd === null ? '' : ` (${fmtMean(t.sd)})`}`;
  return `<td class="num">${t.n ?? '—'}</td><td class="num">${mean}</td>${withClinical ? `<td class="num">${fmtOf(t.n_clinical, t.n)}</td>` : ''}`;
};

const label = (key: string): string => (key === 'all' ? 'All respondents' : key.charAt(0).toUpperCase() + key.slice(1));

const timepointTable = (measure: MeasureReport, cells: Record<string, CellFigures>, heading: string, report: Report): string => {
  const clinical = measure.clinical_rule !== null;
  const cols = clinical ? 3 : 2;
  const sub = ['n', 'mean (SD)', ...(clinical ? ['clinical'] : [])].map((h) => `<th scope="col">${h}</th>`).join('');
  const rows = Object.entries(cells)
    .map(([key, cell]) => `<tr><th scope="row">${e(label(key))}</th>${timepointCell(cell.pre, report, clinical)}${timepointCell(cell.post, report, clinical)}${timepointCell(cell.followup, report, clinical)}</tr>`)
    .join('');
  return `<table><caption>${e(heading)}</caption><thead><tr><th rowspan="2" scope="col">${e(heading.split(' ')[1] ?? '')}</th><th colspan="${cols}" scope="colgroup">Pre</th><th colspan="${cols}" scope="colgroup">Post</th><th colspan="${cols}" scope="colgroup">Follow-up</th></tr><tr>${sub}${sub}${sub}</tr></thead><tbody>${rows}</tbody></table>`;
};

const pairedRow = (key: string, p: PairedFigures, completeness: CellFigures['completeness']['post'], measure: MeasureReport, report: Report): string => {
  if (p.suppressed) return `<tr><th scope="row">${e(label(key))}</th><td colspan="9">${suppressedText(report)} pairs: figures withheld</td></tr>`;
  if (p.n === 0 || p.n === null) return `<tr><th scope="row">${e(label(key))}</th><td colspan="9">no complete pairs</td></tr>`;
  const ci = p.dz_ci_lower === null || p.dz_ci_upper === null ? '' : ` [${fmtDz(p.dz_ci_lower)}, ${fmtDz(p.dz_ci_upper)}]`;
  const recovered = measure.clinical_rule === null ? 'no cut-off' : p.suppressed_fields.includes('n_recovered') ? suppressedText(report) : fmtOf(p.n_recovered, p.n_clinical_pre);
  const rc = measure.reliable_change === null ? 'no RC value' : `${fmtOf(p.n_reliable_improvement, p.n)} / ${fmtOf(p.n_reliable_deterioration, p.n)}`;
  const rr = measure.reliable_change === null || measure.clinical_rule === null ? '—' : p.suppressed_fields.includes('n_reliable_recovery') ? suppressedText(report) : fmtOf(p.n_reliable_recovery, p.n_clinical_pre);
  return `<tr><th scope="row">${e(label(key))}</th><td class="num">${p.n}</td><td class="num">${completeness.suppressed ? suppressedText(report) : fmtOf(completeness.numerator, completeness.denominator)}</td><td class="num">${fmtMean(p.mean_pre)} → ${fmtMean(p.mean_post)}</td><td class="num">${fmtSigned(p.mean_change)}</td><td class="num">${fmtDz(p.effect_size_dz)}${ci}</td><td class="num">${fmtP(p.t_test_p)} / ${fmtP(p.wilcoxon_p)}</td><td class="num">${measure.clinical_rule === null ? '—' : fmtP(p.mcnemar_p)}</td><td class="num">${recovered}</td><td class="num">${rc}</td><td class="num">${rr}</td></tr>`;
};

const pairedTable = (measure: MeasureReport, cells: Record<string, CellFigures>, later: 'post' | 'followup', heading: string, report: Report): string => {
  const head = ['', 'Pairs', 'Pre with a ' + (later === 'post' ? 'post' : 'follow-up'), 'Mean pre → later', 'Change', 'd_z [95 % CI]', 'p: t / Wilcoxon', 'p: McNemar', 'Recovered (of clinical pre)', 'Reliable improvement / deterioration', 'Reliable recovery']
    .map((h) => `<th scope="col">${e(h)}</th>`)
    .join('');
  const rows = Object.entries(cells)
    .map(([key, cell]) => pairedRow(key, later === 'post' ? cell.paired : cell.paired_followup, cell.completeness[later], measure, report))
    .join('');
  return `<table><caption>${e(heading)}</caption><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
};

const rules = (measure: MeasureReport): string => {
  const items = [
    `Better: ${measure.better} scores. Change is later − pre.`,
    measure.clinical_rule
      ? `Clinical range: ${e(measure.clinical_rule.text)} (${e(measure.clinical_rule.source)})`
      : 'Clinical range: none — this scale has no validated cut-off, so clinical figures, McNemar and recovery are not shown.',
    measure.reliable_change_rule
      ? `Reliable change: ${e(measure.reliable_change_rule.text)} (${e(measure.reliable_change_rule.source)})`
      : 'Reliable change: no published value for this scale, so no reliable-change categories.',
  ];
  if (measure.valid_protocols_only) items.push('Valid protocols only: invalid protocols (lie or random responding) are left out of every figure and counted.');
  return `<ul class="rules">${items.map((i) => `<li>${i}</li>`).join('')}</ul>`;
};

const filtersText = (report: Report): string => {
  const parts = Object.entries(report.filters).flatMap(([k, v]) => (v === null ? [] : [`${k}: ${v}`]));
  return parts.length === 0 ? 'all administrations' : parts.join('; ');
};

/** Charts only for each instrument's headline scale: subscales are in the tables (keeps the PDF readable). */
const chartsFor = async (measure: MeasureReport, options: HtmlOptions): Promise<string> => {
  if (!measure.primary) return '';
  const svgs = [await renderSvg(meansChartSpec(measure))];
  const shift = clinicalShiftChartSpec(measure);
  if (shift) svgs.push(await renderSvg(shift));
  const points = options.scatter.get(`${measure.instrument}/${measure.scale}`);
  if (points && points.length > 0) svgs.push(await renderSvg(jacobsonTruaxChartSpec(measure, points)));
  return `<div class="charts">${svgs.map((svg) => `<figure>${svg}</figure>`).join('')}</div>`;
};

const measureSection = async (measure: MeasureReport, report: Report, options: HtmlOptions): Promise<string> => {
  const name = `${measure.instrument_title} — ${measure.scale_label}`;
  const parts = [
    `<section class="measure"><h2>${e(name)}</h2>`,
    rules(measure),
    await chartsFor(measure, options),
    timepointTable(measure, measure.by_role, `${name}: by respondents`, report),
    pairedTable(measure, measure.by_role, 'post', `${name}: pre → post, paired`, report),
    pairedTable(measure, measure.by_role, 'followup', `${name}: pre → follow-up, paired`, report),
  ];
  if (Object.keys(measure.by_site).length > 1) {
    parts.push(timepointTable(measure, measure.by_site, `${name}: by site`, report), pairedTable(measure, measure.by_site, 'post', `${name}: pre → post by site`, report));
  }
  if (measure.by_group && Object.keys(measure.by_group).length > 1) {
    parts.push(timepointTable(measure, measure.by_group, `${name}: by group`, report), pairedTable(measure, measure.by_group, 'post', `${name}: pre → post by group`, report));
  }
  parts.push('</section>');
  return parts.join('\n');
};

const STYLE = `
body{font-family:Arial,Helvetica,sans-serif;color:#0b0c0c;margin:24px;font-size:13px;line-height:1.4}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 6px;border-top:2px solid #1d70b8;padding-top:8px}
.meta{color:#505a5f;margin:0 0 12px}.rules{margin:4px 0 8px;padding-left:18px;color:#0b0c0c}
table{border-collapse:collapse;margin:8px 0 14px;width:100%;font-size:11px}caption{text-align:left;font-weight:bold;padding:4px 0}
th,td{border-bottom:1px solid #b1b4b6;padding:3px 5px;text-align:left;vertical-align:top}td.num{text-align:right;white-space:nowrap}
.charts{display:flex;flex-wrap:wrap;gap:12px}.charts figure{margin:0}.notice{background:#f3f2f1;padding:8px 12px;border-left:4px solid #505a5f}
@media print{body{margin:0}.measure+.measure{break-before:page}table,figure{break-inside:avoid}}
table{font-size:9.5px}
`;

export const renderReportHtml = async (report: Report, options: HtmlOptions): Promise<string> => {
  const sections: string[] = [];
  for (const measure of report.measures) sections.push(await measureSection(measure, report, options));
  const notices: string[] = [];
  if (report.audience === 'aggregate') {
    notices.push(`Aggregate figures only. Any figure built on fewer than ${report.min_cell_size ?? 5} people is withheld and shown as "${suppressedText(report)}". Participant-level charts are not included.`);
  }
  if (!report.groups.listed) notices.push(`${report.groups.count} groups: too many to list (limit ${report.groups.limit}); filter by programme or site to see groups.`);
  if (report.unknown_instruments.length > 0) notices.push(`Not reported (no instrument definition): ${report.unknown_instruments.join(', ')}.`);
  if (report.measures.length === 0) notices.push('No questionnaires match these filters.');
  return `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Outcomes report — ${e(options.organisationName)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body><main>
<h1>Outcomes report</h1>
<p class="meta">${e(options.organisationName)} · ${e(filtersText(report))} · produced ${e(report.generated_at.slice(0, 16).replace('T', ' '))} UTC</p>
${notices.map((n) => `<p class="notice">${e(n)}</p>`).join('\n')}
<p class="meta">Definitions of every figure: n is shown with each; percentages read "k of n"; paired figures use only people with both scores; d_z is mean change / SD of change; p-values: paired t-test, Wilcoxon signed-rank, McNemar (exact below 25 discordant pairs).</p>
${sections.join('\n')}
</main></body></html>
`;
};
