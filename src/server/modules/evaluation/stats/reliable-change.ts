/**
 * Jacobson & Truax (1991) reliable and clinically significant change.
 *
 * Reliable change (RC) is held in raw scale points: a change counts as reliable when it is at least RC in size.
 * Instruments either publish RC (CORE-10: 6, Barkham et al. 2013, a 90 % value) or it is computed from an SD
 * and a reliability with `reliableChangeFromReliability`.
 */
import { proportion, type Proportion } from './descriptive.ts';
import { normalQuantile } from './distributions.ts';
import { type Better, type ScorePair, assertScore, completePairs, difference } from './types.ts';

export type ReliableChangeFromReliability = {
  /** Standard error of measurement S_E = SD·√(1 − r). */
  readonly standardError: number;
  /** Standard error of the difference S_diff = √2·S_E = SD·√2·√(1 − r). */
  readonly sDiff: number;
  readonly z: number;
  /** RC = z·S_diff, in raw scale points. */
  readonly reliableChange: number;
};

/**
 * Two-sided z for a confidence level: 0.95 → 1.959964, 0.90 → 1.644854. (Published RC values often use the
 * rounded 1.96 / 1.645; the difference is in the third decimal of RC.)
 */
export const zForConfidence = (confidence: number): number => {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`zForConfidence: confidence must be in (0, 1), got ${confidence}`);
  return normalQuantile(1 - (1 - confidence) / 2);
};

/**
 * RC from a normative SD and a reliability coefficient (Jacobson & Truax 1991; Christensen & Mendoza 1986):
 * S_diff = SD·√2·√(1 − r), RC = z·S_diff. Always state which SD (sample), which reliability (α or test–retest)
 * and which z were used. Example, CORE-10: 1.645 × 7.7 × √2 × √0.10 = 5.66 (90 %).
 */
export const reliableChangeFromReliability = ({
  sd,
  reliability,
  z = zForConfidence(0.95),
}: {
  readonly sd: number;
  readonly reliability: number;
  readonly z?: number;
}): ReliableChangeFromReliability => {
  if (!(sd > 0) || !Number.isFinite(sd)) throw new RangeError(`reliableChange: sd must be finite and > 0, got ${sd}`);
  // r = 1 would make every change "reliable"; such a reliability is a data-entry error, not a measurement.
  if (!(reliability >= 0 && reliability < 1)) {
    throw new RangeError(`reliableChange: reliability must be in [0, 1), got ${reliability}`);
  }
  if (!(z > 0) || !Number.isFinite(z)) throw new RangeError(`reliableChange: z must be finite and > 0, got ${z}`);
  const standardError = sd * Math.sqrt(1 - reliability);
  const sDiff = Math.SQRT2 * standardError;
  return { standardError, sDiff, z, reliableChange: z * sDiff };
};

/** The Jacobson–Truax RC statistic (x_post − x_pre)/S_diff; |RC| > z means reliable at that level. */
export const reliableChangeIndex = (pre: number, post: number, sDiff: number): number => {
  assertScore('reliableChangeIndex (pre)', pre);
  assertScore('reliableChangeIndex (post)', post);
  if (!(sDiff > 0) || !Number.isFinite(sDiff)) throw new RangeError(`reliableChangeIndex: sDiff must be > 0, got ${sDiff}`);
  return difference(pre, post) / sDiff;
};

export type PopulationNorm = { readonly mean: number; readonly sd: number };

export type ClinicalCriteria = {
  /** a: 2 SD beyond the dysfunctional mean, in the better direction. */
  readonly a: number;
  /** b: 2 SD from the functional mean, in the worse direction. */
  readonly b: number;
  /** c = (SD₀·M₁ + SD₁·M₀)/(SD₀ + SD₁): the point equally far (in own-SD units) from both means. */
  readonly c: number;
};

/**
 * Jacobson–Truax cut-off criteria from a functional (0) and a dysfunctional (1) population. Criterion c is the
 * one used when the distributions overlap. Example, CORE-10: (4.8 × 19.7 + 7.7 × 4.7)/(4.8 + 7.7) = 10.46.
 */
export const clinicalCriteria = ({
  functional,
  dysfunctional,
  better,
}: {
  readonly functional: PopulationNorm;
  readonly dysfunctional: PopulationNorm;
  readonly better: Better;
}): ClinicalCriteria => {
  for (const [name, norm] of [
    ['functional', functional],
    ['dysfunctional', dysfunctional],
  ] as const) {
    if (!Number.isFinite(norm.mean)) throw new RangeError(`clinicalCriteria: ${name} mean must be finite`);
    if (!(norm.sd > 0) || !Number.isFinite(norm.sd)) throw new RangeError(`clinicalCriteria: ${name} sd must be > 0`);
  }
  const towardsBetter = better === 'lower' ? -1 : 1;
  return {
    a: dysfunctional.mean + towardsBetter * 2 * dysfunctional.sd,
    b: functional.mean - towardsBetter * 2 * functional.sd,
    c: (functional.sd * dysfunctional.mean + dysfunctional.sd * functional.mean) / (functional.sd + dysfunctional.sd),
  };
};

/** Criterion c alone (see `clinicalCriteria`). */
export const criterionC = (functional: PopulationNorm, dysfunctional: PopulationNorm): number =>
  clinicalCriteria({ functional, dysfunctional, better: 'lower' }).c;

/** The per-instrument rule the classification applies. */
export type ChangeRule = {
  readonly better: Better;
  /** Smallest change in raw points that counts as reliable (e.g. CORE-10: 6). Must be > 0. */
  readonly reliableChange: number;
  /** Clinical cut-off: clinical = at or beyond it in the worse direction. Null: no validated cut-off (e.g. QMI). */
  readonly cutoff: number | null;
};

export type ReliableChangeCategory = 'reliable_improvement' | 'reliable_deterioration' | 'no_reliable_change';

export type ChangeClassification = {
  /** post − pre. */
  readonly change: number;
  readonly category: ReliableChangeCategory;
  /** At or beyond the cut-off in the worse direction at pre; null without a cut-off. */
  readonly clinicalPre: boolean | null;
  readonly clinicalPost: boolean | null;
  /** Clinical at pre and not clinical at post (false if not clinical at pre); null without a cut-off. */
  readonly recovered: boolean | null;
  /** Recovered and reliable improvement ("reliable and clinically significant improvement"). */
  readonly reliableRecovery: boolean | null;
};

const assertRule = (rule: ChangeRule): void => {
  if (!(rule.reliableChange > 0) || !Number.isFinite(rule.reliableChange)) {
    throw new RangeError(`change rule: reliableChange must be finite and > 0, got ${rule.reliableChange}`);
  }
  if (rule.cutoff !== null && !Number.isFinite(rule.cutoff)) {
    throw new RangeError(`change rule: cutoff must be finite or null, got ${rule.cutoff}`);
  }
};

/**
 * Clinical status: for "lower is better" a score ≥ cut-off is clinical (CORE-10 ≥ 11); for "higher is better"
 * a score ≤ cut-off is (e.g. a configured QMI convention ≤ 29). Null when the instrument has no cut-off.
 */
export const isClinical = (score: number, cutoff: number | null, better: Better): boolean | null => {
  assertScore('isClinical', score);
  if (cutoff === null) return null;
  return better === 'lower' ? score >= cutoff : score <= cutoff;
};

/** Jacobson–Truax classification of one participant's pre→post change under `rule`. */
export const classifyChange = (pre: number, post: number, rule: ChangeRule): ChangeClassification => {
  assertScore('classifyChange (pre)', pre);
  assertScore('classifyChange (post)', post);
  assertRule(rule);
  const change = difference(pre, post);
  const improvement = rule.better === 'lower' ? -change : change;
  const category: ReliableChangeCategory =
    improvement >= rule.reliableChange
      ? 'reliable_improvement'
      : -improvement >= rule.reliableChange
        ? 'reliable_deterioration'
        : 'no_reliable_change';
  const clinicalPre = isClinical(pre, rule.cutoff, rule.better);
  const clinicalPost = isClinical(post, rule.cutoff, rule.better);
  const recovered = clinicalPre === null || clinicalPost === null ? null : clinicalPre && !clinicalPost;
  const reliableRecovery = recovered === null ? null : recovered && category === 'reliable_improvement';
  return { change, category, clinicalPre, clinicalPost, recovered, reliableRecovery };
};

export type ChangeSummary = {
  /** Complete pairs classified. */
  readonly n: number;
  readonly nIncomplete: number;
  /** Each over n. */
  readonly reliableImprovement: Proportion;
  readonly noReliableChange: Proportion;
  readonly reliableDeterioration: Proportion;
  /** Over n; null without a cut-off. */
  readonly clinicalPre: Proportion | null;
  readonly clinicalPost: Proportion | null;
  /** Over the number clinical at pre: "of those in the clinical range before, how many are no longer". */
  readonly recovered: Proportion | null;
  /** Over the number clinical at pre. */
  readonly reliableRecovery: Proportion | null;
};

/** Counts of the Jacobson–Truax categories over the complete pairs, each with its denominator. */
export const summariseChange = (pairs: ReadonlyArray<ScorePair>, rule: ChangeRule): ChangeSummary => {
  assertRule(rule);
  const { pre, post, nIncomplete } = completePairs('summariseChange', pairs);
  const counts = { reliable_improvement: 0, no_reliable_change: 0, reliable_deterioration: 0 };
  let clinicalPre = 0;
  let clinicalPost = 0;
  let recovered = 0;
  let reliableRecovery = 0;
  pre.forEach((x, i) => {
    const result = classifyChange(x, post[i] ?? x /* completePairs returns equal-length arrays; ?? only satisfies the index type */, rule);
    counts[result.category] += 1;
    if (result.clinicalPre === true) clinicalPre += 1;
    if (result.clinicalPost === true) clinicalPost += 1;
    if (result.recovered === true) recovered += 1;
    if (result.reliableRecovery === true) reliableRecovery += 1;
  });
  const n = pre.length;
  const hasCutoff = rule.cutoff !== null;
  return {
    n,
    nIncomplete,
    reliableImprovement: proportion(counts.reliable_improvement, n),
    noReliableChange: proportion(counts.no_reliable_change, n),
    reliableDeterioration: proportion(counts.reliable_deterioration, n),
    clinicalPre: hasCutoff ? proportion(clinicalPre, n) : null,
    clinicalPost: hasCutoff ? proportion(clinicalPost, n) : null,
    recovered: hasCutoff ? proportion(recovered, clinicalPre) : null,
    reliableRecovery: hasCutoff ? proportion(reliableRecovery, clinicalPre) : null,
  };
};
