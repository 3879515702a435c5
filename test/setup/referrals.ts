import type { ReferralSubmission } from '../../src/shared/contracts/journey.ts';

const yearsAgo = (years: number, extraDays = 0): string => {
  const d = new Date();
  d.setUTCFullYear(d.getUTCFullYear() - years);
  d.setUTCDate(d.getUTCDate() - extraDays);
  return d.toISOString().slice(0, 10);
};

/** A complete, valid referral of a couple with one young child; override what a test is about. */
export const aReferral = (overrides: Partial<ReferralSubmission> = {}): ReferralSubmission => ({
  referrer: { kind: 'self', name: 'Dana Fielding', email: 'dana.fielding@family.example' },
  parents: [
    { givenName: 'Dana', familyName: 'Fielding', dateOfBirth: yearsAgo(34), gender: 'female', relationship: 'birth_parent', email: 'dana.fielding@family.example', willingToAttend: true },
    { givenName: 'Marcus', familyName: 'Fielding', dateOfBirth: yearsAgo(36), gender: 'male', relationship: 'birth_parent', phone: '07700 900123', willingToAttend: true },
  ],
  children: [{ givenName: 'Lily', familyName: 'Fielding', dateOfBirth: yearsAgo(6) }],
  reason: 'We argue a lot in front of our daughter and want to parent together better.',
  circumstances: { activeCourtProceedings: 'no', adoptiveFamily: false },
  consent: { toReferral: true, toShareInformation: true },
  contact: { preference: 'email', safeToLeaveMessage: true },
  ...overrides,
});

export { yearsAgo };
