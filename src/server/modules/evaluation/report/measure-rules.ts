/**
 * What the report needs to know about each instrument scale, read from the instrument definitions (cut-offs and
 * reliable-change values are instrument data, never code): direction, the clinical rule and the RC rule, with
 * the source of each so every figure can say what it was built on.
 */
import type { InstrumentDefinition } from '../../measures/instruments/index.ts';
import { builtInInstruments, getBuiltInInstrument } from '../../measures/instruments/index.ts';

export type ComparisonOp = 'gte' | 'gt' | 'lte' | 'lt';

export type ClinicalRule = {
  readonly op: ComparisonOp;
  readonly value: number;
  readonly text: string;
  readonly source: string;
  readonly validated: boolean;
};

export type ReliableChangeRule = { readonly value: number; readonly confidence: string; readonly source: string; readonly text: string };

export type MeasureRule = {
  readonly instrument: string;
  readonly instrumentTitle: string;
  readonly scale: string;
  readonly scaleLabel: string;
  readonly primary: boolean;
  readonly better: 'lower' | 'higher';
  /** Possible range of the score (chart axes). */
  readonly range: readonly [number, number];
  readonly clinical: ClinicalRule | null;
  readonly reliableChange: ReliableChangeRule | null;
  /** Invalid protocols (valid = false) are left out of every figure; true where the instrument can be invalid. */
  readonly validProtocolsOnly: boolean;
};

const OP_TEXT: Record<ComparisonOp, string> = { gte: '≥', gt: '>', lte: '≤', lt: '<' };

/** "CORE-10 (Clinical Outcomes …)" → "CORE-10": the name people use in reports. */
export const shortTitle = (instrument: InstrumentDefinition): string => instrument.title.split(' (')[0] ?? instrument.id;

// SDQ's clinical line is the "abnormal" band of the original 3-band scheme (instruments.md §3.2), not the
// newer 4-band one, which draws different lines; the report names the scheme every time.
const ORIGINAL_SDQ_SCHEME = 'SDQ original 3-band';

const clinicalRuleFor = (instrument: InstrumentDefinition, scaleKey: string, scaleLabel: string): ClinicalRule | null => {
  const name = `${shortTitle(instrument)} ${scaleLabel.toLowerCase()}`;
  // A validated clinical cut-off first; NHS Talking Therapies "caseness" (PHQ-9 ≥ 10, GAD-7 ≥ 8) is the
  // clinical line those instruments use for recovery, so it serves when no cut-off is defined.
  const threshold =
    instrument.thresholds.find((t) => t.scale === scaleKey && t.role === 'clinical_cut_off') ??
    instrument.thresholds.find((t) => t.scale === scaleKey && t.role === 'caseness');
  if (threshold) {
    return {
      op: threshold.op,
      value: threshold.value,
      text: `${name} ${OP_TEXT[threshold.op]} ${threshold.value}${threshold.role === 'caseness' ? ' (caseness)' : ''}${threshold.validated ? '' : ' (convention, not validated)'}`,
      source: threshold.source,
      validated: threshold.validated,
    };
  }
  const banding = instrument.bandings.find((b) => b.key === scaleKey && b.scale === scaleKey && b.scheme.startsWith(ORIGINAL_SDQ_SCHEME));
  if (!banding) return null;
  const index = banding.bands.findIndex((band) => band.label === 'abnormal');
  const band = banding.bands[index];
  if (!band) return null;
  const scheme = "'abnormal', original 3-band scheme";
  if (index === banding.bands.length - 1) {
    return { op: 'gte', value: band.min, text: `${name} ≥ ${band.min} (${scheme})`, source: banding.source, validated: true };
  }
  const next = banding.bands[index + 1];
  if (index === 0 && next) {
    return { op: 'lt', value: next.min, text: `${name} < ${next.min} (${scheme})`, source: banding.source, validated: true };
  }
  return null;
};

/** The report's rules for every reported scale of one instrument, headline scale first. */
export const measureRulesFor = (instrument: InstrumentDefinition): MeasureRule[] => {
  const reported = instrument.scales.filter((scale) => scale.reported);
  const ordered = [...reported.filter((s) => s.key === instrument.primaryScale), ...reported.filter((s) => s.key !== instrument.primaryScale)];
  return ordered.map((scale) => {
    const rc = instrument.reliableChange.find((r) => r.scale === scale.key);
    return {
      instrument: instrument.id,
      instrumentTitle: shortTitle(instrument),
      scale: scale.key,
      scaleLabel: scale.label,
      primary: scale.key === instrument.primaryScale,
      better: scale.improvement,
      range: scale.range,
      clinical: clinicalRuleFor(instrument, scale.key, scale.label),
      reliableChange: rc
        ? { value: rc.value, confidence: rc.confidence, source: rc.source, text: `a change of ${rc.value} points or more (${rc.confidence})` }
        : null,
      validProtocolsOnly: instrument.invalidWhenFlags.length > 0,
    };
  });
};

/** Rules for the instruments Tandem knows; ids it does not know are returned separately (not reported). */
/**
 * `resolve` finds an instrument's definition: built-ins by default; the report passes the organisation's library so
 * its own instruments (latest version) are reported too. Own instruments sort after the built-ins, by id.
 */
export const rulesForInstruments = (
  ids: readonly string[],
  resolve: (id: string) => InstrumentDefinition | undefined = getBuiltInInstrument,
): { rules: MeasureRule[]; unknown: string[] } => {
  const rules: MeasureRule[] = [];
  const unknown: string[] = [];
  // Report order follows the instrument library, so reports read the same whatever order the data came in.
  const order = new Map(builtInInstruments.map((instrument, index) => [instrument.id, index]));
  for (const id of [...ids].sort((a, b) => (order.get(a) ?? 1e9) - (order.get(b) ?? 1e9) || a.localeCompare(b))) {
    const instrument = resolve(id);
    if (instrument) rules.push(...measureRulesFor(instrument));
    else unknown.push(id);
  }
  return { rules, unknown };
};

/** Is this score in the clinical range under the rule (null without one)? Mirrors the SQL in report.queries.ts. */
export const inClinicalRange = (score: number, rule: ClinicalRule | null): boolean | null => {
  if (rule === null) return null;
  switch (rule.op) {
    case 'gte':
      return score >= rule.value;
    case 'gt':
      return score > rule.value;
    case 'lte':
      return score <= rule.value;
    case 'lt':
      return score < rule.value;
  }
};
