import { describe, expect, it } from 'vitest';
import { lastCompleteQuarter, periodFor, quarterDates } from './quarter.ts';

describe('quarters for funders’ returns', () => {
  it('turns a quarter into its first and last day, leap years included', () => {
    expect(quarterDates('2024-Q1')).toEqual({ from: '2024-01-01', to: '2024-03-31' });
    expect(quarterDates('2026-Q2')).toEqual({ from: '2026-04-01', to: '2026-06-30' });
    expect(quarterDates('2026-Q4')).toEqual({ from: '2026-10-01', to: '2026-12-31' });
    expect(() => quarterDates('2026-Q5')).toThrow(RangeError);
  });
  it('finds the last complete quarter, across the new year', () => {
    expect(lastCompleteQuarter('2026-11-23')).toBe('2026-Q3');
    expect(lastCompleteQuarter('2026-02-01')).toBe('2025-Q4');
    expect(lastCompleteQuarter('2026-04-01')).toBe('2026-Q1');
  });
  it('runs a cumulative return from its start date to the end of the quarter', () => {
    expect(periodFor('2026-Q3', 'since_start', '2025-09-15')).toMatchObject({ from: '2025-09-15', to: '2026-09-30', label: '2026-Q3: 15 Sep 2025 to 30 Sep 2026' });
    expect(periodFor('2026-Q3', 'quarter', '2025-09-15')).toMatchObject({ from: '2026-07-01', to: '2026-09-30' });
  });
});
