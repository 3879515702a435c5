import { describe, expect, it } from 'vitest';
import { ageInMonths, bandOf, checkRatio, describeMix } from './creche-ratio.ts';

describe('crèche ratios', () => {
  it('counts months as birthdays are counted', () => {
    expect(ageInMonths('2024-03-15', '2026-03-14')).toBe(23);
    expect(ageInMonths('2024-03-15', '2026-03-15')).toBe(24);
    expect(ageInMonths('2024-01-31', '2024-02-29')).toBe(0);
  });

  it('puts a child in the band of their age on the day', () => {
    expect(bandOf(23).label).toBe('under 2');
    expect(bandOf(24).label).toBe('2 to 3');
    expect(bandOf(59).label).toBe('3 to 5');
    expect(bandOf(60).label).toBe('5 and over');
  });

  it('needs one member of staff for three under-twos and two for four', () => {
    expect(checkRatio([6, 12, 18], 1)).toMatchObject({ staffNeeded: 1, ok: true });
    expect(checkRatio([6, 12, 18, 20], 1)).toMatchObject({ staffNeeded: 2, ok: false });
  });

  it('adds up the shares of a mixed group instead of rounding each band up', () => {
    // Two under-twos (2/3) and two three-year-olds (2/8) make 11/12 of one person.
    expect(checkRatio([10, 14, 40, 44], 1)).toMatchObject({ staffNeeded: 1, ok: true });
    // Eight over-threes take one person; a ninth needs a second.
    expect(checkRatio(Array.from({ length: 8 }, () => 48), 1).staffNeeded).toBe(1);
    expect(checkRatio(Array.from({ length: 9 }, () => 48), 1).staffNeeded).toBe(2);
    expect(checkRatio([], 0)).toMatchObject({ staffNeeded: 0, ok: true });
  });

  it('takes an organisation’s own bands', () => {
    const bands = [
      { underMonths: 36, childrenPerStaff: 2, label: 'under 3' },
      { underMonths: null, childrenPerStaff: 6, label: '3 and over' },
    ];
    expect(checkRatio([10, 20, 30], 1, bands)).toMatchObject({ staffNeeded: 2, ok: false });
    expect(describeMix(checkRatio([10, 40], 1, bands))).toBe('1 under 3 (1:2), 1 3 and over (1:6)');
  });
});
