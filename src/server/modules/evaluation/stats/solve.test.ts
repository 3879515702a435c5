import fc from 'fast-check';
import { describe as group, expect, it } from 'vitest';
import { noncentralTCdf } from './distributions.ts';
import { findRoot, findRootBrent } from './solve.ts';

group('findRootBrent', () => {
  it('finds the same roots as bisection, to the tolerance asked', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 3000 }), fc.double({ min: -2, max: 2, noNaN: true }), fc.constantFrom(0.025, 0.975), (n, dz, target) => {
        const t = dz * Math.sqrt(n);
        const f = (delta: number) => noncentralTCdf(t, n - 1, delta) - target;
        const slow = findRoot(f, t - 4, t + 4, { tolerance: 1e-11 });
        const fast = findRootBrent(f, t - 4, t + 4, { tolerance: 1e-11 });
        expect(slow).not.toBeNull();
        expect(Math.abs((fast ?? Number.NaN) - (slow ?? Number.NaN))).toBeLessThanOrEqual(3e-11 * Math.max(1, Math.abs(slow ?? 0)));
      }),
      { numRuns: 60 },
    );
  });

  it('widens a bracket without a sign change, and says null when there is no root', () => {
    expect(findRootBrent((x) => x - 100, 0, 1, { tolerance: 1e-12 })).toBeCloseTo(100, 10);
    expect(findRootBrent((x) => Math.exp(x - 3) - 1, -10, -9)).toBeCloseTo(3, 10);
    expect(findRootBrent(() => 1, 0, 1, { maxWiden: 5 })).toBeNull();
  });
});
