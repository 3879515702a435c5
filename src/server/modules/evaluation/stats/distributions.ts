/**
 * Probability distributions used by the evaluation report: standard normal, Student t (central and
 * noncentral), chi-square and binomial. All functions throw RangeError on arguments outside their domain
 * (a programming error upstream) and otherwise return finite numbers.
 */
import { erfc, logBeta, logGamma, regularizedBeta, regularizedGammaQ } from './special.ts';
import { findRoot } from './solve.ts';

const assertProbability = (name: string, p: number): void => {
  if (!(p > 0 && p < 1)) throw new RangeError(`${name}: p must be strictly between 0 and 1, got ${p}`);
};

const assertDf = (name: string, df: number): void => {
  if (!(df > 0) || !Number.isFinite(df)) throw new RangeError(`${name}: df must be finite and > 0, got ${df}`);
};

const assertFinite = (name: string, x: number): void => {
  if (!Number.isFinite(x)) throw new RangeError(`${name}: argument must be finite, got ${x}`);
};

/** Standard normal density φ(z). */
export const normalPdf = (z: number): number => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);

/** Standard normal CDF Φ(z) = ½·erfc(−z/√2); keeps relative accuracy in the lower tail (Φ(−37) ≈ 5.7e-300). */
export const normalCdf = (z: number): number => {
  if (Number.isNaN(z)) throw new RangeError('normalCdf: z is NaN');
  return z < 0 ? 0.5 * erfc(-z / Math.SQRT2) : 1 - 0.5 * erfc(z / Math.SQRT2);
};

/** Upper tail 1 − Φ(z), computed directly so that it keeps relative accuracy for large z. */
export const normalSf = (z: number): number => normalCdf(-z);

/**
 * Standard normal quantile Φ⁻¹(p) for 0 < p < 1. Starts from Abramowitz & Stegun 26.2.23 (error < 4.5e-4)
 * and polishes with Halley steps on the accurate CDF, which reaches full double precision in 2–3 steps.
 */
export const normalQuantile = (p: number): number => {
  assertProbability('normalQuantile', p);
  if (p === 0.5) return 0;
  // Work in the lower half, where p carries its full precision; the upper half follows by symmetry.
  if (p > 0.5) return -normalQuantile(1 - p);
  const t = Math.sqrt(-2 * Math.log(p));
  let z = -(t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t));
  for (let i = 0; i < 20; i += 1) {
    const u = (normalCdf(z) - p) / normalPdf(z);
    const step = u / (1 + (z * u) / 2);
    z -= step;
    if (Math.abs(step) <= 1e-15 * Math.max(1, Math.abs(z))) break;
  }
  return z;
};

/**
 * Student t CDF with `df` degrees of freedom (df may be fractional):
 * P(T ≤ t) = 1 − ½·I_{ν/(ν+t²)}(ν/2, ½) for t ≥ 0, and ½·I_{ν/(ν+t²)}(ν/2, ½) for t < 0.
 */
export const tCdf = (t: number, df: number): number => {
  assertFinite('tCdf', t);
  assertDf('tCdf', df);
  const t2 = t * t;
  const tail = 0.5 * regularizedBeta(df / (df + t2), df / 2, 0.5, t2 / (df + t2));
  return t < 0 ? tail : 1 - tail;
};

/** Two-sided p-value of a t statistic: P(|T| ≥ |t|) = I_{ν/(ν+t²)}(ν/2, ½), clamped to [0, 1]. */
export const tTwoSidedP = (t: number, df: number): number => {
  assertFinite('tTwoSidedP', t);
  assertDf('tTwoSidedP', df);
  const t2 = t * t;
  return Math.min(1, regularizedBeta(df / (df + t2), df / 2, 0.5, t2 / (df + t2)));
};

/** Student t density, used for Newton steps in the quantile. */
const tPdf = (t: number, df: number): number =>
  Math.exp(
    logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI) - ((df + 1) / 2) * Math.log1p((t * t) / df),
  );

/**
 * Student t quantile t(p, df), e.g. t(0.975, 9) = 2.262157 for a 95 % CI with 10 observations.
 * Closed forms for df = 1 and 2; otherwise a Cornish–Fisher start (A&S 26.7.5) polished by Newton steps, with a
 * bisection fallback if Newton ever leaves the region where it converges.
 */
export const tQuantile = (p: number, df: number): number => {
  assertProbability('tQuantile', p);
  assertDf('tQuantile', df);
  if (p === 0.5) return 0;
  if (p > 0.5) return -tQuantile(1 - p, df);
  if (df === 1) return Math.tan(Math.PI * (p - 0.5));
  if (df === 2) return (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
  const z = normalQuantile(p);
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  let t =
    z +
    (z3 + z) / (4 * df) +
    (5 * z5 + 16 * z3 + 3 * z) / (96 * df * df) +
    (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df ** 3);
  for (let i = 0; i < 50; i += 1) {
    const step = (tCdf(t, df) - p) / tPdf(t, df);
    if (!Number.isFinite(step)) break;
    t -= step;
    if (Math.abs(step) <= 1e-14 * Math.max(1, Math.abs(t))) return t;
  }
  const root = findRoot((x) => tCdf(x, df) - p, Math.min(t, z) - 1, 0, { tolerance: 1e-15 });
  if (root === null) throw new Error(`tQuantile: no root for p=${p}, df=${df}`);
  return root;
};

/** Chi-square upper tail P(X ≥ x) with `df` degrees of freedom: Q(df/2, x/2). */
export const chiSquareSf = (x: number, df: number): number => {
  assertDf('chiSquareSf', df);
  if (!(x >= 0) || !Number.isFinite(x)) throw new RangeError(`chiSquareSf: x must be finite and ≥ 0, got ${x}`);
  return regularizedGammaQ(df / 2, x / 2);
};

/** Chi-square (1 df) upper tail, erfc(√(x/2)): the p-value of McNemar's χ². */
export const chiSquare1Sf = (x: number): number => {
  if (!(x >= 0) || !Number.isFinite(x)) throw new RangeError(`chiSquare1Sf: x must be finite and ≥ 0, got ${x}`);
  return erfc(Math.sqrt(x / 2));
};

const assertCount = (name: string, k: number): void => {
  if (!Number.isSafeInteger(k) || k < 0) throw new RangeError(`${name}: must be a non-negative integer, got ${k}`);
};

/**
 * Up to n = 50 every intermediate of the multiplicative formula (at most C(50, 25)·50 ≈ 6.3e15 < 2^53) is an
 * exactly representable integer, so C(n, k) is exact — and with p = ½ so is the whole McNemar exact p-value,
 * which is the headline whenever b + c < 25.
 */
const EXACT_CHOOSE_MAX_N = 50;

const exactChoose = (n: number, k: number): number => {
  const r = Math.min(k, n - k);
  let c = 1;
  for (let i = 1; i <= r; i += 1) c = (c * (n - r + i)) / i;
  return c;
};

/** Binomial probability P(X = k) for X ~ Bin(n, p): exact arithmetic up to n = 50, log-gamma beyond (no overflow). */
export const binomialPmf = (k: number, n: number, p: number): number => {
  assertCount('binomialPmf k', k);
  assertCount('binomialPmf n', n);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`binomialPmf: p must be in [0, 1], got ${p}`);
  if (k > n) return 0;
  if (p === 0) return k === 0 ? 1 : 0;
  if (p === 1) return k === n ? 1 : 0;
  if (n <= EXACT_CHOOSE_MAX_N) return exactChoose(n, k) * p ** k * (1 - p) ** (n - k);
  const logChoose = logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
  return Math.exp(logChoose + k * Math.log(p) + (n - k) * Math.log1p(-p));
};

/**
 * Exact two-sided binomial test of H0: probability = p, given k successes in n trials.
 *
 * Definition ("minimum likelihood", as R's binom.test and SciPy's binomtest): p-value = sum of P(X = i) over every
 * i whose probability is no greater than that of the observed k (with a 1e-7 relative tolerance, so outcomes
 * that are equally likely up to rounding count as "as extreme"). For p = ½ — McNemar's case — this equals
 * doubling the smaller tail. n = 0 gives p-value 1 (no evidence either way).
 */
export const binomialTestTwoSided = (k: number, n: number, p = 0.5): number => {
  assertCount('binomialTestTwoSided k', k);
  assertCount('binomialTestTwoSided n', n);
  if (k > n) throw new RangeError(`binomialTestTwoSided: k (${k}) exceeds n (${n})`);
  if (!(p > 0 && p < 1)) throw new RangeError(`binomialTestTwoSided: p must be in (0, 1), got ${p}`);
  if (n === 0) return 1;
  const observed = binomialPmf(k, n, p);
  const threshold = observed * (1 + 1e-7);
  let total = 0;
  for (let i = 0; i <= n; i += 1) {
    const pi = binomialPmf(i, n, p);
    if (pi <= threshold) total += pi;
  }
  return Math.min(1, total);
};

/**
 * ln T(a) for the noncentral t series: T(a) = x^a·y^b/(a·B(a, b)) is the amount by which I_x(a, b) drops when a
 * grows by one. A module-level function, not a closure: the report calls the CDF tens of thousands of times.
 */
const logStepOf = (a: number, b: number, logX: number, logY: number): number => a * logX + b * logY - Math.log(a) - logBeta(a, b);

/**
 * Noncentral t CDF P(T ≤ t; ν, δ) (Lenth 1989, AS 243 series): for t ≥ 0,
 * F = Φ(−δ) + ½ Σ_j [P_j·I_x(j + ½, ν/2) + Q_j·I_x(j + 1, ν/2)], x = t²/(ν + t²),
 * P_j = e^{−δ²/2}(δ²/2)^j/j!, Q_j = δ·e^{−δ²/2}(δ²/2)^j/(√2·Γ(j + 3/2)); for t < 0, F(t; ν, δ) = 1 − F(−t; ν, −δ).
 * The sum runs outwards from the Poisson mode (Benton & Krishnamoorthy 2003) so large δ neither underflows
 * nor needs thousands of negligible terms, and I_x is stepped by its recurrence
 * I_x(a + 1, b) = I_x(a, b) − x^a(1 − x)^b/(a·B(a, b)) instead of being recomputed.
 */
export const noncentralTCdf = (t: number, df: number, delta: number): number => {
  assertFinite('noncentralTCdf t', t);
  assertFinite('noncentralTCdf delta', delta);
  assertDf('noncentralTCdf', df);
  if (t < 0) return Math.min(1, Math.max(0, 1 - noncentralTCdf(-t, df, -delta)));
  // F moves by O(δ), so below 1e-150 δ is 0 for every purpose; this also keeps δ²/2 from underflowing to 0,
  // which would make the Poisson weights 0·ln 0 = NaN.
  if (Math.abs(delta) < 1e-150) return tCdf(t, df);
  const base = normalCdf(-delta);
  if (t === 0) return base;
  const x = (t * t) / (df + t * t);
  const y = df / (df + t * t);
  const b = df / 2;
  const lambda = (delta * delta) / 2;
  const logLambda = Math.log(lambda);
  const mode = Math.floor(lambda);
  const logX = Math.log(x);
  const logY = Math.log(y);

  const qSign = delta / Math.SQRT2;

  // Forward from the mode. The Poisson weights and the I_x steps follow from their neighbours by one
  // multiplication each (P_{j+1} = P_j·λ/(j + 1), Q_{j+1} = Q_j·λ/(j + 3/2), T(a + 1) = T(a)·x(a + b)/(a + 1)):
  // the report computes hundreds of d_z intervals, each a root search over this sum, and a log-gamma per term
  // made it the report's largest cost.
  const iPMode = regularizedBeta(x, mode + 0.5, b, y);
  const iQMode = regularizedBeta(x, mode + 1, b, y);
  const stepPMode = Math.exp(logStepOf(mode + 0.5, b, logX, logY));
  const stepQMode = Math.exp(logStepOf(mode + 1, b, logX, logY));
  const wPMode = Math.exp(-lambda + mode * logLambda - logGamma(mode + 1));
  const wQMode = qSign * Math.exp(-lambda + mode * logLambda - logGamma(mode + 1.5));
  let iP = iPMode;
  let iQ = iQMode;
  let stepP = stepPMode;
  let stepQ = stepQMode;
  let wP = wPMode;
  let wQ = wQMode;
  let sum = 0;
  const spread = 12 * Math.sqrt(lambda) + 30;
  for (let j = mode; j <= mode + spread; j += 1) {
    sum += wP * iP + wQ * iQ;
    if (j > lambda && wP < 1e-18 && Math.abs(wQ) < 1e-18) break;
    iP -= stepP;
    iQ -= stepQ;
    stepP *= (x * (j + 0.5 + b)) / (j + 1.5);
    stepQ *= (x * (j + 1 + b)) / (j + 2);
    wP *= lambda / (j + 1);
    wQ *= lambda / (j + 1.5);
  }
  // Backward from the mode, I_x(a − 1, b) = I_x(a, b) + T(a − 1), with T(a − 1) = T(a)·a/(x(a − 1 + b)); a step
  // that underflowed at the mode is computed directly until it is representable.
  iP = iPMode;
  iQ = iQMode;
  stepP = stepPMode;
  stepQ = stepQMode;
  wP = wPMode;
  wQ = wQMode;
  for (let j = mode - 1; j >= 0 && j >= mode - spread; j -= 1) {
    stepP = stepP === 0 ? Math.exp(logStepOf(j + 0.5, b, logX, logY)) : (stepP * (j + 1.5)) / (x * (j + 0.5 + b));
    stepQ = stepQ === 0 ? Math.exp(logStepOf(j + 1, b, logX, logY)) : (stepQ * (j + 2)) / (x * (j + 1 + b));
    iP += stepP;
    iQ += stepQ;
    wP *= (j + 1) / lambda;
    wQ *= (j + 1.5) / lambda;
    sum += wP * iP + wQ * iQ;
    if (wP < 1e-18 && Math.abs(wQ) < 1e-18) break;
  }
  return Math.min(1, Math.max(0, base + 0.5 * sum));
};

