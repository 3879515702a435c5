import { describe, expect, it } from 'vitest';
import { addDays, closureOn, moveSession, overlaps, ScheduleError, weeklyDates, weekdayOf } from './schedule.ts';

const halfTerm = { from: '2027-02-15', to: '2027-02-19', reason: 'February half term' };
const easter = { from: '2027-03-29', to: '2027-04-09', reason: 'Easter holidays' };
const bankHoliday = { from: '2027-05-03', to: '2027-05-03', reason: 'Early May bank holiday' };

describe('weekly dates', () => {
  it('gives one date a week from the start, on the same weekday', () => {
    const dates = weeklyDates('2027-01-04', 16, []);
    expect(dates).toHaveLength(16);
    expect(dates[0]).toBe('2027-01-04');
    expect(dates[1]).toBe('2027-01-11');
    expect(dates.at(-1)).toBe('2027-04-19');
    expect(new Set(dates.map(weekdayOf))).toEqual(new Set([1]));
  });

  it('skips weeks whose date falls in a closure and still finds every session', () => {
    const dates = weeklyDates('2027-01-04', 16, [halfTerm, easter, bankHoliday]);
    expect(dates).toHaveLength(16);
    expect(dates).not.toContain('2027-02-15');
    expect(dates).not.toContain('2027-03-29');
    expect(dates).not.toContain('2027-04-05');
    expect(dates).not.toContain('2027-05-03');
    for (const d of dates) expect(closureOn(d, [halfTerm, easter, bankHoliday])).toBeUndefined();
    // Four weeks skipped: the group ends four weeks later than it would have.
    expect(dates.at(-1)).toBe(addDays('2027-04-19', 28));
  });

  it('crosses the clock change and the year end without losing a day', () => {
    expect(weeklyDates('2026-10-19', 3, [])).toEqual(['2026-10-19', '2026-10-26', '2026-11-02']);
    expect(weeklyDates('2026-12-21', 3, [{ from: '2026-12-28', to: '2026-12-28', reason: 'Christmas' }])).toEqual(['2026-12-21', '2027-01-04', '2027-01-11']);
  });

  it('refuses closures that leave no room', () => {
    expect(() => weeklyDates('2027-01-04', 4, [{ from: '2027-01-01', to: '2031-01-01', reason: 'closed' }])).toThrow(ScheduleError);
  });
});

describe('moving a session', () => {
  const sessions = weeklyDates('2027-01-04', 6, []).map((onDate, i) => ({ number: i + 1, onDate }));

  it('moves one session between its neighbours and leaves the rest', () => {
    expect(moveSession(sessions, 3, '2027-01-20', [], false)).toEqual([{ number: 3, onDate: '2027-01-20' }]);
  });

  it('reschedules every later session weekly from the new date, skipping closures', () => {
    const moved = moveSession(sessions, 3, '2027-01-25', [halfTerm], true);
    expect(moved).toEqual([
      { number: 3, onDate: '2027-01-25' },
      { number: 4, onDate: '2027-02-01' },
      { number: 5, onDate: '2027-02-08' },
      { number: 6, onDate: '2027-02-22' },
    ]);
  });

  it('keeps the curriculum in order and refuses a closed day', () => {
    expect(() => moveSession(sessions, 3, '2027-01-11', [], false)).toThrow(/after session 2/);
    expect(() => moveSession(sessions, 3, '2027-01-25', [], false)).toThrow(/before session 4/);
    expect(() => moveSession(sessions, 3, '2027-02-16', [halfTerm], true)).toThrow(/closure \(February half term/);
    expect(() => moveSession(sessions, 9, '2027-02-16', [], true)).toThrow(/no session 9/);
  });
});

describe('overlapping sessions', () => {
  const a = { onDate: '2027-01-04', startTime: '18:00', minutes: 120 };
  it('finds sessions on the same day whose times overlap', () => {
    expect(overlaps(a, { onDate: '2027-01-04', startTime: '19:00', minutes: 60 })).toBe(true);
    expect(overlaps(a, { onDate: '2027-01-04', startTime: '17:00', minutes: 61 })).toBe(true);
  });
  it('lets one session start when another ends, and ignores other days', () => {
    expect(overlaps(a, { onDate: '2027-01-04', startTime: '20:00', minutes: 60 })).toBe(false);
    expect(overlaps(a, { onDate: '2027-01-05', startTime: '18:00', minutes: 120 })).toBe(false);
  });
});
