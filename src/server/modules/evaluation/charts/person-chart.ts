/**
 * One participant's own chart (the case page): their headline score at each questionnaire, in date order, with
 * the clinical cut-off and the reliable-change band around their first score — a later point outside the band
 * has changed by more than measurement error alone would explain. Pure; rendered to SVG like the report charts.
 */
import type { TopLevelSpec } from 'vega-lite';
import { classifyChange } from '../stats/index.ts';

export type PersonPoint = { readonly timepoint: 'pre' | 'post' | 'followup'; readonly completedOn: string; readonly score: number };

export type PersonChartRule = {
  readonly instrumentTitle: string;
  readonly scaleLabel: string;
  readonly better: 'lower' | 'higher';
  readonly range: readonly [number, number];
  readonly cutoff: number | null;
  readonly clinicalText: string | null;
  readonly reliableChange: number | null;
};

const TIMEPOINT_LABEL = { pre: 'Pre', post: 'Post', followup: 'Follow-up' } as const;

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const config = { font: 'Arial, Helvetica, sans-serif', axis: { labelFontSize: 11, titleFontSize: 12 }, view: { stroke: null } };

/** "Pre, 3 Feb 2026": one x position per questionnaire, even when two share a timepoint name. */
export const pointLabel = (p: PersonPoint): string => {
  const [y, m, d] = p.completedOn.split('-').map(Number) as [number, number, number];
  const month = new Date(Date.UTC(y, m - 1, d)).toLocaleString('en-GB', { month: 'short', timeZone: 'UTC' });
  return `${TIMEPOINT_LABEL[p.timepoint]}, ${d} ${month} ${y}`;
};

/** How the last score reads against the first, under the instrument's rules. */
export const readChange = (points: readonly PersonPoint[], rule: PersonChartRule): { from: number; to: number; difference: number; reading: string } | null => {
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last || points.length < 2) return null;
  const difference = last.score - first.score;
  if (rule.reliableChange === null) return { from: first.score, to: last.score, difference, reading: 'no reliable-change value for this scale' };
  const { category } = classifyChange(first.score, last.score, { better: rule.better, reliableChange: rule.reliableChange, cutoff: rule.cutoff });
  return { from: first.score, to: last.score, difference, reading: category.replaceAll('_', ' ') };
};

export const personChartSpec = (points: readonly PersonPoint[], rule: PersonChartRule): TopLevelSpec => {
  const [lo, hi] = rule.range;
  const values = points.map((p) => ({ label: pointLabel(p), score: p.score }));
  const order = values.map((v) => v.label);
  const x = { field: 'label', type: 'ordinal', sort: order, title: null, axis: { labelAngle: 0 } } as const;
  const y = { field: 'score', type: 'quantitative', title: rule.scaleLabel, scale: { domain: [lo, hi], nice: false } } as const;
  const layers: unknown[] = [];
  const first = points[0];
  if (rule.reliableChange !== null && first) {
    layers.push({
      data: { values: [{ low: Math.max(lo, first.score - rule.reliableChange), high: Math.min(hi, first.score + rule.reliableChange) }] },
      mark: { type: 'rect', color: '#505a5f', opacity: 0.15 },
      encoding: { y: { field: 'low', type: 'quantitative', scale: { domain: [lo, hi], nice: false } }, y2: { field: 'high' } },
    });
  }
  if (rule.cutoff !== null) {
    layers.push({ data: { values: [{ c: rule.cutoff }] }, mark: { type: 'rule', color: '#d4351c', strokeDash: [6, 3] }, encoding: { y: { field: 'c', type: 'quantitative' } } });
  }
  layers.push(
    { data: { values }, mark: { type: 'line', color: '#1d70b8', point: { filled: true, size: 70, color: '#1d70b8' } }, encoding: { x, y } },
    { data: { values }, mark: { type: 'text', dy: -12, fontSize: 12 }, encoding: { x, y, text: { field: 'score', type: 'quantitative', format: '.1~f' } } },
  );
  const notes = [
    rule.reliableChange === null ? 'no reliable-change value for this scale' : `shaded: within ${rule.reliableChange} points of the first score (no reliable change)`,
    rule.cutoff === null ? 'no clinical cut-off' : `red dashed: ${rule.clinicalText ?? `cut-off ${rule.cutoff}`}`,
  ];
  return {
    $schema: SCHEMA,
    description: `${rule.instrumentTitle} ${rule.scaleLabel.toLowerCase()} at each questionnaire (${rule.better} is better): ${points.map((p) => `${pointLabel(p)}: ${p.score}`).join('; ')}; ${notes.join('; ')}`,
    title: { text: `${rule.instrumentTitle} ${rule.scaleLabel.toLowerCase()} over time`, subtitle: notes.join(' · ') },
    width: 360,
    height: 220,
    layer: layers,
    config,
  } as TopLevelSpec;
};
