/**
 * Session scheduling as pure functions over ISO dates (YYYY-MM-DD): weekly dates from a start date that skip
 * declared closures, moving one session (and, when asked, the ones after it), and clashes between sessions.
 * Dates are calendar dates at the venue, so the arithmetic is done in UTC where no day is 23 or 25 hours long.
 */

export type Closure = { from: string; to: string; reason: string };
export type ScheduledSession = { number: number; onDate: string };
export type TimedSession = { onDate: string; startTime: string; minutes: number };

const DAY = 86_400_000;
/** A group cannot stretch over more than two years of closures; beyond that the closures are a mistake. */
const MAX_WEEKS = 104;

export const addDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

export const weekdayOf = (date: string): number => new Date(`${date}T00:00:00Z`).getUTCDay();

/** The closure that covers a date (both ends inclusive), if any. */
export const closureOn = (date: string, closures: readonly Closure[]): Closure | undefined => closures.find((c) => c.from <= date && date <= c.to);

export class ScheduleError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

/** Weekly dates from `first`, skipping any week whose date falls in a closure, until `count` dates are found. */
export const weeklyDates = (first: string, count: number, closures: readonly Closure[]): string[] => {
  const dates: string[] = [];
  let date = first;
  for (let week = 0; dates.length < count; week += 1) {
    if (week > count + MAX_WEEKS) throw new ScheduleError('closures', `the closures leave no room for ${count} weekly sessions within two years`);
    if (!closureOn(date, closures)) dates.push(date);
    date = addDays(date, 7);
  }
  return dates;
};

/**
 * Moves session `number` to `onDate`. With `rescheduleRest`, every later session follows weekly from the new
 * date (skipping closures again); without it only that session moves and must still fall between its
 * neighbours, so the curriculum keeps its order. Returns the sessions whose date changes.
 */
export const moveSession = (
  sessions: readonly ScheduledSession[],
  number: number,
  onDate: string,
  closures: readonly Closure[],
  rescheduleRest: boolean,
): ScheduledSession[] => {
  const ordered = [...sessions].sort((a, b) => a.number - b.number);
  const index = ordered.findIndex((s) => s.number === number);
  if (index < 0) throw new ScheduleError('number', `there is no session ${number}`);
  const closure = closureOn(onDate, closures);
  if (closure) throw new ScheduleError('onDate', `falls in a closure (${closure.reason}, ${closure.from} to ${closure.to})`);
  const previous = ordered[index - 1];
  if (previous && onDate <= previous.onDate) throw new ScheduleError('onDate', `must be after session ${previous.number} on ${previous.onDate}`);
  const later = ordered.slice(index + 1);
  let newDates: string[];
  if (rescheduleRest) {
    newDates = [onDate, ...weeklyDates(addDays(onDate, 7), later.length, closures)];
  } else {
    const next = later[0];
    if (next && onDate >= next.onDate) throw new ScheduleError('onDate', `must be before session ${next.number} on ${next.onDate}; or reschedule the sessions after it too`);
    newDates = [onDate];
  }
  return ordered
    .slice(index, index + newDates.length)
    .map((s, i) => ({ number: s.number, onDate: newDates[i] ?? s.onDate }))
    .filter((s, i) => s.onDate !== ordered[index + i]?.onDate);
};

const minutesOf = (time: string): number => {
  const [h, m] = time.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/** Two sessions on the same day whose times overlap (one ending exactly when the other starts does not). */
export const overlaps = (a: TimedSession, b: TimedSession): boolean => {
  if (a.onDate !== b.onDate) return false;
  const aStart = minutesOf(a.startTime);
  const bStart = minutesOf(b.startTime);
  return aStart < bStart + b.minutes && bStart < aStart + a.minutes;
};

/** The end of a session as local wall-clock time, for calendars: "HH:MM" on the same day (sessions never span midnight). */
export const endTimeOf = (s: TimedSession): string => {
  const end = Math.min(minutesOf(s.startTime) + s.minutes, 24 * 60 - 1);
  return `${String(Math.floor(end / 60)).padStart(2, '0')}:${String(end % 60).padStart(2, '0')}`;
};
