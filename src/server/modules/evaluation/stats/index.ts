/**
 * Statistics behind the evaluation report (issue 6). Pure functions, no I/O. Every definition is stated in
 * the JSDoc of the function that implements it and collected for readers in docs/evaluation.md.
 *
 * Contract shared by all functions: missing scores are null/undefined and are counted, never guessed; NaN or
 * ±Infinity in the input is a bug upstream and throws RangeError; outputs never contain NaN or Infinity —
 * a figure that cannot be computed is null with a `reason`.
 */

export type { Better, MaybeScore, NullReason, ScorePair } from './types.ts';
export { difference } from './types.ts';

export type { Descriptives, MeanCi, Moments, Proportion } from './descriptive.ts';
export {
  EMPTY_MOMENTS,
  combineMoments,
  describe,
  describeMoments,
  meanConfidenceInterval,
  meanConfidenceIntervalOf,
  proportion,
} from './descriptive.ts';

export {
  binomialPmf,
  binomialTestTwoSided,
  chiSquare1Sf,
  chiSquareSf,
  noncentralTCdf,
  normalCdf,
  normalPdf,
  normalQuantile,
  normalSf,
  tCdf,
  tQuantile,
  tTwoSidedP,
} from './distributions.ts';
export { logBeta, logGamma, regularizedBeta, regularizedGammaQ } from './special.ts';

export type { DifferenceSummary, DzCiMethod, EffectSizeDz, PairedAnalysis, PairedOptions, PairedTTest } from './paired.ts';
export {
  NONCENTRAL_T_MAX_ABS_T,
  analysePaired,
  effectSizeDz,
  effectSizeDzFromSummary,
  pairedTTest,
  pairedTTestFromSummary,
  summariseDifferences,
} from './paired.ts';

export type { DifferenceCount, WilcoxonMethodUsed, WilcoxonOptions, WilcoxonPMethod, WilcoxonResult, ZeroMethod } from './wilcoxon.ts';
export {
  WILCOXON_EXACT_HARD_LIMIT,
  wilcoxonSignedRank,
  wilcoxonSignedRankFromCounts,
  wilcoxonSignedRankFromDifferences,
} from './wilcoxon.ts';

export type { McNemarFromPairs, McNemarResult, StatusPair } from './mcnemar.ts';
export { MCNEMAR_EXACT_BELOW, mcnemar, mcnemarFromPairs } from './mcnemar.ts';

export type {
  ChangeClassification,
  ChangeRule,
  ChangeSummary,
  ClinicalCriteria,
  PopulationNorm,
  ReliableChangeCategory,
  ReliableChangeFromReliability,
} from './reliable-change.ts';
export {
  classifyChange,
  clinicalCriteria,
  criterionC,
  isClinical,
  reliableChangeFromReliability,
  reliableChangeIndex,
  summariseChange,
  zForConfidence,
} from './reliable-change.ts';

export type { Suppressible } from './suppression.ts';
export { DEFAULT_MIN_CELL_SIZE, mustSuppress, suppressIfSmall } from './suppression.ts';
