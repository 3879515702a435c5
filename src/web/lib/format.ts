/** '2019-03-27' → '27 March 2019'; read as a calendar day, so no time zone can move it. */
export const formatDay = (isoDay: string | null | undefined): string => {
  if (!isoDay) return '';
  const date = new Date(`${isoDay.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? isoDay : date.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
};

/** A moment, in the reader's own time zone: '27 Mar 2026, 14:05'. */
export const formatWhen = (iso: string): string => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
};

/** The day of a moment, in the reader's time zone: '27 March 2026'. */
export const formatDayOf = (iso: string): string => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });
};

/** Whole years from a date of birth to today. */
export const ageFrom = (isoDay: string | null | undefined): number | null => {
  if (!isoDay) return null;
  const [by, bm, bd] = isoDay.split('-').map(Number) as [number, number, number];
  const now = new Date();
  const [y, m, d] = [now.getFullYear(), now.getMonth() + 1, now.getDate()];
  const age = y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
  return Number.isFinite(age) ? age : null;
};
