import fc from 'fast-check';
import { describe as suite, expect, it } from 'vitest';
import { combineMoments, describe, describeMoments, EMPTY_MOMENTS, meanConfidenceInterval, meanConfidenceIntervalOf, type Moments } from './descriptive.ts';
import { effectSizeDz, effectSizeDzFromSummary, pairedTTest, pairedTTestFromSummary, summariseDifferences } from './paired.ts';
import { expectRelative } from './stats.testkit.ts';
import { wilcoxonSignedRankFromCounts, wilcoxonSignedRankFromDifferences, type DifferenceCount } from './wilcoxon.ts';

/** The report's summary forms must give what the array forms give on the same data. */

const momentsOf = (xs: number[]): Moments => {
  const d = describe(xs);
  return d.n === 0 ? EMPTY_MOMENTS : { n: d.n, mean: d.mean ?? 0, m2: (d.sd ?? 0) ** 2 * (d.n - 1) };
};

const histogram = (xs: number[]): DifferenceCount[] => {
  const counts = new Map<number, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  return [...counts].map(([difference, count]) => ({ difference, count }));
};

suite('pooled moments', () => {
  it('pooling cells gives the mean and SD of all the scores', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 30 }), { maxLength: 6 }), (cells) => {
        const pooled = cells.map(momentsOf).reduce(combineMoments, EMPTY_MOMENTS);
        const direct = describe(cells.flat());
        const viaMoments = describeMoments(pooled);
        expect(viaMoments.n).toBe(direct.n);
        if (direct.mean === null) expect(viaMoments.mean).toBeNull();
        else expectRelative(viaMoments.mean, direct.mean, 1e-12);
        if (direct.sd === null) expect(viaMoments.sd).toBeNull();
        else if (direct.sd === 0) expect(viaMoments.sd ?? 1).toBeLessThan(1e-9);
        else expectRelative(viaMoments.sd, direct.sd, 1e-9);
      }),
    );
  });

  it('gives the same mean CI as the array form', () => {
    const xs = [18, 22, 15, 11, 25, 14, 20, 9, 17, 13];
    const a = meanConfidenceInterval(xs);
    const b = meanConfidenceIntervalOf(describeMoments(momentsOf(xs)));
    expectRelative(b.lower, a.lower ?? 0, 1e-12);
    expectRelative(b.upper, a.upper ?? 0, 1e-12);
  });
});

suite('paired figures from a summary of the differences', () => {
  it('d_z, its CI and the t-test match the array forms (worked example, docs §12)', () => {
    const diffs = [-6, -2, -5, 0, -9, 1, -7, -1, -7, -1];
    const summary = summariseDifferences(diffs);
    expect(effectSizeDzFromSummary(summary)).toEqual(effectSizeDz(diffs));
    expect(pairedTTestFromSummary(summary)).toEqual(pairedTTest(diffs));
    expectRelative(effectSizeDzFromSummary(summary).dz, -1.058, 1e-3);
  });

  it('keeps the null reasons: no data, one pair, constant change', () => {
    expect(effectSizeDzFromSummary({ n: 0, mean: null, sd: null, maxAbsDifference: 0 }).reason).toBe('no_data');
    expect(pairedTTestFromSummary({ n: 1, mean: 2, sd: null, maxAbsDifference: 2 }).reason).toBe('n_below_2');
    expect(effectSizeDzFromSummary(summariseDifferences([3, 3, 3])).reason).toBe('zero_sd_of_change');
  });
});

suite('Wilcoxon from a histogram of differences', () => {
  it('small samples go through the array form exactly (worked example: W = 2, p = .0173)', () => {
    const diffs = [-6, -2, -5, 0, -9, 1, -7, -1, -7, -1];
    const result = wilcoxonSignedRankFromCounts(histogram(diffs));
    expect(result).toEqual(wilcoxonSignedRankFromDifferences(diffs));
    expect(result.w).toBe(2);
    expectRelative(result.p, 0.0173, 2e-3);
  });

  it('large samples: the histogram path equals the array form, with ties and zeros, both zero methods', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -12, max: 12 }), { minLength: 301, maxLength: 900 }),
        fc.constantFrom('wilcox' as const, 'pratt' as const),
        (diffs, zeroMethod) => {
          const fromCounts = wilcoxonSignedRankFromCounts(histogram(diffs), { zeroMethod });
          const fromArray = wilcoxonSignedRankFromDifferences(diffs, { zeroMethod });
          expect(fromCounts.reason).toBe(fromArray.reason);
          expect(fromCounts.n).toBe(fromArray.n);
          expect(fromCounts.nZero).toBe(fromArray.nZero);
          expect(fromCounts.hasTies).toBe(fromArray.hasTies);
          expect(fromCounts.method).toBe(fromArray.method);
          if (fromArray.w === null) return;
          expectRelative(fromCounts.w, fromArray.w, 1e-12);
          expectRelative(fromCounts.p, fromArray.p ?? 0, 1e-9);
          expectRelative(fromCounts.z, fromArray.z ?? 0, 1e-9);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('refuses an exact p beyond the hard limit, like the array form', () => {
    expect(() => wilcoxonSignedRankFromCounts([{ difference: 1, count: 400 }], { pMethod: 'exact' })).toThrow(RangeError);
  });

  it('all differences zero → null with its reason', () => {
    expect(wilcoxonSignedRankFromCounts([{ difference: 0, count: 500 }]).reason).toBe('all_differences_zero');
  });
});
