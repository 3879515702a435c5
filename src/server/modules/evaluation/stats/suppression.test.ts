import fc from 'fast-check';
import { describe as group, expect, it } from 'vitest';
import { DEFAULT_MIN_CELL_SIZE, mustSuppress, suppressIfSmall } from './suppression.ts';

group('small-number suppression', () => {
  it('suppresses figures built on 1–4 people by default, shows 5 and more', () => {
    expect(DEFAULT_MIN_CELL_SIZE).toBe(5);
    expect([1, 2, 3, 4].map((k) => mustSuppress(k))).toEqual([true, true, true, true]);
    expect([5, 6, 92].map((k) => mustSuppress(k))).toEqual([false, false, false]);
  });

  it('does not suppress an empty group (nothing to disclose; the figure is already "no data")', () => {
    expect(mustSuppress(0)).toBe(false);
  });

  it('honours a configured minimum', () => {
    expect(mustSuppress(9, 10)).toBe(true);
    expect(mustSuppress(10, 10)).toBe(false);
    expect(mustSuppress(1, 1)).toBe(false);
  });

  it('hides the value and k together', () => {
    expect(suppressIfSmall(12.5, 3)).toEqual({ suppressed: true, value: null, k: null, minCellSize: 5 });
    expect(suppressIfSmall(12.5, 8)).toEqual({ suppressed: false, value: 12.5, k: 8 });
  });

  it('rejects nonsense sizes', () => {
    expect(() => mustSuppress(-1)).toThrow(RangeError);
    expect(() => mustSuppress(2.5)).toThrow(RangeError);
    expect(() => mustSuppress(3, 0)).toThrow(RangeError);
  });

  it('is monotone: if k is shown, every larger k is shown', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 1, max: 50 }), (k, extra, min) => {
        if (k > 0 && !mustSuppress(k, min)) expect(mustSuppress(k + extra, min)).toBe(false);
      }),
    );
  });
});
