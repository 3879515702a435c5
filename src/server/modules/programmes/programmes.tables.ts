import type { ColumnType, Generated } from 'kysely';
import type { EligibilityRule } from '../../../shared/contracts/journey.ts';

export type ProgrammeTable = {
  id: Generated<string>;
  organisationId: string;
  name: string;
  kind: 'group' | 'couple_therapy' | 'course';
  description: Generated<string>;
  eligibility: ColumnType<EligibilityRule[], string | undefined, string>;
  facilitatorRule: Generated<'male_female_pair' | 'pair' | 'one' | 'any'>;
  offersCoupleWork: Generated<boolean>;
  acceptsReferrals: Generated<boolean>;
  version: Generated<number>;
  createdAt: ColumnType<Date, Date | string | undefined, never>;
};

export type ProgrammesTables = { programme: ProgrammeTable };
