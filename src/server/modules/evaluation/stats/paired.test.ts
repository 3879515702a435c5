import fc from 'fast-check';
import { describe as group, expect, it } from 'vitest';
import { analysePaired, effectSizeDz, pairedTTest } from './paired.ts';
import { expectAbsolute, expectRelative, nonFinitePaths } from './stats.testkit.ts';
import type { ScorePair } from './types.ts';

// instruments.md §6 worked example (computed there with SciPy 1.17).
const PRE = [18, 22, 15, 11, 25, 14, 20, 9, 17, 13];
const POST = [12, 20, 10, 11, 16, 15, 13, 8, 10, 12];
const example: ScorePair[] = PRE.map((pre, i) => ({ pre, post: POST[i] }));

const swap = (pairs: ReadonlyArray<ScorePair>): ScorePair[] => pairs.map(({ pre, post }) => ({ pre: post, post: pre }));

group('analysePaired — worked example', () => {
  const result = analysePaired(example);

  it('gives mean change −3.7, SD of change 3.498, d_z −1.058', () => {
    expect(result.n).toBe(10);
    expectRelative(result.meanPre, 16.4, 1e-14);
    expectRelative(result.meanPost, 12.7, 1e-14);
    expectRelative(result.meanChange, -3.7, 1e-14);
    expect(result.sdChange?.toFixed(3)).toBe('3.498');
    expect(result.effectSize.dz?.toFixed(3)).toBe('-1.058');
    expectRelative(result.effectSize.dz, -1.0578627365978484, 1e-13);
  });

  it('gives paired t(9) = −3.35, p = .0086', () => {
    expect(result.tTest.df).toBe(9);
    expect(result.tTest.t?.toFixed(2)).toBe('-3.35');
    expectRelative(result.tTest.t, -3.3452556994679625, 1e-13);
    expect(result.tTest.p?.toFixed(4)).toBe('0.0086');
    expectRelative(result.tTest.p, 0.008588082154979193, 1e-11);
  });

  it('gives the exact noncentral-t 95 % CI for d_z (SciPy nct, brentq: −1.8247, −0.2553)', () => {
    expect(result.effectSize.ciMethod).toBe('noncentral-t');
    expectAbsolute(result.effectSize.ciLower, -1.824730412124502, 1e-9);
    expectAbsolute(result.effectSize.ciUpper, -0.2553440182321069, 1e-9);
  });

  it('gives the normal-approximation CI on request (hand: d ± 1.959964·√(1/n + d²/2n))', () => {
    const normal = analysePaired(example, { ciMethod: 'normal' }).effectSize;
    const d = -1.0578627365978484;
    const se = Math.sqrt(1 / 10 + (d * d) / 20);
    expect(normal.ciMethod).toBe('normal');
    expectRelative(normal.ciLower, d - 1.959963984540054 * se, 1e-12);
    expectRelative(normal.ciUpper, d + 1.959963984540054 * se, 1e-12);
    // −1.8319 and −0.2839: narrower on the left and shifted compared with the exact interval at n = 10.
    expectAbsolute(normal.ciLower, -1.8318715439082578, 1e-12);
  });

  it('includes the Wilcoxon test with the default method (wilcox zeros, normal approx because of ties)', () => {
    expect(result.wilcoxon.w).toBe(2);
    expect(result.wilcoxon.method).toBe('normal');
    expectRelative(result.wilcoxon.p, 0.017319382561119517, 1e-11);
  });
});

group('effectSizeDz CIs against SciPy nct (independent root-finding)', () => {
  it('[1, 3, 8]: d_z 1.1094, CI −0.4613 to 2.5669', () => {
    const e = effectSizeDz([1, 3, 8]);
    expectRelative(e.dz, 1.1094003924504583, 1e-13);
    expectAbsolute(e.ciLower, -0.4612703425969603, 1e-9);
    expectAbsolute(e.ciUpper, 2.566856709578717, 1e-9);
  });

  it('[2, −1, 4, 5, 0, 3, 1]: CI 0.00066 to 1.8014 (lower limit just above 0, as p ≈ .05)', () => {
    const e = effectSizeDz([2, -1, 4, 5, 0, 3, 1]);
    expectAbsolute(e.ciLower, 0.0006612338640074176, 1e-9);
    expectAbsolute(e.ciUpper, 1.8013744363533557, 1e-9);
  });

  it('90 % CI is inside the 95 % CI', () => {
    const e95 = effectSizeDz([1, 3, 8]);
    const e90 = effectSizeDz([1, 3, 8], { confidence: 0.9 });
    expect(e90.ciLower ?? 0).toBeGreaterThan(e95.ciLower ?? 0);
    expect(e90.ciUpper ?? 0).toBeLessThan(e95.ciUpper ?? 0);
  });

  it('switches to the normal approximation (and says so) for |t| > 200', () => {
    const differences = Array.from({ length: 400 }, (_, i) => 10 + (i % 2 === 0 ? 0.5 : -0.5));
    const e = effectSizeDz(differences);
    expect(e.ciMethod).toBe('normal');
    expect(nonFinitePaths(e)).toEqual([]);
  });
});

group('degenerate cases return nulls with a reason', () => {
  it('no pairs, or all pairs incomplete (all-missing group)', () => {
    for (const pairs of [[], [{ pre: null, post: 3 }, { pre: 4, post: undefined }, { pre: null, post: null }]]) {
      const r = analysePaired(pairs);
      expect(r.n).toBe(0);
      expect(r.nIncomplete).toBe(pairs.length);
      expect(r.meanPre).toBeNull();
      expect(r.meanChange).toBeNull();
      expect(r.effectSize.reason).toBe('no_data');
      expect(r.tTest.reason).toBe('no_data');
      expect(r.wilcoxon.reason).toBe('no_data');
      expect(nonFinitePaths(r)).toEqual([]);
    }
  });

  it('a single pair', () => {
    const r = analysePaired([{ pre: 20, post: 12 }]);
    expect(r.meanChange).toBe(-8);
    expect(r.sdChange).toBeNull();
    expect(r.effectSize.reason).toBe('n_below_2');
    expect(r.tTest).toEqual({ t: null, df: null, p: null, reason: 'n_below_2' });
  });

  it('identical changes: SD of change 0 (even when floating point says 1e-16)', () => {
    const r = analysePaired([
      { pre: 0.3, post: 0.4 },
      { pre: 1.3, post: 1.4 },
      { pre: 2.7, post: 2.8 },
    ]);
    expect(r.sdChange).toBe(0);
    expect(r.effectSize.reason).toBe('zero_sd_of_change');
    expect(r.tTest.reason).toBe('zero_sd_of_change');
    expect(pairedTTest([0, 0, 0]).reason).toBe('zero_sd_of_change');
  });

  it('all differences zero', () => {
    const r = analysePaired([
      { pre: 5, post: 5 },
      { pre: 9, post: 9 },
    ]);
    expect(r.meanChange).toBe(0);
    expect(r.effectSize.dz).toBeNull();
    expect(r.wilcoxon.reason).toBe('all_differences_zero');
    expect(nonFinitePaths(r)).toEqual([]);
  });

  it('incomplete pairs are excluded and counted', () => {
    const r = analysePaired([...example, { pre: 30, post: null }, { pre: null, post: 1 }]);
    expect(r.n).toBe(10);
    expect(r.nIncomplete).toBe(2);
    expectRelative(r.meanChange, -3.7, 1e-14);
  });
});

const scorePairs = fc.array(
  fc.record({
    pre: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }),
    post: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }),
  }),
  { maxLength: 40 },
);

group('properties', () => {
  it('never produces NaN/Infinity, and every p is in [0, 1]', () => {
    fc.assert(
      fc.property(scorePairs, (pairs) => {
        const r = analysePaired(pairs);
        expect(nonFinitePaths(r)).toEqual([]);
        for (const p of [r.tTest.p, r.wilcoxon.p]) {
          if (p !== null) {
            expect(p).toBeGreaterThanOrEqual(0);
            expect(p).toBeLessThanOrEqual(1);
          }
        }
        const { ciLower, ciUpper, dz } = r.effectSize;
        if (dz !== null && ciLower !== null && ciUpper !== null) {
          expect(ciLower).toBeLessThanOrEqual(dz);
          expect(ciUpper).toBeGreaterThanOrEqual(dz);
        }
      }),
    );
  });

  it('swapping pre and post negates mean change, d_z and its CI, and leaves p unchanged', () => {
    fc.assert(
      fc.property(scorePairs, (pairs) => {
        const a = analysePaired(pairs);
        const b = analysePaired(swap(pairs));
        expect(b.n).toBe(a.n);
        expect(b.meanPre).toBe(a.meanPost);
        if (a.meanChange !== null) expectAbsolute(b.meanChange, -a.meanChange, 1e-12);
        if (a.sdChange !== null) expectAbsolute(b.sdChange, a.sdChange, 1e-12);
        if (a.effectSize.dz !== null) {
          expectAbsolute(b.effectSize.dz, -a.effectSize.dz, 1e-12);
          expectAbsolute(b.effectSize.ciLower, -(a.effectSize.ciUpper ?? 0), 1e-8);
          expectAbsolute(b.effectSize.ciUpper, -(a.effectSize.ciLower ?? 0), 1e-8);
        } else {
          expect(b.effectSize.reason).toBe(a.effectSize.reason);
        }
        if (a.tTest.p !== null) expectAbsolute(b.tTest.p, a.tTest.p, 1e-12);
        if (a.wilcoxon.p !== null) {
          expectAbsolute(b.wilcoxon.p, a.wilcoxon.p, 1e-12);
          expect(b.wilcoxon.w).toBe(a.wilcoxon.w);
        }
      }),
    );
  });

  it('adding a constant to every score changes the means but no change statistic', () => {
    fc.assert(
      fc.property(scorePairs, fc.integer({ min: -20, max: 20 }), (pairs, shift) => {
        const a = analysePaired(pairs);
        const b = analysePaired(
          pairs.map(({ pre, post }) => ({ pre: pre === null ? null : pre + shift, post: post === null ? null : post + shift })),
        );
        expect(b.meanChange).toEqual(a.meanChange);
        expect(b.tTest).toEqual(a.tTest);
        expect(b.wilcoxon).toEqual(a.wilcoxon);
      }),
    );
  });
});
