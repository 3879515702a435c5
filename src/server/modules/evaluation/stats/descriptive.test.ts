import fc from 'fast-check';
import { describe as group, expect, it } from 'vitest';
import { describe, meanConfidenceInterval, proportion } from './descriptive.ts';
import { expectAbsolute, expectRelative, nonFinitePaths } from './stats.testkit.ts';

group('describe', () => {
  it('gives n, mean and the n − 1 SD (hand: [2,4,4,4,5,5,7,9] → mean 5, SD √(32/7))', () => {
    const d = describe([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(d.n).toBe(8);
    expect(d.nMissing).toBe(0);
    expectRelative(d.mean, 5, 1e-15);
    expectRelative(d.sd, Math.sqrt(32 / 7), 1e-14);
    expect(d.reason).toBeNull();
  });

  it('reproduces the worked example: SD_pre 4.993, SD_post 3.498', () => {
    const pre = describe([18, 22, 15, 11, 25, 14, 20, 9, 17, 13]);
    const post = describe([12, 20, 10, 11, 16, 15, 13, 8, 10, 12]);
    expectRelative(pre.mean, 16.4, 1e-14);
    expect(pre.sd?.toFixed(3)).toBe('4.993');
    expectRelative(post.mean, 12.7, 1e-14);
    expect(post.sd?.toFixed(3)).toBe('3.498');
  });

  it('counts missing scores and ignores them', () => {
    const d = describe([null, 3, undefined, 5, null]);
    expect(d).toEqual({ n: 2, nMissing: 3, mean: 4, sd: Math.SQRT2, reason: null });
  });

  it('returns nulls with a reason for empty, all-missing and single-value input — never NaN', () => {
    expect(describe([])).toEqual({ n: 0, nMissing: 0, mean: null, sd: null, reason: 'no_data' });
    expect(describe([null, null])).toEqual({ n: 0, nMissing: 2, mean: null, sd: null, reason: 'no_data' });
    expect(describe([7])).toEqual({ n: 1, nMissing: 0, mean: 7, sd: null, reason: 'n_below_2' });
    expect(describe([3, 3, 3]).sd).toBe(0);
  });

  it('rejects NaN and infinite scores (a scoring bug, not missing data)', () => {
    expect(() => describe([1, Number.NaN])).toThrow(RangeError);
    expect(() => describe([Number.POSITIVE_INFINITY])).toThrow(RangeError);
  });

  it('is finite, shift-invariant in SD, and order-independent', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { nil: null }), { maxLength: 50 }),
        fc.double({ min: -1000, max: 1000, noNaN: true }),
        (values, shift) => {
          const d = describe(values);
          expect(nonFinitePaths(d)).toEqual([]);
          expect(d.n + d.nMissing).toBe(values.length);
          if (d.sd !== null) expect(d.sd).toBeGreaterThanOrEqual(0);
          const shifted = describe(values.map((v) => (v === null ? null : v + shift)));
          if (d.sd !== null && shifted.sd !== null) expect(Math.abs(shifted.sd - d.sd)).toBeLessThan(1e-6 * (1 + d.sd));
          const reversed = describe([...values].reverse());
          // Absolute tolerance scaled by the data: summation order moves the last bits of the largest values.
          const scale = values.reduce<number>((max, v) => Math.max(max, Math.abs(v ?? 0)), 1);
          if (d.mean !== null) expectAbsolute(reversed.mean, d.mean, 1e-12 * scale);
        },
      ),
    );
  });
});

group('meanConfidenceInterval', () => {
  it('is mean ± t(0.975, n − 1)·SD/√n (hand: [2,4,4,4,5,5,7,9])', () => {
    const ci = meanConfidenceInterval([2, 4, 4, 4, 5, 5, 7, 9]);
    const half = 2.364624251592784 * (Math.sqrt(32 / 7) / Math.sqrt(8)); // t(0.975, 7) = 2.364624 (tables; SciPy digits)
    expectRelative(ci.lower, 5 - half, 1e-12);
    expectRelative(ci.upper, 5 + half, 1e-12);
  });

  it('is null with a reason below two scores and collapses when SD = 0', () => {
    expect(meanConfidenceInterval([null]).reason).toBe('no_data');
    expect(meanConfidenceInterval([4]).lower).toBeNull();
    expect(meanConfidenceInterval([4, 4]).lower).toBe(4);
    expect(() => meanConfidenceInterval([1, 2], 1)).toThrow(RangeError);
  });
});

group('proportion', () => {
  it('keeps numerator and denominator and gives pct 0–100', () => {
    expect(proportion(16, 33)).toEqual({ numerator: 16, denominator: 33, pct: (100 * 16) / 33 });
    expect(proportion(0, 0)).toEqual({ numerator: 0, denominator: 0, pct: null });
    expect(proportion(5, 5).pct).toBe(100);
  });

  it('rejects impossible counts', () => {
    expect(() => proportion(3, 2)).toThrow(RangeError);
    expect(() => proportion(-1, 2)).toThrow(RangeError);
    expect(() => proportion(1.5, 2)).toThrow(RangeError);
  });
});
