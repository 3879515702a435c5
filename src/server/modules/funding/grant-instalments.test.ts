import { describe, expect, it } from 'vitest';
import { grantInstalments, instalmentProblem } from './grant-instalments.ts';

describe('grant instalments', () => {
  it('splits a financial year into calendar quarters, the odd pence to the first', () => {
    expect(grantInstalments('2027-04-01', '2028-03-31', 10_000_001, 4)).toEqual([
      { number: 1, periodStart: '2027-04-01', periodEnd: '2027-06-30', amountPence: 2_500_001 },
      { number: 2, periodStart: '2027-07-01', periodEnd: '2027-09-30', amountPence: 2_500_000 },
      { number: 3, periodStart: '2027-10-01', periodEnd: '2027-12-31', amountPence: 2_500_000 },
      { number: 4, periodStart: '2028-01-01', periodEnd: '2028-03-31', amountPence: 2_500_000 },
    ]);
  });

  it('splits any other period by days, contiguous, covering it exactly, adding up to the value', () => {
    for (const [start, end, value, count] of [
      ['2027-01-15', '2027-07-14', 99_999, 4],
      ['2027-02-01', '2027-02-28', 7, 3],
      ['2027-03-01', '2027-03-05', 1_000_000, 5],
      ['2026-11-23', '2028-02-29', 123_456_789, 12],
    ] as const) {
      const parts = grantInstalments(start, end, value, count);
      expect(parts).toHaveLength(count);
      expect(parts[0]?.periodStart).toBe(start);
      expect(parts.at(-1)?.periodEnd).toBe(end);
      expect(parts.reduce((sum, p) => sum + p.amountPence, 0)).toBe(value);
      for (const p of parts) expect(Number.isInteger(p.amountPence)).toBe(true);
      parts.slice(1).forEach((p, i) => {
        const previous = parts[i];
        expect(Date.parse(`${p.periodStart}T00:00:00Z`) - Date.parse(`${previous?.periodEnd ?? ''}T00:00:00Z`)).toBe(86_400_000);
      });
    }
  });

  it('refuses more instalments than days', () => {
    expect(instalmentProblem('2027-03-01', '2027-03-02', 3)).toBe('a period of 2 days cannot be split into 3 instalments');
    expect(() => grantInstalments('2027-03-01', '2027-03-02', 100, 3)).toThrow(RangeError);
  });
});
