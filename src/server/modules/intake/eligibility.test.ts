import { describe, expect, it } from 'vitest';
import { aReferral } from '../../../../test/setup/referrals.ts';
import { ageOn, checkEligibility, overallEligibility } from './eligibility.ts';

describe('ageOn', () => {
  it('counts a birthday on the day itself and not the day before', () => {
    expect(ageOn('2015-06-10', '2026-06-09')).toBe(10);
    expect(ageOn('2015-06-10', '2026-06-10')).toBe(11);
    expect(ageOn('2016-02-29', '2027-02-28')).toBe(10);
    expect(ageOn('2016-02-29', '2027-03-01')).toBe(11);
  });
});

describe('checkEligibility', () => {
  const today = '2026-11-23';
  const child = (dateOfBirth: string) => ({ givenName: 'A', familyName: 'B', dateOfBirth });

  it('child under 11: the youngest child decides, and an 11th birthday today is not under 11', () => {
    const rule = [{ kind: 'child_under_age' as const, age: 11 }];
    expect(checkEligibility(rule, aReferral({ children: [child('2015-11-24')] }), today)[0]?.met).toBe('yes');
    expect(checkEligibility(rule, aReferral({ children: [child('2015-11-23')] }), today)[0]).toMatchObject({ met: 'no', reason: 'The youngest child is 11, not under 11' });
    expect(checkEligibility(rule, aReferral({ children: [child('2010-01-01'), child('2020-01-01')] }), today)[0]?.met).toBe('yes');
  });

  it('court proceedings: yes fails, unknown stays open', () => {
    const rule = [{ kind: 'no_active_court_proceedings' as const }];
    const withCourt = (answer: 'yes' | 'no' | 'unknown') => aReferral({ circumstances: { activeCourtProceedings: answer, adoptiveFamily: false } });
    expect(checkEligibility(rule, withCourt('no'), today)[0]?.met).toBe('yes');
    expect(checkEligibility(rule, withCourt('yes'), today)[0]?.met).toBe('no');
    expect(checkEligibility(rule, withCourt('unknown'), today)[0]?.met).toBe('unknown');
  });

  it('willingness names who is not willing', () => {
    const base = aReferral();
    const [first, second] = base.parents as [typeof base.parents[0], typeof base.parents[0]];
    const outcome = checkEligibility([{ kind: 'all_parents_willing' }], { ...base, parents: [first, { ...second, willingToAttend: false }] }, today)[0];
    expect(outcome).toMatchObject({ met: 'no', reason: 'Marcus not willing to attend' });
  });

  it('adoptive family: from the circumstances or from an adoptive parent', () => {
    const rule = [{ kind: 'adoptive_family' as const }];
    expect(checkEligibility(rule, aReferral(), today)[0]?.met).toBe('no');
    expect(checkEligibility(rule, aReferral({ circumstances: { activeCourtProceedings: 'no', adoptiveFamily: true } }), today)[0]?.met).toBe('yes');
    const base = aReferral();
    const adoptive = { ...base, parents: base.parents.map((p) => ({ ...p, relationship: 'adoptive_parent' as const })) };
    expect(checkEligibility(rule, adoptive, today)[0]?.met).toBe('yes');
  });

  it('overall: any no wins, then any unknown', () => {
    expect(overallEligibility([])).toBe('yes');
    expect(overallEligibility([{ rule: 'a', met: 'yes', reason: '' }, { rule: 'b', met: 'unknown', reason: '' }])).toBe('unknown');
    expect(overallEligibility([{ rule: 'a', met: 'no', reason: '' }, { rule: 'b', met: 'unknown', reason: '' }])).toBe('no');
  });
});
