/**
 * Outcome figures for a set of families (the families in a funder's contract), against the outcome targets a
 * contract names. The figures are the outcomes report's own (buildReport over those families' administrations),
 * read off its "all respondents" paired pre → post cell: nothing here computes a statistic beyond a proportion of
 * two counts the report gives.
 */
import type { OutcomeMeasure, PairedFigures } from '../../../../shared/contracts/evaluation.ts';
import type { Db } from '../../../db.ts';
import type { Scope } from '../../../platform/db/scope.ts';
import { getBuiltInInstrument } from '../../measures/index.ts';
import { buildReport } from '../report/report.service.ts';
import { measureRulesFor, type MeasureRule } from '../report/measure-rules.ts';

export type OutcomeSpec = { readonly instrument: string; readonly scale?: string | null | undefined; readonly measure: OutcomeMeasure };

export type OutcomeFigure = {
  readonly instrumentTitle: string;
  readonly scale: string;
  readonly scaleLabel: string;
  /** A percentage (recovered_pct, reliable_improvement_pct) or points (mean_improvement); null when not available. */
  readonly figure: number | null;
  /** The count the percentage is of n (recovered, reliably improved); null for a mean. */
  readonly numerator: number | null;
  /** The people the figure is built on: in the clinical range before (recovered_pct), or with both scores. */
  readonly n: number | null;
  /** Built on fewer people than the audience's minimum: withheld, with its n. */
  readonly suppressed: boolean;
  /** Why there is no figure: no_data, suppressed, unknown_measure. */
  readonly reason: string | null;
};

const ruleOf = (spec: OutcomeSpec): MeasureRule | null => {
  const instrument = getBuiltInInstrument(spec.instrument);
  if (!instrument) return null;
  const rules = measureRulesFor(instrument);
  return (spec.scale ? rules.find((r) => r.scale === spec.scale) : rules.find((r) => r.primary)) ?? null;
};

/** Why a contract cannot name this target, and which of its fields is wrong (null when it can): the report must be able to give its figure. */
export const outcomeSpecProblem = (spec: OutcomeSpec): { field: 'instrument' | 'scale' | 'measure'; message: string } | null => {
  const instrument = getBuiltInInstrument(spec.instrument);
  if (!instrument) return { field: 'instrument', message: `"${spec.instrument}" is not a questionnaire Tandem knows` };
  const rule = ruleOf(spec);
  if (!rule) return { field: 'scale', message: `${instrument.id} has no reported scale "${spec.scale ?? ''}"` };
  const name = `${rule.instrumentTitle} ${rule.scaleLabel.toLowerCase()}`;
  if (spec.measure === 'recovered_pct' && rule.clinical === null) return { field: 'measure', message: `${name} has no clinical cut-off, so recovery cannot be counted` };
  if (spec.measure === 'reliable_improvement_pct' && rule.reliableChange === null) return { field: 'measure', message: `${name} has no reliable-change value` };
  return null;
};

const figureOf = (paired: PairedFigures | undefined, rule: MeasureRule, measure: OutcomeMeasure): Omit<OutcomeFigure, 'instrumentTitle' | 'scale' | 'scaleLabel'> => {
  if (!paired || paired.n === 0) return { figure: null, numerator: null, n: paired?.n ?? 0, suppressed: false, reason: 'no_data' };
  if (paired.suppressed) return { figure: null, numerator: null, n: null, suppressed: true, reason: 'suppressed' };
  switch (measure) {
    case 'recovered_pct': {
      if (paired.suppressed_fields.includes('pct_recovered')) return { figure: null, numerator: null, n: null, suppressed: true, reason: 'suppressed' };
      const n = paired.n_clinical_pre ?? 0;
      if (n === 0) return { figure: null, numerator: 0, n: 0, suppressed: false, reason: 'no_data' };
      return { figure: paired.pct_recovered, numerator: paired.n_recovered, n, suppressed: false, reason: null };
    }
    case 'mean_improvement': {
      const change = paired.mean_change;
      return { figure: change === null ? null : rule.better === 'lower' ? -change : change, numerator: null, n: paired.n, suppressed: false, reason: change === null ? 'no_data' : null };
    }
    case 'reliable_improvement_pct': {
      const k = paired.n_reliable_improvement;
      const n = paired.n ?? 0;
      return { figure: k === null || n === 0 ? null : (100 * k) / n, numerator: k, n, suppressed: false, reason: k === null ? 'no_data' : null };
    }
  }
};

/**
 * The figure of each spec over the administrations of `caseIds` completed between `from` and `to`. `minCellSize`
 * null gives the full figures (the provider's own view); a number suppresses as for any aggregate audience. Not
 * audited here: the caller records who saw the return it belongs to.
 */
export const outcomeFiguresForCases = async (
  db: Db,
  scope: Scope,
  input: { caseIds: readonly string[]; from: string; to: string; minCellSize: number | null; specs: readonly OutcomeSpec[] },
): Promise<OutcomeFigure[]> => {
  if (input.specs.length === 0) return [];
  const audience = input.minCellSize === null ? ({ kind: 'full' } as const) : ({ kind: 'aggregate', minCellSize: input.minCellSize } as const);
  const report = input.caseIds.length === 0 ? null : await buildReport(db, scope, { from: input.from, to: input.to, caseIds: input.caseIds }, { audience, groupLimit: 0 });
  return input.specs.map((spec) => {
    const rule = ruleOf(spec);
    if (!rule) return { instrumentTitle: spec.instrument, scale: spec.scale ?? '', scaleLabel: '', figure: null, numerator: null, n: null, suppressed: false, reason: 'unknown_measure' };
    const measure = report?.measures.find((m) => m.instrument === rule.instrument && m.scale === rule.scale);
    return { instrumentTitle: rule.instrumentTitle, scale: rule.scale, scaleLabel: rule.scaleLabel, ...figureOf(measure?.by_role.all?.paired, rule, spec.measure) };
  });
};
