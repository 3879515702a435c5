import { describe, expect, it } from 'vitest';
import { ScheduleError } from './schedule.ts';
import { availabilityProblem, firstClash, firstOutsideAvailability, isLateCancellation, outcomeProblem, rescheduleProblem, seriesDates, statusFor, therapyDose, type AppointmentStatus } from './therapy-schedule.ts';

const easter = { from: '2027-03-29', to: '2027-04-09', reason: 'Easter closure' };

describe('a weekly series', () => {
  it('gives 20 weekly dates on the same weekday, skipping the closure weeks', () => {
    const dates = seriesDates('2027-01-06', 20, [easter]);
    expect(dates).toHaveLength(20);
    expect(dates[0]).toBe('2027-01-06');
    expect(dates).not.toContain('2027-03-31');
    expect(dates).not.toContain('2027-04-07');
    expect(dates.at(-1)).toBe('2027-06-02');
    expect(new Set(dates.map((d) => new Date(`${d}T00:00:00Z`).getUTCDay()))).toEqual(new Set([3]));
  });

  it('refuses more than 20, none, and a first date in a closure, naming the field', () => {
    for (const count of [0, 21, 2.5]) expect(() => seriesDates('2027-01-06', count, [])).toThrow(ScheduleError);
    try {
      seriesDates('2027-03-31', 4, [easter]);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ field: 'firstDate', message: '2027-03-31 falls in a closure (Easter closure, 2027-03-29 to 2027-04-09)' });
    }
  });
});

describe('clashes', () => {
  const busy = [
    { onDate: '2027-01-20', startTime: '18:00', minutes: 120, what: 'session 3 of Spring group' },
    { onDate: '2027-01-27', startTime: '10:00', minutes: 50, what: 'another therapy appointment' },
  ];
  it('names the first clashing appointment and its date', () => {
    const candidates = ['2027-01-13', '2027-01-20', '2027-01-27'].map((onDate, i) => ({ number: i + 1, onDate, startTime: '19:00', minutes: 50 }));
    expect(firstClash(candidates, busy)).toBe('appointment 2 on 2027-01-20 at 19:00–19:50 clashes with session 3 of Spring group (18:00–20:00)');
  });
  it('lets an appointment end exactly when another starts, and finds none on a free day', () => {
    expect(firstClash([{ number: 1, onDate: '2027-01-27', startTime: '09:10', minutes: 50 }], busy)).toBeNull();
    expect(firstClash([{ number: 1, onDate: '2027-01-27', startTime: '09:11', minutes: 50 }], busy)).toMatch(/on 2027-01-27/);
    expect(firstClash([{ number: 1, onDate: '2027-01-28', startTime: '10:00', minutes: 50 }], busy)).toBeNull();
  });
});

describe('outcomes', () => {
  it('counts a family cancellation as late from the day before', () => {
    expect(isLateCancellation('2027-01-20', '2027-01-18')).toBe(false);
    expect(isLateCancellation('2027-01-20', '2027-01-19')).toBe(true);
    expect(isLateCancellation('2027-01-20', '2027-01-21')).toBe(true);
    expect(statusFor('cancelled_by_family', '2027-01-20', '2027-01-19')).toBe('late_cancellation');
    expect(statusFor('cancelled_by_family', '2027-01-20', '2027-01-10')).toBe('cancelled_by_family');
    expect(statusFor('cancelled_by_service', '2027-01-20', '2027-01-20')).toBe('cancelled_by_service');
  });
  it('records attendance and did-not-attend only on or after the day', () => {
    expect(outcomeProblem('attended', '2027-01-20', '2027-01-19')).toMatch(/before the appointment on 2027-01-20/);
    expect(outcomeProblem('did_not_attend', '2027-01-20', '2027-01-20')).toBeNull();
    expect(outcomeProblem('cancelled_by_family', '2027-01-20', '2027-01-01')).toBeNull();
  });
  it('moves only booked appointments, never into a closure', () => {
    expect(rescheduleProblem('attended', '2027-01-20', [])?.message).toMatch(/marked attended cannot be moved/);
    expect(rescheduleProblem('booked', '2027-04-01', [easter])?.message).toMatch(/falls in a closure/);
    expect(rescheduleProblem('booked', '2027-04-12', [easter])).toBeNull();
  });
});

describe('dose', () => {
  const on = (statuses: AppointmentStatus[]) => statuses.map((status, i) => ({ onDate: `2027-02-${String(i + 1).padStart(2, '0')}`, startTime: '10:00', status }));
  it('leaves cancellations by the service out of the rate and counts the misses in a row', () => {
    const dose = therapyDose(on(['attended', 'attended', 'cancelled_by_service', 'did_not_attend', 'late_cancellation', 'cancelled_by_service', 'booked']), 2);
    expect(dose).toEqual({
      booked: 1,
      attended: 2,
      didNotAttend: 1,
      cancelledByFamily: 0,
      lateCancellations: 1,
      cancelledByService: 2,
      attendanceRate: 0.5,
      missedInARow: 2,
      completer: true,
    });
  });
  it('has no rate before any outcome, and a run ends at an attended appointment', () => {
    expect(therapyDose(on(['booked', 'booked']), 7)).toMatchObject({ attendanceRate: null, missedInARow: 0, completer: false });
    expect(therapyDose(on(['did_not_attend', 'attended']), 7).missedInARow).toBe(0);
  });
});

describe("a therapist's availability", () => {
  const week = [
    { weekday: 1, startTime: '09:00', endTime: '12:00' },
    { weekday: 1, startTime: '13:00', endTime: '17:00' },
    { weekday: 4, startTime: '10:00', endTime: '16:00' },
  ];

  it('refuses an end not after its start and two windows overlapping on a day, naming the window', () => {
    expect(availabilityProblem(week)).toBeNull();
    expect(availabilityProblem([{ weekday: 2, startTime: '10:00', endTime: '10:00' }])?.field).toBe('windows.0.endTime');
    const overlap = availabilityProblem([...week, { weekday: 1, startTime: '11:30', endTime: '14:00' }]);
    expect(overlap?.field).toBe('windows.3.startTime');
    expect(overlap?.message).toContain('Monday 11:30–14:00');
    // Back to back is not an overlap; the same hours on another day are not either.
    expect(availabilityProblem([{ weekday: 1, startTime: '09:00', endTime: '12:00' }, { weekday: 1, startTime: '12:00', endTime: '13:00' }, { weekday: 2, startTime: '09:00', endTime: '12:00' }])).toBeNull();
  });

  it('lets through appointments wholly inside a window and names the first one that is not', () => {
    // 2027-01-04 is a Monday, 2027-01-07 a Thursday.
    expect(firstOutsideAvailability([{ number: 1, onDate: '2027-01-04', startTime: '09:00', minutes: 180 }, { number: 2, onDate: '2027-01-07', startTime: '15:10', minutes: 50 }], week)).toBeNull();
    const spans = firstOutsideAvailability([{ number: 1, onDate: '2027-01-04', startTime: '11:30', minutes: 50 }], week);
    expect(spans).toBe("appointment 1 on Monday 2027-01-04 at 11:30–12:20 is outside the therapist's availability (Monday 09:00–12:00, Monday 13:00–17:00, Thursday 10:00–16:00)");
    const wrongDay = firstOutsideAvailability([{ number: 3, onDate: '2027-01-19', startTime: '10:00', minutes: 50 }, { number: 2, onDate: '2027-01-12', startTime: '10:00', minutes: 50 }], week);
    expect(wrongDay).toContain('appointment 2 on Tuesday 2027-01-12 at 10:00–10:50');
    expect(firstOutsideAvailability([{ number: 1, onDate: '2027-01-10', startTime: '08:00', minutes: 50 }], [{ weekday: 7, startTime: '08:00', endTime: '09:00' }])).toBeNull();
  });

  it('does not restrict a therapist who has declared no availability', () => {
    expect(firstOutsideAvailability([{ number: 1, onDate: '2027-01-09', startTime: '22:00', minutes: 60 }], [])).toBeNull();
  });
});
