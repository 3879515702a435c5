import fc from 'fast-check';
import { describe as group, expect, it } from 'vitest';
import {
  type ChangeRule,
  classifyChange,
  clinicalCriteria,
  criterionC,
  isClinical,
  reliableChangeFromReliability,
  reliableChangeIndex,
  summariseChange,
  zForConfidence,
} from './reliable-change.ts';
import { expectAbsolute, expectRelative, nonFinitePaths } from './stats.testkit.ts';

const CORE10: ChangeRule = { better: 'lower', reliableChange: 6, cutoff: 11 };

group('reliable change value from SD and reliability', () => {
  it('CORE-10 (instruments.md §1.1): 1.645 × 7.7 × √2 × √0.10 = 5.66 at 90 %', () => {
    const rc = reliableChangeFromReliability({ sd: 7.7, reliability: 0.9, z: 1.645 });
    expect(rc.reliableChange.toFixed(2)).toBe('5.66');
    expectRelative(rc.sDiff, 7.7 * Math.SQRT2 * Math.sqrt(0.1), 1e-15);
    expectRelative(rc.standardError, 7.7 * Math.sqrt(0.1), 1e-15);
    // With the exact z for 90 % the value is the same to two decimals.
    expect(reliableChangeFromReliability({ sd: 7.7, reliability: 0.9, z: zForConfidence(0.9) }).reliableChange.toFixed(2)).toBe('5.66');
  });

  it('CORE-10 at 95 % (default z = 1.959964) is 6.75', () => {
    expect(reliableChangeFromReliability({ sd: 7.7, reliability: 0.9 }).reliableChange.toFixed(2)).toBe('6.75');
  });

  it('QMI illustration (instruments.md §2): SD 6.87, α .922 → 5.3 (95 %), 4.5 (90 %)', () => {
    expect(reliableChangeFromReliability({ sd: 6.87, reliability: 0.922, z: 1.96 }).reliableChange.toFixed(1)).toBe('5.3');
    expect(reliableChangeFromReliability({ sd: 6.87, reliability: 0.922, z: 1.645 }).reliableChange.toFixed(1)).toBe('4.5');
  });

  it('zForConfidence gives 1.959964 and 1.644854', () => {
    expectAbsolute(zForConfidence(0.95), 1.959964, 5e-7);
    expectAbsolute(zForConfidence(0.9), 1.644854, 5e-7);
  });

  it('rejects reliabilities that would make every change reliable, and bad SDs', () => {
    expect(() => reliableChangeFromReliability({ sd: 7.7, reliability: 1 })).toThrow(RangeError);
    expect(() => reliableChangeFromReliability({ sd: 0, reliability: 0.9 })).toThrow(RangeError);
    expect(() => reliableChangeFromReliability({ sd: 7.7, reliability: -0.1 })).toThrow(RangeError);
  });

  it('RC index = (post − pre)/S_diff', () => {
    expectRelative(reliableChangeIndex(20, 12, 2), -4, 1e-15);
    expect(() => reliableChangeIndex(1, 2, 0)).toThrow(RangeError);
  });
});

group('clinical cut-off criteria', () => {
  it('CORE-10 criterion c = (4.8 × 19.7 + 7.7 × 4.7)/(4.8 + 7.7) = 10.46', () => {
    const c = criterionC({ mean: 4.7, sd: 4.8 }, { mean: 19.7, sd: 7.7 });
    expectRelative(c, (4.8 * 19.7 + 7.7 * 4.7) / 12.5, 1e-15);
    expect(c.toFixed(2)).toBe('10.46');
  });

  it('criteria a and b point the right way for each direction', () => {
    const lower = clinicalCriteria({ functional: { mean: 4.7, sd: 4.8 }, dysfunctional: { mean: 19.7, sd: 7.7 }, better: 'lower' });
    expectRelative(lower.a, 19.7 - 15.4, 1e-15);
    expectRelative(lower.b, 4.7 + 9.6, 1e-15);
    const higher = clinicalCriteria({ functional: { mean: 36, sd: 5 }, dysfunctional: { mean: 24, sd: 6 }, better: 'higher' });
    expectRelative(higher.a, 24 + 12, 1e-15);
    expectRelative(higher.b, 36 - 10, 1e-15);
    expectRelative(higher.c, (5 * 24 + 6 * 36) / 11, 1e-15);
  });

  it('c lies between the two means', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -100, max: 100, noNaN: true }),
        fc.double({ min: -100, max: 100, noNaN: true }),
        fc.double({ min: 0.1, max: 50, noNaN: true }),
        fc.double({ min: 0.1, max: 50, noNaN: true }),
        (m0, m1, s0, s1) => {
          const c = criterionC({ mean: m0, sd: s0 }, { mean: m1, sd: s1 });
          expect(c).toBeGreaterThanOrEqual(Math.min(m0, m1) - 1e-9);
          expect(c).toBeLessThanOrEqual(Math.max(m0, m1) + 1e-9);
        },
      ),
    );
  });
});

group('Jacobson–Truax classification (CORE-10: lower is better, RC 6, cut-off 11)', () => {
  it.each([
    // pre, post, category, clinical pre, clinical post, recovered, reliable recovery
    [20, 14, 'reliable_improvement', true, true, false, false], // drop of exactly 6 is reliable
    [20, 15, 'no_reliable_change', true, true, false, false],
    [16, 10, 'reliable_improvement', true, false, true, true], // reliable + crossed the cut-off
    [12, 10, 'no_reliable_change', true, false, true, false], // recovered but not reliably
    [11, 11, 'no_reliable_change', true, true, false, false], // 11 is clinical: "at or beyond"
    [10, 10, 'no_reliable_change', false, false, false, false],
    [5, 11, 'reliable_deterioration', false, true, false, false],
    [4, 9, 'no_reliable_change', false, false, false, false],
  ] as const)('pre %d → post %d: %s', (pre, post, category, clinicalPre, clinicalPost, recovered, reliableRecovery) => {
    expect(classifyChange(pre, post, CORE10)).toEqual({
      change: post - pre,
      category,
      clinicalPre,
      clinicalPost,
      recovered,
      reliableRecovery,
    });
  });

  it('higher-is-better scales (e.g. QMI with a configured convention ≤ 29) flip the direction', () => {
    const rule: ChangeRule = { better: 'higher', reliableChange: 5.3, cutoff: 29 };
    expect(classifyChange(24, 31, rule)).toMatchObject({ category: 'reliable_improvement', clinicalPre: true, clinicalPost: false, reliableRecovery: true });
    expect(classifyChange(36, 30, rule).category).toBe('reliable_deterioration');
    expect(isClinical(29, 29, 'higher')).toBe(true);
    expect(isClinical(29.5, 29, 'higher')).toBe(false);
  });

  it('without a validated cut-off, clinical status and recovery are null but reliable change is classified', () => {
    const rule: ChangeRule = { better: 'higher', reliableChange: 5, cutoff: null };
    expect(classifyChange(20, 30, rule)).toEqual({
      change: 10,
      category: 'reliable_improvement',
      clinicalPre: null,
      clinicalPost: null,
      recovered: null,
      reliableRecovery: null,
    });
  });

  it('a non-integer RC on a mean scale is not defeated by floating point (CORE-OM 0.48 on 0–4)', () => {
    const rule: ChangeRule = { better: 'lower', reliableChange: 0.48, cutoff: 1 };
    expect(classifyChange(1.6, 1.12, rule).category).toBe('reliable_improvement');
  });

  it('rejects a non-positive reliable-change value', () => {
    expect(() => classifyChange(1, 2, { ...CORE10, reliableChange: 0 })).toThrow(RangeError);
  });
});

group('summariseChange', () => {
  it('counts categories with their denominators; recovery is over those clinical at pre', () => {
    const s = summariseChange(
      [
        { pre: 20, post: 14 },
        { pre: 16, post: 10 },
        { pre: 12, post: 10 },
        { pre: 10, post: 10 },
        { pre: 5, post: 11 },
        { pre: 18, post: null },
      ],
      CORE10,
    );
    expect(s.n).toBe(5);
    expect(s.nIncomplete).toBe(1);
    expect(s.reliableImprovement).toEqual({ numerator: 2, denominator: 5, pct: 40 });
    expect(s.reliableDeterioration).toEqual({ numerator: 1, denominator: 5, pct: 20 });
    expect(s.noReliableChange).toEqual({ numerator: 2, denominator: 5, pct: 40 });
    expect(s.clinicalPre).toEqual({ numerator: 3, denominator: 5, pct: 60 });
    expect(s.clinicalPost).toEqual({ numerator: 2, denominator: 5, pct: 40 });
    expect(s.recovered).toEqual({ numerator: 2, denominator: 3, pct: 200 / 3 });
    expect(s.reliableRecovery).toEqual({ numerator: 1, denominator: 3, pct: 100 / 3 });
  });

  it('all-missing group: zero counts, null percentages, no NaN', () => {
    const s = summariseChange([{ pre: null, post: 3 }], CORE10);
    expect(s.n).toBe(0);
    expect(s.reliableImprovement.pct).toBeNull();
    expect(s.recovered).toEqual({ numerator: 0, denominator: 0, pct: null });
    expect(nonFinitePaths(s)).toEqual([]);
  });

  it('categories partition the participants; recovered ⊆ clinical at pre; reliable recovery ⊆ both', () => {
    const rules = fc.record({
      better: fc.constantFrom('lower' as const, 'higher' as const),
      reliableChange: fc.double({ min: 0.5, max: 15, noNaN: true }),
      cutoff: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }),
    });
    const pairs = fc.array(
      fc.record({
        pre: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }),
        post: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }),
      }),
      { maxLength: 60 },
    );
    fc.assert(
      fc.property(pairs, rules, (data, rule) => {
        const s = summariseChange(data, rule);
        expect(nonFinitePaths(s)).toEqual([]);
        expect(s.reliableImprovement.numerator + s.noReliableChange.numerator + s.reliableDeterioration.numerator).toBe(s.n);
        expect(s.n + s.nIncomplete).toBe(data.length);
        if (rule.cutoff === null) {
          expect(s.recovered).toBeNull();
          return;
        }
        expect(s.recovered?.denominator).toBe(s.clinicalPre?.numerator);
        expect(s.reliableRecovery?.numerator ?? 0).toBeLessThanOrEqual(s.recovered?.numerator ?? 0);
        expect(s.reliableRecovery?.numerator ?? 0).toBeLessThanOrEqual(s.reliableImprovement.numerator);
        for (const { pre, post } of data) {
          if (pre === null || post === null) continue;
          const c = classifyChange(pre, post, rule);
          // Swapping pre and post swaps improvement and deterioration.
          const swapped = classifyChange(post, pre, rule).category;
          const mirror = { reliable_improvement: 'reliable_deterioration', reliable_deterioration: 'reliable_improvement', no_reliable_change: 'no_reliable_change' } as const;
          expect(swapped).toBe(mirror[c.category]);
        }
      }),
    );
  });
});
