import fc from 'fast-check';
import { describe as group, expect, it } from 'vitest';
import { normalCdf } from './distributions.ts';
import { expectAbsolute, expectRelative, nonFinitePaths } from './stats.testkit.ts';
import type { ScorePair } from './types.ts';
import { wilcoxonSignedRank, wilcoxonSignedRankFromDifferences as fromDifferences } from './wilcoxon.ts';

// instruments.md §6 worked example. post − pre = −6, −2, −5, 0, −9, +1, −7, −1, −7, −1.
const PRE = [18, 22, 15, 11, 25, 14, 20, 9, 17, 13];
const POST = [12, 20, 10, 11, 16, 15, 13, 8, 10, 12];
const example: ScorePair[] = PRE.map((pre, i) => ({ pre, post: POST[i] }));

group('worked example: which method gives which p', () => {
  // 'wilcox' drops the zero; |d| = 6,2,5,9,1,7,1,7,1 → mid-ranks 6,4,5,9,2,7.5,2,7.5,2 (the three |1|s share
  // ranks 1–3 → 2; the two |7|s share 7–8 → 7.5). Only +1 is positive: W+ = 2, W− = 43, W = 2.
  // E = 45/2 = 22.5; σ² = Σr²/4 = 282.5/4 = 70.625 = [9·10·19 − ((3³ − 3) + (2³ − 2))/2]/24, the tie-corrected variance.

  it('W = 2 with N = 9 after discarding the zero', () => {
    const r = wilcoxonSignedRank(example);
    expect(r).toMatchObject({ n: 10, nZero: 1, nRanked: 9, wPlus: 2, wMinus: 43, w: 2, hasTies: true, zeroMethod: 'wilcox' });
  });

  it('default (auto → normal because of ties, continuity-corrected): p = .0173', () => {
    const r = wilcoxonSignedRank(example);
    expect(r.method).toBe('normal');
    expect(r.continuityCorrection).toBe(true);
    const sigma = Math.sqrt(70.625);
    expectRelative(r.p, 2 * normalCdf(-(22.5 - 2 - 0.5) / sigma), 1e-13);
    expectRelative(r.p, 0.017319382561119517, 1e-11); // SciPy wilcoxon(method='approx', correction=True)
  });

  it('normal without continuity correction: p = .0147, z = −2.4394, r = z/√9 = −0.813', () => {
    const r = wilcoxonSignedRank(example, { continuityCorrection: false });
    expectRelative(r.p, 0.01471359242280415, 1e-11); // SciPy method='approx', correction=False
    expectRelative(r.z, -20.5 / Math.sqrt(70.625), 1e-13);
    expectRelative(r.r, -20.5 / Math.sqrt(70.625) / 3, 1e-13);
  });

  it("exact conditional on the tied ranks: p = 16/1024 = .015625 — the '.0156' in instruments.md (SciPy 1.17 method='auto')", () => {
    // SciPy's 'auto' with ties or zeros and n ≤ 13 runs a permutation test over all sign patterns of the
    // mid-ranks, which is this test. instruments.md labels .0156 "normal-approx"; it is not.
    const r = wilcoxonSignedRank(example, { pMethod: 'exact' });
    expect(r.method).toBe('exact_conditional');
    // Sign patterns with W+ ≤ 2 among ranks {2,2,2,4,5,6,7.5,7.5,9}: none positive, or one of the three 2s → 4 of
    // 512; two-sided 8/512.
    expect(r.p).toBe(8 / 512);
  });

  it(".0117 is the untied table for N = 9 (SciPy method='exact', which ignores the ties): 2·3/512", () => {
    // Same W+ = 2 with untied |d|: subsets of {1..9} with sum ≤ 2 are {}, {1}, {2} → 3/512, doubled.
    const r = fromDifferences([-1, 2, -3, -4, -5, -6, -7, -8, -9]);
    expect(r.method).toBe('exact');
    expect(r.w).toBe(2);
    expect(r.p).toBe(6 / 512);
    expect(r.p?.toFixed(4)).toBe('0.0117');
  });

  it("Pratt: the zero takes rank 1, W+ = 3; normal p = .0161 (cc) / .0140; exact conditional .015625", () => {
    const r = wilcoxonSignedRank(example, { zeroMethod: 'pratt' });
    expect(r).toMatchObject({ nRanked: 10, wPlus: 3, w: 3, method: 'normal' });
    expectRelative(r.p, 0.016114825723812797, 1e-11);
    expectRelative(wilcoxonSignedRank(example, { zeroMethod: 'pratt', continuityCorrection: false }).p, 0.01399068415381218, 1e-11);
    expect(wilcoxonSignedRank(example, { zeroMethod: 'pratt', pMethod: 'exact' }).p).toBe(8 / 512);
  });
});

group('exact and normal p on hand-checkable data', () => {
  it('5 positive differences: exact p = 2/32', () => {
    const r = fromDifferences([1, 2, 3, 4, 5]);
    expect(r).toMatchObject({ method: 'exact', wPlus: 15, wMinus: 0, w: 0, p: 2 / 32 });
  });

  it('1..12 all positive, normal approximation: z = (39 − ½)/√162.5 (SciPy p = .002526)', () => {
    const r = fromDifferences([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], { pMethod: 'normal' });
    expectRelative(r.p, 2 * normalCdf(-38.5 / Math.sqrt(162.5)), 1e-13);
    expectRelative(r.p, 0.002526174268502165, 1e-11);
    expect(fromDifferences([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]).p).toBe(2 / 4096);
  });

  it('ties among 12 differences: normal .0226 / .0204 and exact conditional .018066 (all SciPy)', () => {
    const d = [3, -1, 4, 1, -5, 9, 2, 6, 5, 3, 5, 8];
    expect(fromDifferences(d).w).toBe(9.5);
    expectRelative(fromDifferences(d).p, 0.022594923027390794, 1e-11);
    expectRelative(fromDifferences(d, { continuityCorrection: false }).p, 0.020366351877059468, 1e-11);
    expectRelative(fromDifferences(d, { pMethod: 'exact' }).p, 0.01806640625, 1e-13);
  });

  it('auto switches to normal above exactMaxN', () => {
    const d = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? -(i + 1) : i + 1));
    expect(fromDifferences(d).method).toBe('normal');
    expect(fromDifferences(d, { exactMaxN: 60 }).method).toBe('exact');
  });

  it('continuity correction never pushes z past 0: W+ at its mean gives p = 1', () => {
    expect(fromDifferences([1, -2, -3, 4]).p).toBe(1);
    expect(fromDifferences([1, -2, -3, 4], { pMethod: 'normal' }).p).toBe(1);
  });
});

group('zeros, ties and empty input', () => {
  it('all differences zero → null with reason (both zero methods)', () => {
    for (const zeroMethod of ['wilcox', 'pratt'] as const) {
      const r = fromDifferences([0, 0, 0], { zeroMethod });
      expect(r.reason).toBe('all_differences_zero');
      expect(r.p).toBeNull();
      expect(r.w).toBeNull();
      expect(nonFinitePaths(r)).toEqual([]);
    }
  });

  it('no pairs / all pairs incomplete → no_data', () => {
    expect(wilcoxonSignedRank([]).reason).toBe('no_data');
    expect(wilcoxonSignedRank([{ pre: 3, post: null }]).reason).toBe('no_data');
  });

  it('a single non-zero difference: exact p = 1', () => {
    expect(fromDifferences([0, 0, 4])).toMatchObject({ nRanked: 1, w: 0, p: 1, method: 'exact' });
  });

  it('Pratt zeros make the ranks non-classical, so auto uses the normal approximation', () => {
    const r = fromDifferences([0, 1, 2, 3, 4, 5], { zeroMethod: 'pratt' });
    expect(r.hasTies).toBe(false);
    expect(r.method).toBe('normal');
    // Ranks 2..6 for the positives: W+ = 20, E = 10, σ² = (4+9+16+25+36)/4 = 22.5 (hand).
    expect(r.wPlus).toBe(20);
    expectRelative(r.z, 10 / Math.sqrt(22.5), 1e-13);
  });

  it('treats differences equal up to floating point as tied and as zero', () => {
    const r = wilcoxonSignedRank([
      { pre: 0.1, post: 0.3 },
      { pre: 1.1, post: 1.3 },
      { pre: 0.3, post: 0.1 + 0.2 },
    ]);
    expect(r.nZero).toBe(1);
    expect(r.hasTies).toBe(true);
  });

  it('rejects an exact request beyond the enumeration limit', () => {
    const d = Array.from({ length: 301 }, (_, i) => i + 1);
    expect(() => fromDifferences(d, { pMethod: 'exact' })).toThrow(RangeError);
  });
});

/** Independent reference: O(n²) mid-ranks and brute-force enumeration of all 2^N sign patterns. */
const bruteForceP = (differences: ReadonlyArray<number>, zeroMethod: 'wilcox' | 'pratt'): number => {
  const used = zeroMethod === 'wilcox' ? differences.filter((d) => d !== 0) : [...differences];
  const abs = used.map(Math.abs);
  const rank = (v: number): number => abs.filter((w) => w < v).length + (abs.filter((w) => w === v).length + 1) / 2;
  const ranks = used.map((d, i) => (d === 0 ? 0 : rank(abs[i] ?? 0)));
  const observed = used.reduce((sum, d, i) => (d > 0 ? sum + (ranks[i] ?? 0) : sum), 0);
  let lower = 0;
  let upper = 0;
  const total = 2 ** used.length;
  for (let mask = 0; mask < total; mask += 1) {
    let s = 0;
    ranks.forEach((r, i) => {
      if (mask & (1 << i)) s += r;
    });
    if (s <= observed + 1e-9) lower += 1;
    if (s >= observed - 1e-9) upper += 1;
  }
  return Math.min(1, (2 * Math.min(lower, upper)) / total);
};

group('properties', () => {
  const differences = fc.array(fc.integer({ min: -6, max: 6 }), { minLength: 1, maxLength: 12 });

  it('exact p equals brute-force enumeration, with and without ties and zeros', () => {
    fc.assert(
      fc.property(differences, fc.constantFrom('wilcox' as const, 'pratt' as const), (d, zeroMethod) => {
        const r = fromDifferences(d, { zeroMethod, pMethod: 'exact' });
        if (r.p === null) return;
        expectAbsolute(r.p, bruteForceP(d, zeroMethod), 1e-12);
      }),
    );
  });

  it('negating all differences keeps W and p, negates z and r; p in [0, 1]; never NaN', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -20, max: 20 }), { maxLength: 70 }),
        fc.constantFrom('wilcox' as const, 'pratt' as const),
        fc.constantFrom('auto' as const, 'normal' as const),
        (d, zeroMethod, pMethod) => {
          const a = fromDifferences(d, { zeroMethod, pMethod });
          const b = fromDifferences(
            d.map((x) => (x === 0 ? 0 : -x)),
            { zeroMethod, pMethod },
          );
          expect(nonFinitePaths(a)).toEqual([]);
          expect(b.w).toBe(a.w);
          expect(b.p).toBe(a.p);
          if (a.z !== null) expectAbsolute(b.z, -a.z, 1e-12);
          if (a.p !== null) {
            expect(a.p).toBeGreaterThanOrEqual(0);
            expect(a.p).toBeLessThanOrEqual(1);
          }
          if (a.wPlus !== null && a.wMinus !== null) {
            const n = a.nRanked;
            // W+ + W− = sum of the non-zero ranks ≤ N(N + 1)/2 (equal for 'wilcox').
            expect(a.wPlus + a.wMinus).toBeLessThanOrEqual((n * (n + 1)) / 2 + 1e-9);
            if (zeroMethod === 'wilcox') expect(a.wPlus + a.wMinus).toBe((n * (n + 1)) / 2);
          }
        },
      ),
    );
  });
});
