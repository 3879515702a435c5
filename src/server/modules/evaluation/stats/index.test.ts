import { describe as group, expect, it } from 'vitest';
import * as stats from './index.ts';

group('public surface', () => {
  it('exposes every figure the report needs through index.ts', () => {
    const expected = [
      'describe',
      'meanConfidenceInterval',
      'proportion',
      'analysePaired',
      'effectSizeDz',
      'pairedTTest',
      'wilcoxonSignedRank',
      'mcnemar',
      'mcnemarFromPairs',
      'classifyChange',
      'summariseChange',
      'reliableChangeFromReliability',
      'criterionC',
      'mustSuppress',
      'suppressIfSmall',
      'tQuantile',
      'normalQuantile',
      'binomialTestTwoSided',
      'chiSquare1Sf',
    ];
    for (const name of expected) expect(typeof (stats as Record<string, unknown>)[name]).toBe('function');
  });

  it('runs one report cell end to end: per-timepoint, paired, McNemar and Jacobson–Truax for CORE-10', () => {
    const pre = [18, 22, 15, 11, 25, 14, 20, 9, 17, 13];
    const post = [12, 20, 10, 11, 16, 15, 13, 8, 10, 12];
    const pairs = pre.map((p, i) => ({ pre: p, post: post[i] }));
    const rule = { better: 'lower', reliableChange: 6, cutoff: 11 } as const;
    const paired = stats.analysePaired(pairs);
    const change = stats.summariseChange(pairs, rule);
    const mcnemar = stats.mcnemarFromPairs(
      pairs.map(({ pre: a, post: b }) => ({
        pre: stats.isClinical(a, rule.cutoff, rule.better),
        post: b === undefined ? null : stats.isClinical(b, rule.cutoff, rule.better),
      })),
    );
    expect(paired.n).toBe(10);
    // Clinical (≥ 11) at pre: 18, 22, 15, 11, 25, 14, 20, 17, 13 = 9 of 10; at post: 12, 20, 16, 15, 13, 11, 12 = 7.
    expect(change.clinicalPre).toEqual({ numerator: 9, denominator: 10, pct: 90 });
    expect(change.clinicalPost).toEqual({ numerator: 7, denominator: 10, pct: 70 });
    // Recovered: 15 → 10, 17 → 10 (2 of 9); both fell by ≥ 6? 15 → 10 is 5 (no), 17 → 10 is 7 (yes).
    expect(change.recovered).toEqual({ numerator: 2, denominator: 9, pct: 200 / 9 });
    expect(change.reliableRecovery).toEqual({ numerator: 1, denominator: 9, pct: 100 / 9 });
    // Reliable improvement (drop ≥ 6): 18→12, 25→16, 20→13, 17→10 = 4.
    expect(change.reliableImprovement.numerator).toBe(4);
    expect(mcnemar).toMatchObject({ b: 2, c: 0, used: 'exact', exactP: 0.5 });
    expect(stats.mustSuppress(paired.n)).toBe(false);
  });
});
