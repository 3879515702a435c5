import type { EligibilityOutcome, EligibilityRule, ReferralSubmission } from '../../../shared/contracts/journey.ts';

/** Whole years between a date of birth and a day, both 'YYYY-MM-DD' (a birthday counts on the day itself). */
export const ageOn = (dateOfBirth: string, day: string): number => {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
};

const describeRule = (rule: EligibilityRule): string => {
  switch (rule.kind) {
    case 'child_under_age':
      return `At least one child under ${rule.age}`;
    case 'all_parents_willing':
      return 'Every parent or co-parent named is willing to attend';
    case 'no_active_court_proceedings':
      return 'Not in active court proceedings about the children';
    case 'adoptive_family':
      return 'An adoptive family';
    case 'at_least_two_parents':
      return 'Both parents or co-parents are named';
  }
};

/**
 * Checks a referral against a programme's declared rules, on a given day. Each rule is met, not met, or unknown
 * (the form left it open); the case worker sees every reason, and the decision stays theirs.
 */
export const checkEligibility = (rules: readonly EligibilityRule[], submission: ReferralSubmission, today: string): EligibilityOutcome[] =>
  rules.map((rule): EligibilityOutcome => {
    const label = describeRule(rule);
    switch (rule.kind) {
      case 'child_under_age': {
        const ages = submission.children.map((c) => ageOn(c.dateOfBirth, today));
        const youngest = Math.min(...ages);
        return youngest < rule.age
          ? { rule: label, met: 'yes', reason: `The youngest child is ${youngest}` }
          : { rule: label, met: 'no', reason: `The youngest child is ${youngest}, not under ${rule.age}` };
      }
      case 'all_parents_willing': {
        const unwilling = submission.parents.filter((p) => !p.willingToAttend);
        return unwilling.length === 0
          ? { rule: label, met: 'yes', reason: 'Every adult named is willing to attend' }
          : { rule: label, met: 'no', reason: `${unwilling.map((p) => p.givenName).join(' and ')} not willing to attend` };
      }
      case 'no_active_court_proceedings': {
        const answer = submission.circumstances.activeCourtProceedings;
        if (answer === 'no') return { rule: label, met: 'yes', reason: 'No active court proceedings' };
        if (answer === 'yes') return { rule: label, met: 'no', reason: 'The family is in active court proceedings' };
        return { rule: label, met: 'unknown', reason: 'The referral does not say whether there are court proceedings' };
      }
      case 'adoptive_family': {
        const adoptive = submission.circumstances.adoptiveFamily || submission.parents.some((p) => p.relationship === 'adoptive_parent');
        return adoptive
          ? { rule: label, met: 'yes', reason: 'The family is an adoptive family' }
          : { rule: label, met: 'no', reason: 'The referral does not describe an adoptive family' };
      }
      case 'at_least_two_parents':
        return submission.parents.length >= 2
          ? { rule: label, met: 'yes', reason: `${submission.parents.length} adults are named` }
          : { rule: label, met: 'no', reason: 'Only one parent or carer is named' };
    }
  });

/** Overall: no when any rule fails, unknown when none fails but one is open, else yes. */
export const overallEligibility = (outcomes: readonly EligibilityOutcome[]): 'yes' | 'no' | 'unknown' => {
  if (outcomes.some((o) => o.met === 'no')) return 'no';
  if (outcomes.some((o) => o.met === 'unknown')) return 'unknown';
  return 'yes';
};
