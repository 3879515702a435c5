import { describe, expect, it } from 'vitest';
import { doseOf, needsAbsenceFollowUp, type Meaning } from './dose.ts';

const marks = (...ms: Meaning[]) => ms.map((meaning, i) => ({ number: i + 1, meaning }));

describe('dose', () => {
  it('counts late as attended and rates against the sessions marked', () => {
    const d = doseOf(marks('present', 'late', 'absent_with_apologies', 'present'), 3);
    expect(d).toMatchObject({ sessionsMarked: 4, sessionsAttended: 3, attendanceRate: 0.75, consecutiveAbsences: 0, completer: true });
  });

  it('has no rate before a register is taken', () => {
    expect(doseOf([], 10)).toMatchObject({ sessionsMarked: 0, attendanceRate: null, completer: false, absenceRunStart: null });
  });

  it('counts absences in a row up to the latest mark, with or without apologies', () => {
    const d = doseOf(marks('present', 'absent', 'present', 'absent_with_apologies', 'absent'), 10);
    expect(d.consecutiveAbsences).toBe(2);
    expect(d.absenceRunStart).toBe(4);
    expect(needsAbsenceFollowUp(d)).toBe(true);
    expect(needsAbsenceFollowUp(doseOf(marks('absent', 'present', 'absent'), 10))).toBe(false);
  });

  it('ignores sessions not yet marked, and the order marks arrive in', () => {
    const d = doseOf([{ number: 5, meaning: 'absent' }, { number: 2, meaning: 'absent' }, { number: 1, meaning: 'present' }], 1);
    expect(d).toMatchObject({ consecutiveAbsences: 2, absenceRunStart: 2, sessionsAttended: 1 });
  });

  it('marks a completer when attended sessions reach the rule', () => {
    expect(doseOf(marks(...Array<Meaning>(9).fill('present')), 10).completer).toBe(false);
    expect(doseOf(marks(...Array<Meaning>(10).fill('late')), 10).completer).toBe(true);
  });
});
