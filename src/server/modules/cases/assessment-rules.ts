import type { Rating } from '../../../shared/contracts/assessment.ts';

export type FacilitatorRule = 'male_female_pair' | 'pair' | 'one' | 'any';
export type Gender = 'female' | 'male' | 'other' | 'not_stated' | null;

/**
 * Checks a booking against the programme's facilitator rule. Parents as Partners asks for one male and one
 * female facilitator; couple therapy for one therapist. Returns the problem in words, or null when it is met.
 */
export const facilitatorRuleProblem = (rule: FacilitatorRule, genders: Gender[]): string | null => {
  switch (rule) {
    case 'any':
      return null;
    case 'one':
      return genders.length === 1 ? null : 'this programme is delivered by one therapist';
    case 'pair':
      return genders.length === 2 ? null : 'this programme needs a pair of facilitators';
    case 'male_female_pair': {
      if (genders.length !== 2) return 'this programme needs a pair of facilitators, one male and one female';
      const sorted = [...genders].sort();
      return sorted[0] === 'female' && sorted[1] === 'male' ? null : 'this programme needs one male and one female facilitator';
    }
  }
};

export type RiskRecord = {
  riskToChild: Rating;
  domesticAbuse: Rating;
  mentalHealth: Rating;
  substanceUse: Rating;
  domesticAbuseIndicated: boolean;
  disclosureIsSafeguardingConcern: boolean;
};

export type FlagToRaise = { kind: 'high_risk' | 'disclosure' | 'domestic_abuse'; reason: string };

const areas: [keyof RiskRecord, string][] = [
  ['riskToChild', 'risk to the child'],
  ['domesticAbuse', 'domestic abuse'],
  ['mentalHealth', 'mental health'],
  ['substanceUse', 'substance use'],
];

/**
 * What a parent's risk assessment must escalate: any area rated high, an indication of domestic abuse, or a
 * disclosure marked as a safeguarding concern. The reasons name the area but never quote the disclosure, so the
 * flag can be shown wherever the family appears.
 */
export const flagsFor = (record: RiskRecord, personName: string): FlagToRaise[] => {
  const flags: FlagToRaise[] = [];
  const high = areas.filter(([key]) => record[key] === 'high').map(([, label]) => label);
  if (high.length > 0) flags.push({ kind: 'high_risk', reason: `High ${high.join(' and ')} recorded in ${personName}'s risk assessment` });
  if (record.domesticAbuseIndicated) flags.push({ kind: 'domestic_abuse', reason: `Domestic abuse indicated in ${personName}'s risk assessment` });
  if (record.disclosureIsSafeguardingConcern) flags.push({ kind: 'disclosure', reason: `A disclosure in ${personName}'s separate assessment needs a safeguarding decision` });
  return flags;
};
