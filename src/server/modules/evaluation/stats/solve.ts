/**
 * Root finding for monotone functions (quantiles and confidence limits). Bisection is slow but cannot diverge,
 * and ~100 iterations are nothing next to one database query.
 */

type Monotone = (x: number) => number;

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
  let a = lo;
  let b = hi;
  let fa = f(a);
  let fb = f(b);
  for (let i = 0; i < maxWiden && Math.sign(fa) === Math.sign(fb) && fa !== 0 && fb !== 0; i += 1) {
    const width = b - a;
    // Widen towards the side whose value is smaller in magnitude: the root is more likely there.
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
