/**
 * Dose: how much of a programme a participant received. Pure, so the rules the funders' returns depend on are
 * tested without a database.
 */

export const meanings = ['present', 'late', 'absent_with_apologies', 'absent'] as const;
export type Meaning = (typeof meanings)[number];

/** Late still counts as attended: the participant received the session. */
export const attended = (m: Meaning): boolean => m === 'present' || m === 'late';

/** After this many absences in a row the case worker follows the family up. */
export const ABSENCE_ALERT_RUN = 2;

export type Dose = {
  sessionsMarked: number;
  sessionsAttended: number;
  /** Attended ÷ marked; null before any session has a mark. */
  attendanceRate: number | null;
  /** Absences (with or without apologies) in a row, ending at the latest marked session. */
  consecutiveAbsences: number;
  /** Session number where that run of absences began; null when the latest mark was attended. */
  absenceRunStart: number | null;
  completer: boolean;
};

/**
 * `marks` are one participant's marks in session order (session number → meaning; unmarked sessions are left
 * out, so a register not yet taken neither breaks nor extends a run). Absences with apologies count towards a
 * run: the follow-up is about engagement, whatever the reason.
 */
export const doseOf = (marks: readonly { number: number; meaning: Meaning }[], completionMinSessions: number): Dose => {
  const ordered = [...marks].sort((a, b) => a.number - b.number);
  const sessionsAttended = ordered.filter((m) => attended(m.meaning)).length;
  let consecutiveAbsences = 0;
  let absenceRunStart: number | null = null;
  for (let i = ordered.length - 1; i >= 0; i -= 1) {
    const mark = ordered[i];
    if (!mark || attended(mark.meaning)) break;
    consecutiveAbsences += 1;
    absenceRunStart = mark.number;
  }
  return {
    sessionsMarked: ordered.length,
    sessionsAttended,
    attendanceRate: ordered.length === 0 ? null : Math.round((sessionsAttended / ordered.length) * 1000) / 1000,
    consecutiveAbsences,
    absenceRunStart,
    completer: sessionsAttended >= completionMinSessions,
  };
};

/** Does this dose call for the case worker's follow-up? */
export const needsAbsenceFollowUp = (dose: Dose): boolean => dose.consecutiveAbsences >= ABSENCE_ALERT_RUN;
