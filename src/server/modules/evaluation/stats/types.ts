/**
 * Why a figure is null. The report shows these instead of a number, so a reader can tell "nobody answered"
 * from "everyone scored the same" — and so that no NaN or Infinity ever reaches a page or an export.
 */
export type NullReason =
  /** No (complete) observations at all, e.g. an all-missing group. */
  | 'no_data'
  /** Fewer than two observations: there is no spread to estimate. */
  | 'n_below_2'
  /** Every difference is identical, so SD of change is 0 and d_z / t are undefined. */
  | 'zero_sd_of_change'
  /** Every pre–post difference is 0: the signed-rank test has nothing to rank. */
  | 'all_differences_zero'
  /** No discordant pairs (b + c = 0): McNemar's χ² is 0/0. */
  | 'no_discordant_pairs'
  /** The instrument has no validated cut-off, so clinical status cannot be judged. */
  | 'no_cutoff'
  /** The confidence limit could not be bracketed numerically (|t| beyond ~1e6). */
  | 'not_computable';

/** Input element for per-timepoint series: a score, or null/undefined when the questionnaire is missing or unscorable. */
export type MaybeScore = number | null | undefined;

/** One participant's pre and post score; either may be missing. */
export type ScorePair = { readonly pre: MaybeScore; readonly post: MaybeScore };

/** Which direction of the scale is better: CORE, SDQ difficulties, BCAP are "lower"; QMI, SWEMWBS are "higher". */
export type Better = 'lower' | 'higher';

/** Throws on NaN/±Infinity scores: those are bugs in scoring, not missing data, and must not be averaged. */
export const assertScore = (where: string, value: number): void => {
  if (!Number.isFinite(value)) throw new RangeError(`${where}: score must be a finite number, got ${value}`);
};

/** Keeps the present scores, rejecting non-finite ones, and counts the missing. */
export const presentScores = (
  where: string,
  values: ReadonlyArray<MaybeScore>,
): { readonly scores: number[]; readonly nMissing: number } => {
  const scores: number[] = [];
  let nMissing = 0;
  for (const value of values) {
    if (value === null || value === undefined) {
      nMissing += 1;
      continue;
    }
    assertScore(where, value);
    scores.push(value);
  }
  return { scores, nMissing };
};

/** Keeps the pairs with both scores present; the others are counted so completeness can be reported. */
export const completePairs = (
  where: string,
  pairs: ReadonlyArray<ScorePair>,
): { readonly pre: number[]; readonly post: number[]; readonly nIncomplete: number } => {
  const pre: number[] = [];
  const post: number[] = [];
  let nIncomplete = 0;
  for (const pair of pairs) {
    if (pair.pre === null || pair.pre === undefined || pair.post === null || pair.post === undefined) {
      nIncomplete += 1;
      continue;
    }
    assertScore(`${where} (pre)`, pair.pre);
    assertScore(`${where} (post)`, pair.post);
    pre.push(pair.pre);
    post.push(pair.post);
  }
  return { pre, post, nIncomplete };
};

/**
 * post − pre, cleaned of floating-point noise. Scores are sums or prorated means, so two changes that are equal
 * on paper can differ in the 16th digit (0.1 + 0.2 ≠ 0.3); without this, equal changes would not tie in the
 * signed-rank test, a zero change would not count as zero, and a constant change would show a spurious SD.
 * A difference within 1e-12 of the scores' own size is 0; any other is rounded to 12 significant digits.
 */
export const difference = (pre: number, post: number): number => {
  const raw = post - pre;
  if (Math.abs(raw) <= 1e-12 * Math.max(Math.abs(pre), Math.abs(post))) return 0;
  return Number(raw.toPrecision(12));
};
