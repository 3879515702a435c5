/**
 * Small-number suppression for audiences that see aggregates only (commissioners, funders): a figure built on
 * fewer than `minCellSize` people (default 5) is withheld so that nobody can be recognised from it.
 *
 * "Built on k people" means: n for a mean or SD; the denominator for a proportion; the number of complete pairs
 * for a paired figure (change, d_z, tests, Jacobson–Truax counts).
 * k = 0 is not suppressed: there is no one to identify, and the figure is already null ("no data"), which is
 * more useful to a reader than "suppressed".
 */

export const DEFAULT_MIN_CELL_SIZE = 5;

const assertCounts = (k: number, minCellSize: number): void => {
  if (!Number.isSafeInteger(k) || k < 0) throw new RangeError(`suppression: k must be a non-negative integer, got ${k}`);
  if (!Number.isSafeInteger(minCellSize) || minCellSize < 1) {
    throw new RangeError(`suppression: minCellSize must be a positive integer, got ${minCellSize}`);
  }
};

/** True when a figure built on k people must be withheld: 0 < k < minCellSize. */
export const mustSuppress = (k: number, minCellSize: number = DEFAULT_MIN_CELL_SIZE): boolean => {
  assertCounts(k, minCellSize);
  return k > 0 && k < minCellSize;
};

export type Suppressible<T> =
  | { readonly suppressed: false; readonly value: T; readonly k: number }
  | { readonly suppressed: true; readonly value: null; readonly k: null; readonly minCellSize: number };

/**
 * Wraps a figure with its suppression decision. A suppressed figure also hides k, since "3 people" is itself
 * the disclosive number.
 */
export const suppressIfSmall = <T>(value: T, k: number, minCellSize: number = DEFAULT_MIN_CELL_SIZE): Suppressible<T> =>
  mustSuppress(k, minCellSize)
    ? { suppressed: true, value: null, k: null, minCellSize }
    : { suppressed: false, value, k };
