/**
 * McNemar's test for a paired binary outcome — in the report, "in the clinical range" before vs after, on the
 * participants who have both scores (never on the two timepoints' different denominators).
 *
 * b = clinical → not clinical (improved), c = not clinical → clinical (worsened); concordant pairs carry no
 * information about change. Three p-values are computed and all are reported:
 * - exact: two-sided binomial test of min(b, c) in n = b + c trials with probability ½ (= twice the smaller tail);
 * - χ² = (b − c)²/(b + c), 1 df;
 * - continuity-corrected χ² = (max(0, |b − c| − 1))²/(b + c), 1 df (Edwards 1948). The max(0, ·) keeps b = c
 *   at χ² = 0, p = 1, instead of statsmodels' (0 − 1)² which pushes it away from "no change".
 * The headline p (`used`) is the exact one when b + c < 25 and the uncorrected χ² otherwise: the exact
 * conditional test never exceeds its level but is conservative, and with 25+ discordant pairs the uncorrected
 * asymptotic test stays close to nominal while the corrected one is as conservative as the exact (Fagerland,
 * Lydersen & Laake 2013, BMC Med Res Methodol 13:91).
 */
import { proportion } from './descriptive.ts';
import { binomialTestTwoSided, chiSquare1Sf } from './distributions.ts';
import type { NullReason } from './types.ts';

/** Discordant-pair count at and above which the χ² p-value becomes the headline. */
export const MCNEMAR_EXACT_BELOW = 25;

export type McNemarResult = {
  /** Pairs with both statuses known (a + b + c + d); null when the test was given b and c only. */
  readonly n: number | null;
  /** Clinical → not clinical. */
  readonly b: number;
  /** Not clinical → clinical. */
  readonly c: number;
  readonly nDiscordant: number;
  readonly exactP: number;
  readonly chiSquare: number | null;
  readonly chiSquareP: number | null;
  readonly chiSquareCorrected: number | null;
  readonly chiSquareCorrectedP: number | null;
  /** Which p-value is the headline `p`. */
  readonly used: 'exact' | 'chi_square';
  readonly p: number;
  /** Why the χ² figures are null (no discordant pairs). */
  readonly reason: NullReason | null;
};

const assertCount = (name: string, k: number): void => {
  if (!Number.isSafeInteger(k) || k < 0) throw new RangeError(`mcnemar: ${name} must be a non-negative integer, got ${k}`);
};

/** McNemar's test from the discordant counts b and c. */
export const mcnemar = ({ b, c }: { readonly b: number; readonly c: number }, n: number | null = null): McNemarResult => {
  assertCount('b', b);
  assertCount('c', c);
  const nDiscordant = b + c;
  const exactP = binomialTestTwoSided(Math.min(b, c), nDiscordant, 0.5);
  if (nDiscordant === 0) {
    return {
      n,
      b,
      c,
      nDiscordant,
      exactP,
      chiSquare: null,
      chiSquareP: null,
      chiSquareCorrected: null,
      chiSquareCorrectedP: null,
      used: 'exact',
      p: exactP,
      reason: 'no_discordant_pairs',
    };
  }
  const chiSquare = (b - c) ** 2 / nDiscordant;
  const chiSquareCorrected = Math.max(0, Math.abs(b - c) - 1) ** 2 / nDiscordant;
  const chiSquareP = chiSquare1Sf(chiSquare);
  const used = nDiscordant < MCNEMAR_EXACT_BELOW ? 'exact' : 'chi_square';
  return {
    n,
    b,
    c,
    nDiscordant,
    exactP,
    chiSquare,
    chiSquareP,
    chiSquareCorrected,
    chiSquareCorrectedP: chiSquare1Sf(chiSquareCorrected),
    used,
    p: used === 'exact' ? exactP : chiSquareP,
    reason: null,
  };
};

/** Clinical status at pre and post for one participant; null when that score is missing or unscorable. */
export type StatusPair = { readonly pre: boolean | null | undefined; readonly post: boolean | null | undefined };

export type McNemarFromPairs = McNemarResult & {
  /** Pairs left out because a status was missing. */
  readonly nIncomplete: number;
  /** Clinical at pre, among complete pairs (numerator and denominator kept). */
  readonly clinicalPre: ReturnType<typeof proportion>;
  /** Clinical at post, among the same complete pairs. */
  readonly clinicalPost: ReturnType<typeof proportion>;
};

/** McNemar's test from per-participant clinical status pairs; only pairs with both statuses known are used. */
export const mcnemarFromPairs = (pairs: ReadonlyArray<StatusPair>): McNemarFromPairs => {
  let b = 0;
  let c = 0;
  let n = 0;
  let nPre = 0;
  let nPost = 0;
  let nIncomplete = 0;
  for (const { pre, post } of pairs) {
    if (pre === null || pre === undefined || post === null || post === undefined) {
      nIncomplete += 1;
      continue;
    }
    n += 1;
    if (pre) nPre += 1;
    if (post) nPost += 1;
    if (pre && !post) b += 1;
    if (!pre && post) c += 1;
  }
  return {
    ...mcnemar({ b, c }, n),
    nIncomplete,
    clinicalPre: proportion(nPre, n),
    clinicalPost: proportion(nPost, n),
  };
};
