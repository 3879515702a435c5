import fc from 'fast-check';
import { describe as group, expect, it } from 'vitest';
import { chiSquare1Sf } from './distributions.ts';
import { mcnemar, mcnemarFromPairs, type StatusPair } from './mcnemar.ts';
import { expectRelative, nonFinitePaths } from './stats.testkit.ts';

group('McNemar — instruments.md §6 example b = 16, c = 4', () => {
  const r = mcnemar({ b: 16, c: 4 });

  it('exact p = .0118 (hand: 2·6196/2²⁰), and it is the headline because b + c = 20 < 25', () => {
    expectRelative(r.exactP, (2 * 6196) / 2 ** 20, 1e-12);
    expect(r.exactP.toFixed(4)).toBe('0.0118');
    expect(r.used).toBe('exact');
    expect(r.p).toBe(r.exactP);
  });

  it('χ² = 12²/20 = 7.2, p = .0073; corrected χ² = 11²/20 = 6.05, p = .0139', () => {
    expect(r.chiSquare).toBeCloseTo(7.2, 12);
    expect(r.chiSquareP?.toFixed(4)).toBe('0.0073');
    expectRelative(r.chiSquareP, 0.0072903580915356595, 1e-11);
    expect(r.chiSquareCorrected).toBeCloseTo(6.05, 12);
    expect(r.chiSquareCorrectedP?.toFixed(4)).toBe('0.0139');
    expectRelative(r.chiSquareCorrectedP, 0.013906296895346027, 1e-11);
  });
});

group('McNemar — edge cases', () => {
  it('switches the headline to uncorrected χ² at b + c = 25', () => {
    expect(mcnemar({ b: 20, c: 4 }).used).toBe('exact');
    const r = mcnemar({ b: 20, c: 5 });
    expect(r.used).toBe('chi_square');
    expect(r.p).toBe(r.chiSquareP);
    expectRelative(r.chiSquare, 225 / 25, 1e-15);
  });

  it('no discordant pairs: exact p = 1, χ² null with a reason', () => {
    const r = mcnemar({ b: 0, c: 0 });
    expect(r).toMatchObject({ nDiscordant: 0, exactP: 1, p: 1, chiSquare: null, chiSquareP: null, reason: 'no_discordant_pairs' });
    expect(nonFinitePaths(r)).toEqual([]);
  });

  it('b = c: χ² = 0, corrected χ² clamped to 0, every p = 1', () => {
    const r = mcnemar({ b: 7, c: 7 });
    expect(r.chiSquare).toBe(0);
    expect(r.chiSquareCorrected).toBe(0);
    expect(r.chiSquareP).toBe(1);
    expect(r.chiSquareCorrectedP).toBe(1);
    expect(r.exactP).toBe(1);
  });

  it('rejects impossible counts', () => {
    expect(() => mcnemar({ b: -1, c: 2 })).toThrow(RangeError);
    expect(() => mcnemar({ b: 1.5, c: 2 })).toThrow(RangeError);
  });
});

group('mcnemarFromPairs', () => {
  it('counts b and c from paired statuses, ignores incomplete pairs, keeps the paired denominators', () => {
    const pairs: StatusPair[] = [
      { pre: true, post: false },
      { pre: true, post: false },
      { pre: true, post: true },
      { pre: false, post: true },
      { pre: false, post: false },
      { pre: true, post: null },
      { pre: undefined, post: false },
    ];
    const r = mcnemarFromPairs(pairs);
    expect(r).toMatchObject({ n: 5, b: 2, c: 1, nIncomplete: 2 });
    expect(r.clinicalPre).toEqual({ numerator: 3, denominator: 5, pct: 60 });
    expect(r.clinicalPost).toEqual({ numerator: 2, denominator: 5, pct: 40 });
  });

  it('all-missing group: n = 0, p = 1, no NaN', () => {
    const r = mcnemarFromPairs([{ pre: null, post: null }]);
    expect(r.n).toBe(0);
    expect(r.clinicalPre.pct).toBeNull();
    expect(nonFinitePaths(r)).toEqual([]);
  });

  it('properties: p in [0, 1], symmetric in b and c, χ² p matches its statistic', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 300 }), (b, c) => {
        const r = mcnemar({ b, c });
        const s = mcnemar({ b: c, c: b });
        expect(nonFinitePaths(r)).toEqual([]);
        for (const p of [r.p, r.exactP, r.chiSquareP, r.chiSquareCorrectedP]) {
          if (p === null) continue;
          expect(p).toBeGreaterThanOrEqual(0);
          expect(p).toBeLessThanOrEqual(1);
        }
        expectRelative(s.p, r.p, 1e-12);
        if (r.chiSquare !== null) expectRelative(r.chiSquareP, chiSquare1Sf(r.chiSquare), 1e-15);
        // The continuity correction can only make the test more conservative.
        if (r.chiSquareCorrectedP !== null && r.chiSquareP !== null) {
          expect(r.chiSquareCorrectedP).toBeGreaterThanOrEqual(r.chiSquareP);
        }
      }),
    );
  });
});
