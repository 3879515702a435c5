import { describe, expect, it } from 'vitest';
import { daysBetween, dropOutRisk, median } from './overview-rules.ts';

describe('drop-out risk', () => {
  it('flags two absences in a row, or a low rate once three sessions are marked', () => {
    expect(dropOutRisk({ sessionsMarked: 4, attendanceRate: 0.5, consecutiveAbsences: 2 })).toBe('missed the last 2 sessions');
    expect(dropOutRisk({ sessionsMarked: 4, attendanceRate: 0.25, consecutiveAbsences: 0 })).toBe('attended 25% of 4 sessions');
    expect(dropOutRisk({ sessionsMarked: 2, attendanceRate: 0, consecutiveAbsences: 1 })).toBeNull();
    expect(dropOutRisk({ sessionsMarked: 5, attendanceRate: 0.6, consecutiveAbsences: 1 })).toBeNull();
    expect(dropOutRisk({ sessionsMarked: 0, attendanceRate: null, consecutiveAbsences: 0 })).toBeNull();
  });
});

describe('waits', () => {
  it('counts whole days and takes the median', () => {
    expect(daysBetween('2027-01-01T09:00:00Z', '2027-01-15')).toBe(14);
    expect(daysBetween('2027-01-15', '2027-01-01')).toBe(0);
    expect(median([])).toBeNull();
    expect(median([30, 10, 20])).toBe(20);
    expect(median([10, 21])).toBe(16);
  });
});
