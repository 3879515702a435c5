/**
 * Root finding for monotone functions (quantiles and confidence limits). Bisection is slow but cannot diverge,
 * and ~100 iterations are nothing next to one database query.
 */

type Monotone = (x: number) => number;

/**
 * Widens [lo, hi] (doubling its width, towards the side whose value is smaller in magnitude: the root is more
 * likely there) until f changes sign. A number when an end is itself a root; null when no sign change is found
 * within `maxWiden` doublings.
 */
const bracket = (f: Monotone, lo: number, hi: number, maxWiden: number): { a: number; b: number; fa: number; fb: number } | number | null => {
  let a = lo;
  let b = hi;
  let fa = f(a);
  let fb = f(b);
  for (let i = 0; i < maxWiden && Math.sign(fa) === Math.sign(fb) && fa !== 0 && fb !== 0; i += 1) {
    const width = b - a;
    if (Math.abs(fa) < Math.abs(fb)) {
      a -= width;
      fa = f(a);
    } else {
      b += width;
      fb = f(b);
    }
  }
  if (fa === 0) return a;
  if (fb === 0) return b;
  if (Math.sign(fa) === Math.sign(fb)) return null;
  return { a, b, fa, fb };
};

/**
 * Finds x with f(x) = 0 for a continuous monotone f, starting from the bracket [lo, hi] and widening it
 * (doubling its width) until the signs differ. Returns null when no sign change is found within `maxWiden`
 * doublings, so callers can report "no finite limit" rather than an invented number.
 */
export const findRoot = (
  f: Monotone,
  lo: number,
  hi: number,
  { tolerance = 1e-12, maxWiden = 60 }: { tolerance?: number; maxWiden?: number } = {},
): number | null => {
  const found = bracket(f, lo, hi, maxWiden);
  if (found === null || typeof found === 'number') return found;
  let { a, b, fa, fb } = found;
  for (let i = 0; i < 200; i += 1) {
    const mid = a + (b - a) / 2;
    if (b - a <= tolerance * Math.max(1, Math.abs(mid))) return mid;
    const fm = f(mid);
    if (fm === 0) return mid;
    if (Math.sign(fm) === Math.sign(fa)) {
      a = mid;
      fa = fm;
    } else {
      b = mid;
    }
  }
  return a + (b - a) / 2;
};

/**
 * Brent's method (inverse quadratic interpolation and secant steps, falling back to bisection whenever they do
 * not shrink the bracket fast enough) for a continuous f with a sign change in [lo, hi], widened as in
 * `findRoot` when there is none. It needs a handful of evaluations where bisection needs forty, which matters
 * when each evaluation is expensive (the noncentral t CDF behind every d_z interval of the report). Converges to
 * within `tolerance` (relative, at least absolute) of a root, as `findRoot` does; null when no bracket is found.
 */
export const findRootBrent = (
  f: Monotone,
  lo: number,
  hi: number,
  { tolerance = 1e-12, maxWiden = 60 }: { tolerance?: number; maxWiden?: number } = {},
): number | null => {
  const found = bracket(f, lo, hi, maxWiden);
  if (found === null || typeof found === 'number') return found;
  let { a, b, fa, fb } = found;
  // b is the best estimate, a the previous one, c the far end of the bracket [b, c] (Brent 1973, "zeroin").
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  for (let i = 0; i < 200; i += 1) {
    if (Math.sign(fb) === Math.sign(fc)) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tol = 0.5 * tolerance * Math.max(1, Math.abs(b));
    const m = 0.5 * (c - b);
    if (Math.abs(m) <= tol || fb === 0) return b;
    if (Math.abs(e) >= tol && Math.abs(fa) > Math.abs(fb)) {
      const s = fb / fa;
      let p: number;
      let q: number;
      if (a === c) {
        p = 2 * m * s;
        q = 1 - s;
      } else {
        const qa = fa / fc;
        const r = fb / fc;
        p = s * (2 * m * qa * (qa - r) - (b - a) * (r - 1));
        q = (qa - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (2 * p < Math.min(3 * m * q - Math.abs(tol * q), Math.abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = m;
        e = m;
      }
    } else {
      d = m;
      e = m;
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol ? d : m > 0 ? tol : -tol;
    fb = f(b);
  }
  return b;
};
