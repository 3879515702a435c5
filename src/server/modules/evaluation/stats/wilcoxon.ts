/**
 * Wilcoxon signed-rank test for paired scores (the report's non-parametric companion to the paired t-test).
 *
 * Definitions (differences are post − pre):
 * - Zero differences: 'wilcox' (default) discards them before ranking; 'pratt' ranks them with the others and
 *   then leaves their ranks out of both sums.
 * - Ranks of |difference| use mid-ranks for ties.
 * - W+ = sum of ranks of positive differences, W− of negative ones; reported W = min(W+, W−).
 * - p (two-sided), chosen by `pMethod`:
 *   - 'auto' (default): exact when N ≤ exactMaxN (default 50) and the ranks are exactly 1..N (no tied |d|,
 *     and no zeros kept in the ranking by 'pratt'); otherwise the normal approximation.
 *   - 'exact': the exact permutation distribution of W+ over all 2^N sign patterns of the ranks actually used.
 *     With untied ranks this is the classical Wilcoxon table ("exact"); with ties or Pratt zeros it is the
 *     exact test conditional on the observed mid-ranks ("exact_conditional").
 *   - 'normal': z = (W+ − E)/σ with E = Σr/2 and σ² = Σr²/4 over the ranked non-zero differences. Using the
 *     actual mid-ranks makes σ² the tie-corrected variance [n(n+1)(2n+1) − Σ(t³ − t)/2]/24 and handles
 *     Pratt's zeros exactly. A continuity correction of ½ shrinks |W+ − E| (never past 0) unless disabled.
 * - Effect size r = Z/√N, where Z is the tie-corrected z *without* continuity correction (an effect size
 *   should not carry a small-sample p-value adjustment) and N = number of ranked pairs (non-zero pairs for
 *   'wilcox', all pairs for 'pratt'). r is reported whichever p method is used.
 */
import { normalCdf } from './distributions.ts';
import { type NullReason, type ScorePair, completePairs, difference } from './types.ts';

export type ZeroMethod = 'wilcox' | 'pratt';
export type WilcoxonPMethod = 'auto' | 'exact' | 'normal';
export type WilcoxonMethodUsed = 'exact' | 'exact_conditional' | 'normal';

export type WilcoxonOptions = {
  readonly zeroMethod?: ZeroMethod;
  readonly pMethod?: WilcoxonPMethod;
  /** Continuity correction for the normal approximation (default true). */
  readonly continuityCorrection?: boolean;
  /** Largest N for which 'auto' uses the exact distribution (default 50). */
  readonly exactMaxN?: number;
};

/** Largest N for which an explicit 'exact' request is honoured: the enumeration costs O(N³). */
export const WILCOXON_EXACT_HARD_LIMIT = 300;

export type WilcoxonResult = {
  /** Complete pairs analysed. */
  readonly n: number;
  /** Pairs whose difference is 0. */
  readonly nZero: number;
  /** N: pairs in the ranking (n − nZero for 'wilcox', n for 'pratt'). */
  readonly nRanked: number;
  readonly zeroMethod: ZeroMethod;
  /** True when some non-zero |d| are tied (or Pratt zeros share ranks with each other). */
  readonly hasTies: boolean;
  readonly wPlus: number | null;
  readonly wMinus: number | null;
  /** min(W+, W−), the two-sided statistic. */
  readonly w: number | null;
  /** Tie-corrected normal deviate of W+ without continuity correction; negative when scores went down. */
  readonly z: number | null;
  /** Two-sided p-value by `method`. */
  readonly p: number | null;
  readonly method: WilcoxonMethodUsed | null;
  /** Whether a continuity correction was applied to p (only ever with method 'normal'). */
  readonly continuityCorrection: boolean;
  /** r = z/√nRanked. */
  readonly r: number | null;
  readonly reason: NullReason | null;
};

/** Mid-ranks of non-negative values (ties share the mean of the ranks they span), and whether any tie exists. */
const midRanks = (values: ReadonlyArray<number>): { ranks: number[]; hasTies: boolean } => {
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
  const ranks = new Array<number>(values.length).fill(0);
  let hasTies = false;
  let start = 0;
  while (start < order.length) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]?.v === order[start]?.v) end += 1;
    if (end > start) hasTies = true;
    const rank = (start + end + 2) / 2;
    for (let k = start; k <= end; k += 1) {
      const entry = order[k];
      if (entry !== undefined) ranks[entry.i] = rank;
    }
    start = end + 1;
  }
  return { ranks, hasTies };
};

/**
 * Two-sided exact p for W+ given the ranks in play: the null distribution of Σ rᵢ·Bᵢ with Bᵢ ~ Bernoulli(½)
 * independent, enumerated by dynamic programming over doubled ranks (mid-ranks are multiples of ½, so doubled
 * ranks are integers and the sums are exact). p = min(1, 2·min(P(S ≤ s), P(S ≥ s))).
 */
const exactSignedRankP = (ranks: ReadonlyArray<number>, wPlus: number): number => {
  const doubled = ranks.map((r) => Math.round(2 * r));
  const total = doubled.reduce((sum, r) => sum + r, 0);
  let dist = new Float64Array(total + 1);
  dist[0] = 1;
  let reach = 0;
  for (const r of doubled) {
    const next = new Float64Array(total + 1);
    for (let s = 0; s <= reach; s += 1) {
      const mass = dist[s] ?? 0;
      if (mass === 0) continue;
      next[s] = (next[s] ?? 0) + mass / 2;
      next[s + r] = (next[s + r] ?? 0) + mass / 2;
    }
    reach += r;
    dist = next;
  }
  const s = Math.round(2 * wPlus);
  let lower = 0;
  let upper = 0;
  for (let k = 0; k <= total; k += 1) {
    const mass = dist[k] ?? 0;
    if (k <= s) lower += mass;
    if (k >= s) upper += mass;
  }
  return Math.min(1, 2 * Math.min(lower, upper));
};

/** Wilcoxon signed-rank test on already-computed differences (post − pre). See the module comment for definitions. */
export const wilcoxonSignedRankFromDifferences = (
  differences: ReadonlyArray<number>,
  { zeroMethod = 'wilcox', pMethod = 'auto', continuityCorrection = true, exactMaxN = 50 }: WilcoxonOptions = {},
): WilcoxonResult => {
  for (const d of differences) {
    if (!Number.isFinite(d)) throw new RangeError(`wilcoxonSignedRank: difference must be finite, got ${d}`);
  }
  const n = differences.length;
  const nZero = differences.filter((d) => d === 0).length;
  const ranked = zeroMethod === 'wilcox' ? differences.filter((d) => d !== 0) : [...differences];
  const nRanked = ranked.length;
  const empty = (reason: NullReason, hasTies = false): WilcoxonResult => ({
    n,
    nZero,
    nRanked,
    zeroMethod,
    hasTies,
    wPlus: null,
    wMinus: null,
    w: null,
    z: null,
    p: null,
    method: null,
    continuityCorrection: false,
    r: null,
    reason,
  });
  if (n === 0) return empty('no_data');
  if (nZero === n) return empty('all_differences_zero', n > 1 && zeroMethod === 'pratt');

  const { ranks, hasTies } = midRanks(ranked.map((d) => Math.abs(d)));
  let wPlus = 0;
  let wMinus = 0;
  const nonZeroRanks: number[] = [];
  ranked.forEach((d, i) => {
    const rank = ranks[i] ?? 0;
    if (d > 0) wPlus += rank;
    if (d < 0) wMinus += rank;
    if (d !== 0) nonZeroRanks.push(rank);
  });
  const expected = nonZeroRanks.reduce((sum, r) => sum + r, 0) / 2;
  const sigma = Math.sqrt(nonZeroRanks.reduce((sum, r) => sum + r * r, 0) / 4);
  const deviation = wPlus - expected;
  const z = deviation / sigma;
  // Ranks are exactly 1..N only without ties and without Pratt zeros occupying the lowest ranks.
  const classicRanks = !hasTies && (zeroMethod === 'wilcox' || nZero === 0);

  const useExact = pMethod === 'exact' || (pMethod === 'auto' && classicRanks && nRanked <= exactMaxN);
  if (useExact && nRanked > WILCOXON_EXACT_HARD_LIMIT) {
    throw new RangeError(`wilcoxonSignedRank: exact p requested for N = ${nRanked} > ${WILCOXON_EXACT_HARD_LIMIT}`);
  }
  const base = {
    n,
    nZero,
    nRanked,
    zeroMethod,
    hasTies,
    wPlus,
    wMinus,
    w: Math.min(wPlus, wMinus),
    z,
    r: z / Math.sqrt(nRanked),
    reason: null,
  };
  if (useExact) {
    return {
      ...base,
      p: exactSignedRankP(nonZeroRanks, wPlus),
      method: classicRanks ? 'exact' : 'exact_conditional',
      continuityCorrection: false,
    };
  }
  const corrected = continuityCorrection ? Math.max(0, Math.abs(deviation) - 0.5) : Math.abs(deviation);
  const p = Math.min(1, 2 * normalCdf(-corrected / sigma));
  return { ...base, p, method: 'normal', continuityCorrection };
};

/** Wilcoxon signed-rank test on pre/post pairs; pairs with a missing score are left out. */
export const wilcoxonSignedRank = (pairs: ReadonlyArray<ScorePair>, options: WilcoxonOptions = {}): WilcoxonResult => {
  const { pre, post } = completePairs('wilcoxonSignedRank', pairs);
  return wilcoxonSignedRankFromDifferences(
    pre.map((x, i) => difference(x, post[i] ?? x /* completePairs returns equal-length arrays; ?? only satisfies the index type */)),
    options,
  );
};

/** How many pairs had one particular difference (post − pre): the compressed form the report's SQL returns. */
export type DifferenceCount = { readonly difference: number; readonly count: number };

/**
 * Wilcoxon signed-rank test from a histogram of differences, for cells with too many pairs to hold one by one
 * (the report aggregates millions of pairs in SQL and returns one row per distinct difference).
 *
 * Same definitions and same result as `wilcoxonSignedRankFromDifferences` on the expanded list. Up to
 * WILCOXON_EXACT_HARD_LIMIT pairs the histogram is expanded and that function is called, so every small-sample
 * path (exact, exact conditional) is literally the same code. Beyond it only the normal approximation applies
 * anyway ('auto' never goes exact above `exactMaxN` ≤ 300, and 'exact' is refused there), and it needs only the
 * mid-rank of each distinct |difference|, which the histogram gives directly: with t values sharing |d| and c
 * values below it, their mid-rank is c + (t + 1)/2.
 */
export const wilcoxonSignedRankFromCounts = (counts: ReadonlyArray<DifferenceCount>, options: WilcoxonOptions = {}): WilcoxonResult => {
  let n = 0;
  for (const { difference: d, count } of counts) {
    if (!Number.isFinite(d)) throw new RangeError(`wilcoxonSignedRank: difference must be finite, got ${d}`);
    if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`wilcoxonSignedRank: count must be a non-negative integer, got ${count}`);
    n += count;
  }
  if (n <= WILCOXON_EXACT_HARD_LIMIT) {
    return wilcoxonSignedRankFromDifferences(
      counts.flatMap(({ difference: d, count }) => new Array<number>(count).fill(d)),
      options,
    );
  }
  const { zeroMethod = 'wilcox', pMethod = 'auto', continuityCorrection = true } = options;
  if (pMethod === 'exact') {
    throw new RangeError(`wilcoxonSignedRank: exact p requested for N = ${n} > ${WILCOXON_EXACT_HARD_LIMIT}`);
  }
  // Per distinct |d|: how many positive, negative and zero differences share it.
  const byMagnitude = new Map<number, { pos: number; neg: number; zero: number }>();
  for (const { difference: d, count } of counts) {
    if (count === 0) continue;
    const entry = byMagnitude.get(Math.abs(d)) ?? { pos: 0, neg: 0, zero: 0 };
    if (d > 0) entry.pos += count;
    else if (d < 0) entry.neg += count;
    else entry.zero += count;
    byMagnitude.set(Math.abs(d), entry);
  }
  const nZero = byMagnitude.get(0)?.zero ?? 0;
  const nRanked = zeroMethod === 'wilcox' ? n - nZero : n;
  const empty = (reason: NullReason, hasTies = false): WilcoxonResult => ({
    n,
    nZero,
    nRanked,
    zeroMethod,
    hasTies,
    wPlus: null,
    wMinus: null,
    w: null,
    z: null,
    p: null,
    method: null,
    continuityCorrection: false,
    r: null,
    reason,
  });
  if (nZero === n) return empty('all_differences_zero', n > 1 && zeroMethod === 'pratt');

  let below = 0;
  let hasTies = false;
  let wPlus = 0;
  let wMinus = 0;
  let sumRanks = 0;
  let sumSquaredRanks = 0;
  for (const magnitude of [...byMagnitude.keys()].sort((a, b) => a - b)) {
    const entry = byMagnitude.get(magnitude) ?? { pos: 0, neg: 0, zero: 0 };
    const tied = entry.pos + entry.neg + (zeroMethod === 'pratt' ? entry.zero : 0);
    if (tied === 0) continue;
    if (tied > 1) hasTies = true;
    const rank = below + (tied + 1) / 2;
    wPlus += entry.pos * rank;
    wMinus += entry.neg * rank;
    // Only non-zero differences enter E and σ² (Pratt's zeros hold ranks but carry no sign).
    sumRanks += (entry.pos + entry.neg) * rank;
    sumSquaredRanks += (entry.pos + entry.neg) * rank * rank;
    below += tied;
  }
  const expected = sumRanks / 2;
  const sigma = Math.sqrt(sumSquaredRanks / 4);
  const deviation = wPlus - expected;
  const z = deviation / sigma;
  const corrected = continuityCorrection ? Math.max(0, Math.abs(deviation) - 0.5) : Math.abs(deviation);
  return {
    n,
    nZero,
    nRanked,
    zeroMethod,
    hasTies,
    wPlus,
    wMinus,
    w: Math.min(wPlus, wMinus),
    z,
    p: Math.min(1, 2 * normalCdf(-corrected / sigma)),
    method: 'normal',
    continuityCorrection,
    r: z / Math.sqrt(nRanked),
    reason: null,
  };
};
