import { describe, expect, it } from 'vitest';
import { deteriorations, ownAlerts, seriesAlerts } from './alerts.ts';
import { getBuiltInInstrument } from './instruments/index.ts';
import { anchorsFrom, expectedAdministrations, measurementScheduleSchema, parentsAsPartnersSchedule, stateOf } from './schedule.ts';

const core10 = getBuiltInInstrument('core-10')!;
const qmi = getBuiltInInstrument('qmi')!;

const family = [
  { personId: 'mum', name: 'Dana', isChild: false, dateOfBirth: '1990-01-01' },
  { personId: 'dad', name: 'Marcus', isChild: false, dateOfBirth: '1988-01-01' },
  { personId: 'lily', name: 'Lily', isChild: true, dateOfBirth: '2020-06-01' },
  { personId: 'baby', name: 'Sam', isChild: true, dateOfBirth: '2025-01-01' },
];

describe('measurement schedule', () => {
  it('the built-in Parents as Partners schedule is valid data', () => {
    expect(measurementScheduleSchema.safeParse(parentsAsPartnersSchedule).success).toBe(true);
    expect(measurementScheduleSchema.safeParse([{ ...parentsAsPartnersSchedule[0], instrumentId: 'psi-4-sf' }]).success).toBe(false);
    expect(measurementScheduleSchema.safeParse([{ ...parentsAsPartnersSchedule[0], timepoints: [{ timepoint: 'pre', windowDays: 1 }, { timepoint: 'pre', windowDays: 2 }] }]).success).toBe(false);
  });

  it('expects each parent, and each parent about each child of SDQ age, at each timepoint whose date is known', () => {
    const pre = expectedAdministrations(parentsAsPartnersSchedule, family, anchorsFrom({ assessmentOn: '2026-03-01', programmeEndedOn: null }));
    // 2 parents × 3 self-report + 2 parents × SDQ about Lily (Sam is under 4) = 8, all pre.
    expect(pre).toHaveLength(8);
    expect(pre.every((x) => x.timepoint === 'pre')).toBe(true);
    expect(pre.filter((x) => x.instrument.id === 'sdq-p4-17').map((x) => x.subjectPersonId)).toEqual(['lily', 'lily']);
    expect(pre[0]).toMatchObject({ opensOn: '2026-02-15', dueOn: '2026-03-15' });

    const all = expectedAdministrations(parentsAsPartnersSchedule, family, anchorsFrom({ assessmentOn: '2026-03-01', programmeEndedOn: '2026-07-01' }));
    expect(all).toHaveLength(24);
    const followup = all.find((x) => x.timepoint === 'followup');
    // Six months (182 days) after the end, with a 30-day window either side.
    expect(followup).toMatchObject({ opensOn: '2026-11-30', dueOn: '2027-01-29' });
  });

  it('a questionnaire is not yet open, due, overdue, or done', () => {
    const x = { opensOn: '2026-02-15', dueOn: '2026-03-15' };
    expect(stateOf(x, false, '2026-02-14')).toBe('not_yet_open');
    expect(stateOf(x, false, '2026-02-15')).toBe('due');
    expect(stateOf(x, false, '2026-03-15')).toBe('due');
    expect(stateOf(x, false, '2026-03-16')).toBe('overdue');
    expect(stateOf(x, true, '2026-03-16')).toBe('done');
  });
});

describe('questionnaire alerts', () => {
  it('a risk flag or an at-risk flag raises an alert whose reason names the rule, not the answer', () => {
    expect(ownAlerts(core10, { flags: ['risk', 'clinical'] }, 'pre')).toEqual(['CORE-10 (pre): a risk item was answered above "Not at all"']);
    expect(ownAlerts(getBuiltInInstrument('bcap')!, { flags: ['at_risk'] }, 'post')[0]).toMatch(/^BCAP \(post\): the abuse-potential score is at or above the cut-off$/);
    expect(ownAlerts(core10, { flags: ['clinical', 'prorated'] }, 'pre')).toEqual([]);
    expect(ownAlerts(getBuiltInInstrument('bcap')!, { flags: ['at_risk_indeterminate'] }, 'pre')).toEqual([]);
  });

  it('a reliable deterioration is a change of at least the reliable-change value in the worse direction', () => {
    const at = (timepoint: 'pre' | 'post' | 'followup', total: number) => ({ timepoint, status: 'scored' as const, scores: { total } });
    expect(deteriorations(core10, at('pre', 10), at('post', 16))).toHaveLength(1);
    expect(deteriorations(core10, at('pre', 10), at('post', 15.9))).toHaveLength(0);
    expect(deteriorations(core10, at('pre', 16), at('post', 10))).toHaveLength(0);
    // Instruments without a reliable-change value never alert on change.
    expect(deteriorations(qmi, at('pre', 40), at('post', 10))).toHaveLength(0);
    // A pre form keyed after the post form is still compared, and so is the nearest earlier one only.
    expect(seriesAlerts(core10, at('pre', 5), [at('post', 12)])).toHaveLength(1);
    expect(seriesAlerts(core10, at('followup', 20), [at('pre', 10), at('post', 18)])).toHaveLength(0);
    expect(seriesAlerts(core10, at('followup', 20), [at('pre', 10), at('post', 12)])[0]).toMatch(/from post to follow-up/);
  });
});
