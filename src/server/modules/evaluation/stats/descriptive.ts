/** Per-timepoint descriptive figures: n, mean, SD, a CI for the mean, and proportions that keep their counts. */
import { tQuantile } from './distributions.ts';
import { type MaybeScore, type NullReason, presentScores } from './types.ts';

export type Descriptives = {
  /** Number of present scores. */
  readonly n: number;
  /** Number of null/undefined entries (missing or unscorable questionnaires). */
  readonly nMissing: number;
  /** Arithmetic mean; null when n = 0. */
  readonly mean: number | null;
  /** Sample standard deviation with the n − 1 denominator; null when n < 2. */
  readonly sd: number | null;
  /** Why `mean` or `sd` is null; null when both are present. */
  readonly reason: NullReason | null;
};

/**
 * Welford's one-pass update: numerically stable (no "sum of squares minus square of sum" cancellation) and it
 * cannot overflow for any realistic score.
 */
const meanAndSumSquares = (scores: ReadonlyArray<number>): { mean: number; m2: number } => {
  let mean = 0;
  let m2 = 0;
  scores.forEach((x, i) => {
    const delta = x - mean;
    mean += delta / (i + 1);
    m2 += delta * (x - mean);
  });
  return { mean, m2: Math.max(0, m2) };
};

/**
 * n, mean and sample SD (denominator n − 1) of the present scores; null/undefined entries are missing and are
 * counted in `nMissing`. Empty or all-missing input gives n = 0 and nulls — never NaN.
 */
export const describe = (values: ReadonlyArray<MaybeScore>): Descriptives => {
  const { scores, nMissing } = presentScores('describe', values);
  const n = scores.length;
  if (n === 0) return { n, nMissing, mean: null, sd: null, reason: 'no_data' };
  const { mean, m2 } = meanAndSumSquares(scores);
  if (n === 1) return { n, nMissing, mean, sd: null, reason: 'n_below_2' };
  return { n, nMissing, mean, sd: Math.sqrt(m2 / (n - 1)), reason: null };
};

export type MeanCi = {
  readonly n: number;
  readonly mean: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
  readonly confidence: number;
  readonly reason: NullReason | null;
};

/**
 * t-based confidence interval for a mean: mean ± t(1 − α/2, n − 1)·SD/√n (for the report's error bars).
 * Needs n ≥ 2; with SD = 0 the interval collapses to the mean, which is the honest answer.
 */
export const meanConfidenceInterval = (values: ReadonlyArray<MaybeScore>, confidence = 0.95): MeanCi => {
  assertConfidence(confidence);
  const d = describe(values);
  if (d.mean === null || d.sd === null) {
    return { n: d.n, mean: d.mean, lower: null, upper: null, confidence, reason: d.reason };
  }
  const half = tQuantile(1 - (1 - confidence) / 2, d.n - 1) * (d.sd / Math.sqrt(d.n));
  return { n: d.n, mean: d.mean, lower: d.mean - half, upper: d.mean + half, confidence, reason: null };
};

export const assertConfidence = (confidence: number): void => {
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`confidence must be strictly between 0 and 1, got ${confidence}`);
  }
};

/** A proportion that always carries its counts: the report shows "24 of 68 (35.3 %)", never a bare percentage. */
export type Proportion = {
  readonly numerator: number;
  readonly denominator: number;
  /** 100·numerator/denominator, unrounded; null when the denominator is 0. */
  readonly pct: number | null;
};

/** Builds a proportion; both counts must be non-negative integers with numerator ≤ denominator. */
export const proportion = (numerator: number, denominator: number): Proportion => {
  if (!Number.isSafeInteger(numerator) || numerator < 0) {
    throw new RangeError(`proportion: numerator must be a non-negative integer, got ${numerator}`);
  }
  if (!Number.isSafeInteger(denominator) || denominator < 0) {
    throw new RangeError(`proportion: denominator must be a non-negative integer, got ${denominator}`);
  }
  if (numerator > denominator) {
    throw new RangeError(`proportion: numerator ${numerator} exceeds denominator ${denominator}`);
  }
  return { numerator, denominator, pct: denominator === 0 ? null : (100 * numerator) / denominator };
};

/**
 * n, mean and M2 (sum of squared deviations from the mean) of a set of scores: the form in which the report's
 * SQL hands over each small cell, and which combines exactly across cells (Chan, Golub & LeVeque 1979), so the
 * database never ships the scores themselves and no "sum of squares minus square of sum" cancellation occurs.
 */
export type Moments = { readonly n: number; readonly mean: number; readonly m2: number };

export const EMPTY_MOMENTS: Moments = { n: 0, mean: 0, m2: 0 };

/** Pools two cells' moments (the parallel form of Welford's update). */
export const combineMoments = (a: Moments, b: Moments): Moments => {
  if (a.n === 0) return b;
  if (b.n === 0) return a;
  const n = a.n + b.n;
  const delta = b.mean - a.mean;
  return { n, mean: a.mean + (delta * b.n) / n, m2: Math.max(0, a.m2 + b.m2 + (delta * delta * a.n * b.n) / n) };
};

/** `describe` on pooled moments: same definitions (mean null at n = 0, SD with n − 1, null at n < 2). */
export const describeMoments = (moments: Moments): Descriptives => {
  const { n, mean, m2 } = moments;
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`describeMoments: n must be a non-negative integer, got ${n}`);
  if (n > 0 && (!Number.isFinite(mean) || !Number.isFinite(m2))) throw new RangeError('describeMoments: mean and m2 must be finite');
  if (n === 0) return { n, nMissing: 0, mean: null, sd: null, reason: 'no_data' };
  if (n === 1) return { n, nMissing: 0, mean, sd: null, reason: 'n_below_2' };
  return { n, nMissing: 0, mean, sd: Math.sqrt(Math.max(0, m2) / (n - 1)), reason: null };
};

/** t-based CI for a mean from its descriptives (see `meanConfidenceInterval`). */
export const meanConfidenceIntervalOf = (d: Descriptives, confidence = 0.95): MeanCi => {
  assertConfidence(confidence);
  if (d.mean === null || d.sd === null) return { n: d.n, mean: d.mean, lower: null, upper: null, confidence, reason: d.reason };
  const half = tQuantile(1 - (1 - confidence) / 2, d.n - 1) * (d.sd / Math.sqrt(d.n));
  return { n: d.n, mean: d.mean, lower: d.mean - half, upper: d.mean + half, confidence, reason: null };
};
