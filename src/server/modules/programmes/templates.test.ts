import { describe, expect, it } from 'vitest';
import { templateProblems } from '../../../shared/contracts/programmes.ts';
import { toICalendar } from './calendar.ts';
import { sessionFacilitatorProblem, sessionsWithoutValidFacilitators } from './facilitation.ts';
import { builtInProgrammes } from './programmes.service.ts';
import { papTemplate } from './templates.ts';

describe('built-in templates', () => {
  it('are all well formed', () => {
    for (const p of builtInProgrammes) {
      expect(p.template, p.name).toBeDefined();
      if (p.template) expect(templateProblems(p.template), p.name).toEqual([]);
    }
  });

  it('give Parents as Partners 16 weekly two-hour sessions over five strands, two split sessions with the children, a crèche', () => {
    expect(papTemplate).toMatchObject({ sessionCount: 16, sessionMinutes: 120, creche: true, capacity: 6, capacityUnit: 'couples' });
    expect(new Set(papTemplate.curriculum.map((s) => s.strand)).size).toBe(5);
    const split = papTemplate.curriculum.filter((s) => s.splitByGender);
    expect(split).toHaveLength(2);
    expect(split.every((s) => s.childrenJoin)).toBe(true);
    const eight = builtInProgrammes.find((p) => p.name === 'Parents as Partners (8 weeks)');
    expect(eight?.template?.sessionCount).toBe(8);
    expect(eight?.template?.curriculum.filter((s) => s.splitByGender)).toHaveLength(2);
  });

  it('give couple therapy a consultation and up to 20 weekly 50-minute sessions with one therapist', () => {
    const therapy = builtInProgrammes.find((p) => p.name === 'Couple therapy for adoptive parents');
    expect(therapy?.facilitatorRule).toBe('one');
    expect(therapy?.template).toMatchObject({ sessionCount: 21, sessionMinutes: 50 });
    expect(therapy?.template?.curriculum[0]?.topic).toBe('Initial consultation');
  });

  it('catch a curriculum that does not match the session count, and a status meaning left out', () => {
    const problems = templateProblems({
      ...papTemplate,
      sessionCount: 17,
      completionMinSessions: 18,
      attendanceStatuses: papTemplate.attendanceStatuses.filter((s) => s.meaning !== 'late'),
    });
    expect(problems.map((p) => p.path).sort()).toEqual(['attendanceStatuses', 'completionMinSessions', 'curriculum']);
  });
});

describe('the pair rule per session', () => {
  const woman = { gender: 'female' as const };
  const man = { gender: 'male' as const };
  it('wants one male and one female facilitator for Parents as Partners', () => {
    expect(sessionFacilitatorProblem('male_female_pair', { facilitators: [woman, man], ruleOverrideReason: null })).toBeNull();
    expect(sessionFacilitatorProblem('male_female_pair', { facilitators: [woman, woman], ruleOverrideReason: null })).toMatch(/one male and one female/);
    expect(sessionFacilitatorProblem('male_female_pair', { facilitators: [], ruleOverrideReason: null })).toMatch(/pair/);
  });
  it("accepts a manager's override for a session, and lists the sessions that still need one", () => {
    expect(sessionFacilitatorProblem('male_female_pair', { facilitators: [woman], ruleOverrideReason: 'Cover: David off sick' })).toBeNull();
    const sessions = [
      { number: 1, facilitators: [woman, man], ruleOverrideReason: null },
      { number: 2, facilitators: [woman], ruleOverrideReason: null },
      { number: 3, facilitators: [woman], ruleOverrideReason: 'Cover' },
      { number: 4, facilitators: [], ruleOverrideReason: null },
    ];
    expect(sessionsWithoutValidFacilitators('male_female_pair', sessions)).toEqual([2, 4]);
    expect(sessionsWithoutValidFacilitators('one', [{ number: 1, facilitators: [man], ruleOverrideReason: null }])).toEqual([]);
  });
});

describe('iCalendar', () => {
  it('writes local times at the venue with the time zone, escapes text and folds long lines', () => {
    const ics = toICalendar('Sessions', [
      { uid: 'a@tandem', onDate: '2027-03-29', startTime: '18:00', minutes: 120, summary: 'Group; one, two', location: 'Hall', description: 'x'.repeat(120) },
    ], new Date('2027-01-01T00:00:00Z'));
    expect(ics).toContain('DTSTART;TZID=Europe/London:20270329T180000\r\n');
    expect(ics).toContain('DTEND;TZID=Europe/London:20270329T200000\r\n');
    expect(ics).toContain('SUMMARY:Group\\; one\\, two\r\n');
    expect(ics).toContain('BEGIN:VTIMEZONE');
    expect(ics.split('\r\n').every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
  });
});
