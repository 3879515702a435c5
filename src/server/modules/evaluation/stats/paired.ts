/**
 * Paired pre→post figures: means, mean change, SD of change, the effect size d_z with its confidence interval,
 * and the paired t-test. Change is always post − pre, whatever direction is better for the instrument.
 */
import { assertConfidence, describe } from './descriptive.ts';
import { noncentralTCdf, normalQuantile, tTwoSidedP } from './distributions.ts';
import { findRootBrent } from './solve.ts';
import { type NullReason, type ScorePair, completePairs, difference } from './types.ts';
import { type WilcoxonOptions, type WilcoxonResult, wilcoxonSignedRankFromDifferences } from './wilcoxon.ts';

/**
 * How the CI of d_z is computed.
 * - 'noncentral-t' (default): exact interval. t = d_z·√n follows a noncentral t with n − 1 df and noncentrality
 *   δ = d_z·√n; the limits are the δ for which the observed t sits at the 97.5th and 2.5th percentiles,
 *   divided by √n (Steiger & Fouladi 1997; Cumming & Finch 2001).
 * - 'normal': d_z ± z·SE with SE = √(1/n + d_z²/(2n)) — a large-sample approximation, too narrow for small n.
 */
export type DzCiMethod = 'noncentral-t' | 'normal';

/**
 * Beyond this |t| the noncentral-t series needs tens of thousands of terms per evaluation; there n (or the
 * effect) is so large that the normal approximation is within rounding of the exact interval, so we switch
 * and report the method actually used.
 */
export const NONCENTRAL_T_MAX_ABS_T = 200;

export type EffectSizeDz = {
  /** d_z = mean change / SD of change (sign: negative when scores went down). */
  readonly dz: number | null;
  readonly ciLower: number | null;
  readonly ciUpper: number | null;
  readonly confidence: number;
  /** Method actually used for the CI (may differ from the requested one; see NONCENTRAL_T_MAX_ABS_T). */
  readonly ciMethod: DzCiMethod;
  readonly reason: NullReason | null;
};

export type PairedTTest = {
  readonly t: number | null;
  readonly df: number | null;
  /** Two-sided p-value. */
  readonly p: number | null;
  readonly reason: NullReason | null;
};

export type PairedAnalysis = {
  /** Pairs with both scores present. */
  readonly n: number;
  /** Pairs given with pre or post missing (excluded from every paired figure). */
  readonly nIncomplete: number;
  readonly meanPre: number | null;
  readonly meanPost: number | null;
  /** mean(post − pre). */
  readonly meanChange: number | null;
  /** Sample SD (n − 1) of post − pre. */
  readonly sdChange: number | null;
  readonly effectSize: EffectSizeDz;
  readonly tTest: PairedTTest;
  readonly wilcoxon: WilcoxonResult;
};

export type PairedOptions = {
  readonly confidence?: number;
  readonly ciMethod?: DzCiMethod;
  readonly wilcoxon?: WilcoxonOptions;
};

/**
 * SD of change counts as zero when it is within floating-point noise of the differences themselves; otherwise
 * t and d_z would be astronomically large numbers made of rounding error.
 */
const isEffectivelyZero = (sd: number, differences: ReadonlyArray<number>): boolean => {
  const scale = differences.reduce((max, d) => Math.max(max, Math.abs(d)), 1);
  return sd <= 1e-12 * scale;
};

const dzNormalCi = (dz: number, n: number, confidence: number): { lower: number; upper: number } => {
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const se = Math.sqrt(1 / n + (dz * dz) / (2 * n));
  return { lower: dz - z * se, upper: dz + z * se };
};

/**
 * Exact CI for d_z by inverting the noncentral t CDF in δ (it decreases as δ grows). Returns null if a limit
 * cannot be bracketed, which only happens for |t| far beyond NONCENTRAL_T_MAX_ABS_T.
 */
const dzNoncentralCi = (t: number, n: number, confidence: number): { lower: number; upper: number } | null => {
  const df = n - 1;
  const alpha = 1 - confidence;
  const solve = (target: number): number | null =>
    findRootBrent((delta) => noncentralTCdf(t, df, delta) - target, t - 4, t + 4, { tolerance: 1e-11 });
  const deltaLower = solve(1 - alpha / 2);
  const deltaUpper = solve(alpha / 2);
  if (deltaLower === null || deltaUpper === null) return null;
  const root = Math.sqrt(n);
  return { lower: deltaLower / root, upper: deltaUpper / root };
};

/**
 * What d_z and the paired t-test need from the differences: their count, mean and sample SD, and the largest
 * |difference| (to tell a real zero SD from floating-point noise). The report computes these in SQL over
 * millions of pairs, so the figures are defined on the summary and the array versions below derive it.
 */
export type DifferenceSummary = {
  readonly n: number;
  /** Mean of post − pre; null when n = 0. */
  readonly mean: number | null;
  /** Sample SD (n − 1) of post − pre; null when n < 2. */
  readonly sd: number | null;
  /** Largest |post − pre|. */
  readonly maxAbsDifference: number;
};

export const summariseDifferences = (differences: ReadonlyArray<number>): DifferenceSummary => {
  const d = describe(differences);
  return { n: d.n, mean: d.mean, sd: d.sd, maxAbsDifference: differences.reduce((max, x) => Math.max(max, Math.abs(x)), 0) };
};

const summaryReason = (summary: DifferenceSummary): NullReason | null =>
  summary.n === 0 ? 'no_data' : summary.n === 1 ? 'n_below_2' : null;

/** SD within floating-point noise of the differences' own size counts as zero (see isEffectivelyZero). */
const summarySdIsZero = (sd: number, summary: DifferenceSummary): boolean => sd <= 1e-12 * Math.max(1, summary.maxAbsDifference);

/** d_z with its CI from a summary of the differences (see `effectSizeDz`). */
export const effectSizeDzFromSummary = (
  summary: DifferenceSummary,
  { confidence = 0.95, ciMethod = 'noncentral-t' }: { confidence?: number; ciMethod?: DzCiMethod } = {},
): EffectSizeDz => {
  assertConfidence(confidence);
  const empty = (reason: NullReason): EffectSizeDz => ({
    dz: null,
    ciLower: null,
    ciUpper: null,
    confidence,
    ciMethod,
    reason,
  });
  const reason = summaryReason(summary);
  if (reason !== null || summary.mean === null || summary.sd === null) return empty(reason ?? 'no_data');
  if (summarySdIsZero(summary.sd, summary)) return empty('zero_sd_of_change');
  const dz = summary.mean / summary.sd;
  const n = summary.n;
  const t = dz * Math.sqrt(n);
  if (ciMethod === 'noncentral-t' && Math.abs(t) <= NONCENTRAL_T_MAX_ABS_T) {
    const ci = dzNoncentralCi(t, n, confidence);
    if (ci !== null) return { dz, ciLower: ci.lower, ciUpper: ci.upper, confidence, ciMethod, reason: null };
  }
  const ci = dzNormalCi(dz, n, confidence);
  return { dz, ciLower: ci.lower, ciUpper: ci.upper, confidence, ciMethod: 'normal', reason: null };
};

/**
 * Effect size d_z = mean(post − pre)/SD(post − pre) for complete pairs, with a CI (default 95 %, exact
 * noncentral-t method). Null with a reason when n < 2 or the SD of change is 0.
 */
export const effectSizeDz = (
  differences: ReadonlyArray<number>,
  options: { confidence?: number; ciMethod?: DzCiMethod } = {},
): EffectSizeDz => effectSizeDzFromSummary(summariseDifferences(differences), options);

/** Paired t-test from a summary of the differences (see `pairedTTest`). */
export const pairedTTestFromSummary = (summary: DifferenceSummary): PairedTTest => {
  const reason = summaryReason(summary);
  if (reason !== null || summary.mean === null || summary.sd === null) return { t: null, df: null, p: null, reason: reason ?? 'no_data' };
  if (summarySdIsZero(summary.sd, summary)) return { t: null, df: null, p: null, reason: 'zero_sd_of_change' };
  const t = summary.mean / (summary.sd / Math.sqrt(summary.n));
  const df = summary.n - 1;
  return { t, df, p: tTwoSidedP(t, df), reason: null };
};

/** Paired t-test on post − pre: t = mean/(SD/√n), df = n − 1, two-sided p. */
export const pairedTTest = (differences: ReadonlyArray<number>): PairedTTest => pairedTTestFromSummary(summariseDifferences(differences));

/**
 * Every paired figure for one instrument scale: pairs with a missing score are dropped (and counted), then
 * means, mean change (post − pre), SD of change, d_z with CI, paired t-test and Wilcoxon signed-rank.
 */
export const analysePaired = (pairs: ReadonlyArray<ScorePair>, options: PairedOptions = {}): PairedAnalysis => {
  const { pre, post, nIncomplete } = completePairs('analysePaired', pairs);
  const differences = pre.map((x, i) => difference(x, post[i] ?? x /* completePairs returns equal-length arrays; ?? only satisfies the index type */));
  const change = describe(differences);
  const sdChange = change.sd !== null && isEffectivelyZero(change.sd, differences) ? 0 : change.sd;
  return {
    n: pre.length,
    nIncomplete,
    meanPre: describe(pre).mean,
    meanPost: describe(post).mean,
    meanChange: change.mean,
    sdChange,
    effectSize: effectSizeDz(differences, { confidence: options.confidence, ciMethod: options.ciMethod }),
    tTest: pairedTTest(differences),
    wilcoxon: wilcoxonSignedRankFromDifferences(differences, options.wilcoxon),
  };
};
