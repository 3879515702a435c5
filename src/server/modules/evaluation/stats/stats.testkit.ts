/** Helpers shared by the statistics tests (not exported from index.ts). */
import { expect } from 'vitest';

/** Asserts |actual − expected| ≤ tolerance·max(1e-300, |expected|): relative accuracy, as distributions need. */
export const expectRelative = (actual: number | null | undefined, expected: number, tolerance = 1e-10): void => {
  expect(actual).not.toBeNull();
  expect(actual).not.toBeUndefined();
  const value = actual ?? Number.NaN;
  const scale = Math.max(1e-300, Math.abs(expected));
  const error = Math.abs(value - expected) / scale;
  if (!(error <= tolerance)) {
    expect.fail(`expected ${value} to be within relative ${tolerance} of ${expected} (relative error ${error})`);
  }
};

/** Asserts |actual − expected| ≤ tolerance (absolute). */
export const expectAbsolute = (actual: number | null | undefined, expected: number, tolerance: number): void => {
  expect(actual).not.toBeNull();
  expect(actual).not.toBeUndefined();
  const value = actual ?? Number.NaN;
  if (!(Math.abs(value - expected) <= tolerance)) {
    expect.fail(`expected ${value} to be within ${tolerance} of ${expected}`);
  }
};

/** Paths to every NaN/±Infinity number inside a result object; the report must never contain one. */
export const nonFinitePaths = (value: unknown, path = '$'): string[] => {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [`${path} = ${value}`];
  if (Array.isArray(value)) return value.flatMap((item, i) => nonFinitePaths(item, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => nonFinitePaths(item, `${path}.${key}`));
  }
  return [];
};
