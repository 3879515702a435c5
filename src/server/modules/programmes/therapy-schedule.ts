/**
 * Therapy appointments as pure rules: the dates of a weekly series, the first clash with a therapist's other
 * commitments, which outcome may be recorded when, and the dose a couple received. No I/O, so the rules behind
 * the diary and the funders' figures are tested without a database.
 */
import { closureOn, overlaps, weeklyDates, endTimeOf, ScheduleError, type Closure, type TimedSession } from './schedule.ts';

export const MAX_SERIES = 20;

export const appointmentStatuses = ['booked', 'attended', 'did_not_attend', 'cancelled_by_family', 'late_cancellation', 'cancelled_by_service'] as const;
export type AppointmentStatus = (typeof appointmentStatuses)[number];
export const outcomes = ['attended', 'did_not_attend', 'cancelled_by_family', 'cancelled_by_service'] as const;
export type Outcome = (typeof outcomes)[number];

/** Something already in the therapist's diary, described for an error message. */
export type Commitment = TimedSession & { what: string };
export type Candidate = TimedSession & { number: number };

/** The weekly dates of a series of `count`, skipping weeks that fall in a closure. */
export const seriesDates = (first: string, count: number, closures: readonly Closure[]): string[] => {
  if (!Number.isInteger(count) || count < 1 || count > MAX_SERIES) throw new ScheduleError('count', `must be between 1 and ${MAX_SERIES}`);
  const closure = closureOn(first, closures);
  if (closure) throw new ScheduleError('firstDate', `${first} falls in a closure (${closure.reason}, ${closure.from} to ${closure.to})`);
  return weeklyDates(first, count, closures);
};

/** The first candidate that overlaps a commitment, as words that name the date; null when the diary is free. */
export const firstClash = (candidates: readonly Candidate[], commitments: readonly Commitment[]): string | null => {
  for (const c of [...candidates].sort((a, b) => (a.onDate + a.startTime).localeCompare(b.onDate + b.startTime))) {
    const other = commitments.find((x) => overlaps(c, x));
    if (other) return `appointment ${c.number} on ${c.onDate} at ${c.startTime}–${endTimeOf(c)} clashes with ${other.what} (${other.startTime}–${endTimeOf(other)})`;
  }
  return null;
};

/**
 * A cancellation by the family with less than a full day's notice is late: recorded on the day of the
 * appointment, the day before, or after it. Dates are local calendar days (YYYY-MM-DD).
 */
export const isLateCancellation = (onDate: string, today: string): boolean => {
  const dayBefore = new Date(Date.parse(`${onDate}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  return today >= dayBefore;
};

/** The status an outcome is stored as. */
export const statusFor = (outcome: Outcome, onDate: string, today: string): AppointmentStatus =>
  outcome === 'cancelled_by_family' && isLateCancellation(onDate, today) ? 'late_cancellation' : outcome;

/** Why an outcome may not be recorded now, or null. Attendance is known only on or after the day. */
export const outcomeProblem = (outcome: Outcome, onDate: string, today: string): string | null => {
  if ((outcome === 'attended' || outcome === 'did_not_attend') && onDate > today) return `cannot be recorded before the appointment on ${onDate}`;
  return null;
};

/** Why an appointment may not move to `onDate`, or null. Only booked appointments move; a closure is refused. */
export const rescheduleProblem = (status: AppointmentStatus, onDate: string, closures: readonly Closure[]): { field: string; message: string } | null => {
  if (status !== 'booked') return { field: 'onDate', message: `an appointment marked ${status.replaceAll('_', ' ')} cannot be moved` };
  const closure = closureOn(onDate, closures);
  if (closure) return { field: 'onDate', message: `${onDate} falls in a closure (${closure.reason}, ${closure.from} to ${closure.to})` };
  return null;
};

/** An outcome that counts against the family's engagement. */
const missed = (s: AppointmentStatus): boolean => s === 'did_not_attend' || s === 'late_cancellation' || s === 'cancelled_by_family';

export type TherapyDose = {
  booked: number;
  attended: number;
  didNotAttend: number;
  cancelledByFamily: number;
  lateCancellations: number;
  cancelledByService: number;
  /** Attended ÷ (attended + missed); a cancellation by the service is not the family's doing and is left out. */
  attendanceRate: number | null;
  /** Missed appointments in a row, ending at the latest one with an outcome. */
  missedInARow: number;
  completer: boolean;
};

/** Dose over the therapy sessions of a case (consultations are not sessions and do not count). */
export const therapyDose = (appointments: readonly { onDate: string; startTime: string; status: AppointmentStatus }[], completionMinSessions: number): TherapyDose => {
  const ordered = [...appointments].sort((a, b) => (a.onDate + a.startTime).localeCompare(b.onDate + b.startTime));
  const countOf = (s: AppointmentStatus) => ordered.filter((a) => a.status === s).length;
  const attended = countOf('attended');
  const misses = ordered.filter((a) => missed(a.status)).length;
  let missedInARow = 0;
  for (const a of ordered.filter((x) => x.status !== 'booked' && x.status !== 'cancelled_by_service').reverse()) {
    if (!missed(a.status)) break;
    missedInARow += 1;
  }
  return {
    booked: countOf('booked'),
    attended,
    didNotAttend: countOf('did_not_attend'),
    cancelledByFamily: countOf('cancelled_by_family'),
    lateCancellations: countOf('late_cancellation'),
    cancelledByService: countOf('cancelled_by_service'),
    attendanceRate: attended + misses === 0 ? null : attended / (attended + misses),
    missedInARow,
    completer: attended >= completionMinSessions,
  };
};

/** A weekly recurring window a therapist works: ISO weekday (1 Monday … 7 Sunday), local times HH:MM. */
export type AvailabilityWindow = { weekday: number; startTime: string; endTime: string };

export const weekdayNames = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
const dayName = (weekday: number): string => weekdayNames[weekday - 1] ?? `day ${weekday}`;
const isoWeekdayOf = (date: string): number => new Date(`${date}T00:00:00Z`).getUTCDay() || 7;

/** Why a week of windows cannot be kept (an end not after its start, two windows overlapping on a day), or null. */
export const availabilityProblem = (windows: readonly AvailabilityWindow[]): { field: string; message: string } | null => {
  for (const [i, w] of windows.entries()) {
    if (w.endTime <= w.startTime) return { field: `windows.${i}.endTime`, message: `must be after the start (${w.startTime})` };
  }
  for (const [i, w] of windows.entries()) {
    const other = windows.findIndex((o, j) => j !== i && o.weekday === w.weekday && o.startTime < w.endTime && w.startTime < o.endTime);
    if (other >= 0) {
      // Named by the later of the two, which is the one usually just added.
      const later = windows[Math.max(i, other)] as AvailabilityWindow;
      const earlier = windows[Math.min(i, other)] as AvailabilityWindow;
      return { field: `windows.${Math.max(i, other)}.startTime`, message: `${dayName(later.weekday)} ${later.startTime}–${later.endTime} overlaps ${earlier.startTime}–${earlier.endTime}` };
    }
  }
  return null;
};

/** The windows in words, for a refusal: "Monday 09:00–17:00, Thursday 13:00–17:00". */
export const describeWindows = (windows: readonly AvailabilityWindow[]): string =>
  [...windows]
    .sort((a, b) => a.weekday - b.weekday || a.startTime.localeCompare(b.startTime))
    .map((w) => `${dayName(w.weekday)} ${w.startTime}–${w.endTime}`)
    .join(', ');

/**
 * The first candidate that does not fit wholly inside one of the therapist's windows, as words naming its date and
 * time and the windows; null when all fit. No windows means the therapist has declared none and is not restricted.
 */
export const firstOutsideAvailability = (candidates: readonly Candidate[], windows: readonly AvailabilityWindow[]): string | null => {
  if (windows.length === 0) return null;
  for (const c of [...candidates].sort((a, b) => (a.onDate + a.startTime).localeCompare(b.onDate + b.startTime))) {
    const end = endTimeOf(c);
    const weekday = isoWeekdayOf(c.onDate);
    const fits = windows.some((w) => w.weekday === weekday && w.startTime <= c.startTime && end <= w.endTime);
    if (!fits) return `appointment ${c.number} on ${dayName(weekday)} ${c.onDate} at ${c.startTime}–${end} is outside the therapist's availability (${describeWindows(windows)})`;
  }
  return null;
};
