/**
 * Vega-Lite specs for the report's charts, built from the report JSON. Pure: the same spec is rendered to SVG
 * for the HTML/PDF exports (render/svg.ts) and can be handed to vega-embed by the web page, so screen and
 * paper agree. Snapshot-tested (report-charts.test.ts).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { MeasureReport } from '../../../../shared/contracts/evaluation.ts';

export type ScatterPoint = { readonly pre: number; readonly post: number; readonly n: number };

const TIMEPOINTS = [
  { key: 'pre', label: 'Pre' },
  { key: 'post', label: 'Post' },
  { key: 'followup', label: 'Follow-up' },
] as const;

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const FONT = { font: 'Arial, Helvetica, sans-serif', labelFont: 'Arial, Helvetica, sans-serif', titleFont: 'Arial, Helvetica, sans-serif' };
const config = { font: FONT.font, axis: { labelFontSize: 11, titleFontSize: 12 }, legend: { labelFontSize: 11, titleFontSize: 12 }, view: { stroke: null } };

const title = (measure: MeasureReport, what: string): string => `${measure.instrument_title} ${measure.scale_label.toLowerCase()}: ${what}`;

/** Pre / post / follow-up means with 95 % CIs, one line per respondent role ("all" and each role). */
export const meansChartSpec = (measure: MeasureReport): TopLevelSpec => {
  const values = Object.entries(measure.by_role).flatMap(([role, cell]) =>
    TIMEPOINTS.flatMap(({ key, label }) => {
      const t = cell[key];
      return t.mean === null ? [] : [{ role, timepoint: label, mean: t.mean, lower: t.ci_lower ?? t.mean, upper: t.ci_upper ?? t.mean, n: t.n }];
    }),
  );
  const x = { field: 'timepoint', type: 'ordinal', sort: TIMEPOINTS.map((t) => t.label), title: null, axis: { labelAngle: 0 } } as const;
  const color = { field: 'role', type: 'nominal', title: 'Respondents' } as const;
  return {
    $schema: SCHEMA,
    description: `Mean ${measure.scale_label} at each timepoint with 95% confidence intervals`,
    title: title(measure, 'means with 95% CIs'),
    width: 360,
    height: 220,
    data: { values },
    encoding: { x, color, xOffset: { field: 'role' } },
    layer: [
      { mark: { type: 'rule', strokeWidth: 2 }, encoding: { y: { field: 'lower', type: 'quantitative', title: measure.scale_label, scale: { domain: [...measure.range] } }, y2: { field: 'upper' } } },
      {
        mark: { type: 'point', filled: true, size: 60 },
        encoding: {
          y: { field: 'mean', type: 'quantitative' },
          tooltip: [{ field: 'role' }, { field: 'timepoint' }, { field: 'mean', format: '.1f' }, { field: 'n' }],
        },
      },
    ],
    config,
  } as TopLevelSpec;
};

/** Percentage in the clinical range at each timepoint ("all"), labelled "k of n". Null without a cut-off. */
export const clinicalShiftChartSpec = (measure: MeasureReport): TopLevelSpec | null => {
  if (measure.clinical_rule === null) return null;
  const all = measure.by_role.all;
  if (!all) return null;
  const values = TIMEPOINTS.flatMap(({ key, label }) => {
    const t = all[key];
    return t.pct_clinical === null || t.n === null ? [] : [{ timepoint: label, pct: t.pct_clinical, label: `${t.n_clinical ?? 0} of ${t.n}` }];
  });
  return {
    $schema: SCHEMA,
    description: `Percentage in the clinical range (${measure.clinical_rule.text}) at each timepoint`,
    title: title(measure, `in the clinical range (${measure.clinical_rule.text})`),
    width: 360,
    height: 200,
    data: { values },
    encoding: {
      x: { field: 'timepoint', type: 'ordinal', sort: TIMEPOINTS.map((t) => t.label), title: null, axis: { labelAngle: 0 } },
      y: { field: 'pct', type: 'quantitative', title: '% in clinical range', scale: { domain: [0, 100] } },
    },
    layer: [
      { mark: { type: 'bar', color: '#1d70b8' } },
      { mark: { type: 'text', dy: -8, fontSize: 11 }, encoding: { text: { field: 'label' } } },
    ],
    config,
  } as TopLevelSpec;
};

/**
 * The Jacobson–Truax scatter: each pair's pre (x) against post (y), sized by how many people share the point;
 * the no-change diagonal, the reliable-change band (|change| < RC, shaded) and the cut-off lines.
 */
export const jacobsonTruaxChartSpec = (measure: MeasureReport, points: readonly ScatterPoint[]): TopLevelSpec => {
  const [lo, hi] = measure.range;
  const rc = measure.reliable_change;
  const band = rc === null ? [] : [{ x: lo, y: lo - rc, y2: lo + rc }, { x: hi, y: hi - rc, y2: hi + rc }];
  const scale = { domain: [lo, hi], clamp: true, nice: false };
  const layers: unknown[] = [];
  if (rc !== null) {
    layers.push({
      data: { values: band },
      mark: { type: 'area', opacity: 0.15, color: '#505a5f', clip: true },
      encoding: { x: { field: 'x', type: 'quantitative', scale }, y: { field: 'y', type: 'quantitative', scale }, y2: { field: 'y2' } },
    });
  }
  layers.push({
    data: { values: [{ x: lo, y: lo }, { x: hi, y: hi }] },
    mark: { type: 'line', color: '#0b0c0c', strokeDash: [4, 3] },
    encoding: { x: { field: 'x', type: 'quantitative', scale }, y: { field: 'y', type: 'quantitative', scale } },
  });
  if (measure.cutoff !== null) {
    layers.push(
      { data: { values: [{ c: measure.cutoff }] }, mark: { type: 'rule', color: '#d4351c' }, encoding: { x: { field: 'c', type: 'quantitative', scale } } },
      { data: { values: [{ c: measure.cutoff }] }, mark: { type: 'rule', color: '#d4351c' }, encoding: { y: { field: 'c', type: 'quantitative', scale } } },
    );
  }
  layers.push({
    data: { values: points.map((p) => ({ pre: p.pre, post: p.post, n: p.n })) },
    mark: { type: 'circle', color: '#1d70b8', opacity: 0.6 },
    encoding: {
      x: { field: 'pre', type: 'quantitative', title: `${measure.scale_label} before`, scale },
      y: { field: 'post', type: 'quantitative', title: `${measure.scale_label} after`, scale },
      size: { field: 'n', type: 'quantitative', title: 'People', scale: { range: [15, 300] } },
      tooltip: [{ field: 'pre' }, { field: 'post' }, { field: 'n', title: 'people' }],
    },
  });
  const notes = [
    'dashed: no change',
    rc === null ? 'no reliable-change value for this scale' : `shaded: change smaller than ${rc} points (not reliable)`,
    measure.cutoff === null ? 'no clinical cut-off' : `red: cut-off ${measure.clinical_rule?.text ?? measure.cutoff}`,
  ];
  return {
    $schema: SCHEMA,
    description: `Each participant's score before against after, ${notes.join('; ')}`,
    title: { text: title(measure, 'before and after (Jacobson–Truax)'), subtitle: notes.join(' · ') },
    width: 320,
    height: 320,
    layer: layers,
    config,
  } as TopLevelSpec;
};
