import fc from 'fast-check';
import { describe as group, expect, it } from 'vitest';
import {
  binomialPmf,
  binomialTestTwoSided,
  chiSquare1Sf,
  chiSquareSf,
  noncentralTCdf,
  normalCdf,
  normalQuantile,
  normalSf,
  tCdf,
  tQuantile,
  tTwoSidedP,
} from './distributions.ts';
import { expectAbsolute, expectRelative } from './stats.testkit.ts';

// Reference values marked "SciPy" were computed with SciPy 1.17.1 (scipy.stats.norm / t / nct / chi2 /
// binomtest) on this machine; "hand" values follow from closed forms stated next to them.

group('standard normal', () => {
  it('CDF matches tables and keeps relative accuracy in the tail', () => {
    expect(normalCdf(0)).toBe(0.5);
    expectRelative(normalCdf(1), 0.8413447460685429, 1e-14);
    expectRelative(normalCdf(-1.96), 0.024997895148220435, 1e-13);
    expectRelative(normalCdf(-5), 2.866515718791933e-7, 1e-12);
    expectRelative(normalCdf(-10), 7.61985302416047e-24, 1e-12);
    expectRelative(normalCdf(-37), 5.7255712225239266e-300, 1e-11);
    expectRelative(normalSf(3), 1 - 0.9986501019683699, 1e-12);
  });

  it('quantile gives the familiar critical values', () => {
    expectAbsolute(normalQuantile(0.975), 1.959964, 5e-7);
    expectRelative(normalQuantile(0.975), 1.959963984540054, 1e-14);
    expectRelative(normalQuantile(0.95), 1.6448536269514722, 1e-14);
    expectRelative(normalQuantile(0.995), 2.5758293035489004, 1e-14);
    expectRelative(normalQuantile(1e-10), -6.361340902404056, 1e-14);
    expectRelative(normalQuantile(1e-300), -37.0470962993612, 1e-13);
    expect(normalQuantile(0.5)).toBe(0);
  });

  it('quantile inverts the CDF', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-15, max: 1 - 1e-15, noNaN: true }), (p) => {
        expectRelative(normalCdf(normalQuantile(p)), p, 1e-12);
      }),
    );
  });

  it('rejects probabilities outside (0, 1)', () => {
    for (const p of [0, 1, -0.1, 1.1, Number.NaN]) expect(() => normalQuantile(p)).toThrow(RangeError);
  });
});

group('Student t', () => {
  it('CDF matches closed forms (hand)', () => {
    // df = 1 is Cauchy: F(1) = ½ + atan(1)/π = 0.75.
    expectRelative(tCdf(1, 1), 0.75, 1e-14);
    expectRelative(tCdf(-3, 1), 0.5 + Math.atan(-3) / Math.PI, 1e-13);
    // df = 2: F(t) = ½ + t/(2√(2 + t²)).
    for (const t of [-4, -0.3, 0.7, 2.5, 30]) expectRelative(tCdf(t, 2), 0.5 + t / (2 * Math.sqrt(2 + t * t)), 1e-13);
    expect(tCdf(0, 7)).toBe(0.5);
  });

  it('CDF matches SciPy, including large df and far tails', () => {
    expectRelative(tCdf(-3, 4), 0.019970984035859413, 1e-12);
    expectRelative(tCdf(0.5, 2.5), 0.6711510400651426, 1e-12);
    expectRelative(tCdf(-8, 10), 5.887471394833083e-6, 1e-11);
    expectRelative(1 - tCdf(30, 5), 3.8593243102480265e-7, 1e-7);
    expectRelative(tCdf(1.96, 1e6), 0.9750019662073651, 1e-12);
    expectRelative(tCdf(-5, 1e5), 2.8713508393208397e-7, 1e-9);
  });

  it('two-sided p of the worked example t(9) = −3.345 is .0086', () => {
    expectRelative(tTwoSidedP(-3.3452556994679625, 9), 0.008588082154979193, 1e-11);
  });

  it('quantile reproduces table values', () => {
    expectAbsolute(tQuantile(0.975, 9), 2.262157, 5e-7);
    expectRelative(tQuantile(0.975, 9), 2.262157162798205, 1e-12);
    // df = 1: tan(π(p − ½)); df = 2: (2p − 1)/√(2p(1 − p)) (hand).
    expectRelative(tQuantile(0.975, 1), Math.tan(Math.PI * 0.475), 1e-13);
    expectAbsolute(tQuantile(0.975, 1), 12.706205, 5e-7);
    expectRelative(tQuantile(0.975, 2), 0.95 / Math.sqrt(2 * 0.975 * 0.025), 1e-13);
    expectRelative(tQuantile(0.995, 30), 2.7499956535672254, 1e-12);
    expectRelative(tQuantile(0.995, 9), 3.249835541592126, 1e-12);
    expectRelative(tQuantile(0.95, 3), 2.3533634348018233, 1e-12);
    expectRelative(tQuantile(0.9, 4), 1.533206274058944, 1e-12);
    expectRelative(tQuantile(0.6, 15), 0.25788530093726125, 1e-11);
    expectRelative(tQuantile(1e-6, 5), -24.771029720515948, 1e-11);
    expectRelative(tQuantile(1e-10, 4), -416.1751403296041, 1e-10);
    expectRelative(tQuantile(0.975, 2.5), 3.5746548420036817, 1e-12);
    expectRelative(tQuantile(0.975, 1000), 1.9623390808264083, 1e-12);
  });

  it('is symmetric, inverts, and tends to the normal', () => {
    fc.assert(
      fc.property(fc.double({ min: -50, max: 50, noNaN: true }), fc.double({ min: 0.5, max: 1e4, noNaN: true }), (t, df) => {
        expect(Math.abs(tCdf(t, df) + tCdf(-t, df) - 1)).toBeLessThan(1e-13);
        const p = tTwoSidedP(t, df);
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(1);
      }),
    );
    fc.assert(
      fc.property(fc.double({ min: 1e-8, max: 1 - 1e-8, noNaN: true }), fc.double({ min: 1, max: 1e4, noNaN: true }), (p, df) => {
        expectAbsolute(tCdf(tQuantile(p, df), df), p, 1e-12);
      }),
    );
    expectAbsolute(tQuantile(0.975, 1e7), normalQuantile(0.975), 1e-6);
  });
});

group('chi-square', () => {
  it('upper tail matches tables', () => {
    expectAbsolute(chiSquare1Sf(3.841458820694124), 0.05, 1e-15);
    expectRelative(chiSquare1Sf(10), 0.001565402258002549, 1e-12);
    expectRelative(chiSquare1Sf(50), 1.537459794428033e-12, 1e-11);
    expectRelative(chiSquare1Sf(0.001), 0.9747728793699604, 1e-13);
    expectRelative(chiSquareSf(5, 3), 0.1717971442967335, 1e-12);
    // df = 2 is exponential: P(X ≥ x) = e^{−x/2} (hand).
    expectRelative(chiSquareSf(7, 2), Math.exp(-3.5), 1e-14);
    expect(chiSquare1Sf(0)).toBe(1);
  });

  it('chi-square(1) tail equals the two-sided normal tail 2Φ(−√x)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1000, noNaN: true }), (x) => {
        expectRelative(chiSquare1Sf(x), 2 * normalCdf(-Math.sqrt(x)), 1e-11);
        expectRelative(chiSquareSf(x, 1), chiSquare1Sf(x), 1e-11);
      }),
    );
  });
});

group('binomial', () => {
  it('exact two-sided test: McNemar example min(b, c) = 4 of 20 gives .0118 (hand: 2·6196/2²⁰)', () => {
    // P(X ≤ 4) = (1 + 20 + 190 + 1140 + 4845)/2^20 = 6196/1048576.
    expect(binomialTestTwoSided(4, 20)).toBe((2 * 6196) / 1048576); // exact arithmetic up to n = 50
    expectRelative(binomialTestTwoSided(16, 20), (2 * 6196) / 1048576, 1e-12);
  });

  it('uses the minimum-likelihood rule for p ≠ ½ (as R binom.test / SciPy binomtest)', () => {
    expectRelative(binomialTestTwoSided(7, 10, 0.3), 0.010592078399999996, 1e-11);
    expectRelative(binomialTestTwoSided(2, 20, 0.3), 0.05262794872972706, 1e-11);
    expectRelative(binomialTestTwoSided(30, 50), 0.20263875106454066, 1e-11);
    expect(binomialTestTwoSided(0, 0)).toBe(1);
    expect(binomialTestTwoSided(5, 10)).toBe(1);
  });

  it('pmf sums to 1 and the test p is in (0, 1]', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.double({ min: 0.01, max: 0.99, noNaN: true }), (n, p) => {
        let total = 0;
        for (let k = 0; k <= n; k += 1) total += binomialPmf(k, n, p);
        expectAbsolute(total, 1, 1e-11);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n }))), ([n, k]) => {
        const p = binomialTestTwoSided(k, n);
        expect(p).toBeGreaterThan(0);
        expect(p).toBeLessThanOrEqual(1);
        // Symmetric for probability ½.
        expectRelative(binomialTestTwoSided(n - k, n), p, 1e-12);
      }),
    );
  });

  it('rejects impossible counts', () => {
    expect(() => binomialTestTwoSided(3, 2)).toThrow(RangeError);
    expect(() => binomialTestTwoSided(1.5, 4)).toThrow(RangeError);
    expect(() => binomialPmf(-1, 4, 0.5)).toThrow(RangeError);
  });
});

group('noncentral t', () => {
  it('matches SciPy nct.cdf', () => {
    const cases: ReadonlyArray<readonly [number, number, number, number]> = [
      [1.5, 9, 0.5, 0.8173597433931109],
      [-2, 5, 1, 0.005896462289842157],
      [3, 20, -1, 0.9998469152055284],
      [0.5, 30, 2, 0.06667211444913004],
      [10, 50, 8, 0.9171470417861304],
      [-1, 3, -2, 0.8426505660299635],
      [2, 1, 1, 0.6228719644602817],
    ];
    for (const [t, df, delta, expected] of cases) expectRelative(noncentralTCdf(t, df, delta), expected, 1e-9);
  });

  it('reduces to the central t at δ = 0 and to Φ(−δ) at t = 0', () => {
    expectRelative(noncentralTCdf(1.7, 6, 0), tCdf(1.7, 6), 1e-15);
    expectRelative(noncentralTCdf(0, 6, 1.3), normalCdf(-1.3), 1e-15);
  });

  it('decreases in δ and stays in [0, 1]', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -40, max: 40, noNaN: true }),
        fc.integer({ min: 1, max: 500 }),
        fc.double({ min: -30, max: 30, noNaN: true }),
        fc.double({ min: 0.01, max: 5, noNaN: true }),
        (t, df, delta, step) => {
          const low = noncentralTCdf(t, df, delta);
          const high = noncentralTCdf(t, df, delta + step);
          expect(low).toBeGreaterThanOrEqual(0);
          expect(low).toBeLessThanOrEqual(1);
          expect(high).toBeLessThanOrEqual(low + 1e-12);
        },
      ),
      { numRuns: 200 },
    );
  });
});
