/**
 * The service manager's overview: which participants look likely to drop out, from their dose. Pure, so the rule a
 * manager acts on is tested without a database.
 */

/** Below this attendance rate, once enough sessions are marked to judge, a participant is at risk. */
export const LOW_ATTENDANCE = 0.5;
/** Sessions marked before a rate says anything. */
export const MIN_MARKED = 3;

export type DoseFacts = { sessionsMarked: number; attendanceRate: number | null; consecutiveAbsences: number };

/** Why a participant is at risk of dropping out, as words; null when they are not. */
export const dropOutRisk = (d: DoseFacts): string | null => {
  if (d.consecutiveAbsences >= 2) return `missed the last ${d.consecutiveAbsences} sessions`;
  if (d.sessionsMarked >= MIN_MARKED && d.attendanceRate !== null && d.attendanceRate < LOW_ATTENDANCE) return `attended ${Math.round(d.attendanceRate * 100)}% of ${d.sessionsMarked} sessions`;
  return null;
};

/** Whole days between two ISO dates (YYYY-MM-DD or timestamps), never negative. */
export const daysBetween = (from: string, to: string): number => Math.max(0, Math.floor((Date.parse(to.slice(0, 10)) - Date.parse(from.slice(0, 10))) / 86_400_000));

/** The median of whole numbers, or null for none. */
export const median = (values: readonly number[]): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : Math.round(((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2);
};
