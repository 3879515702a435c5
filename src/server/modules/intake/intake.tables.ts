import type { ColumnType, Generated } from 'kysely';
import type { EligibilityOutcome, ReferralSubmission } from '../../../shared/contracts/journey.ts';

export type ReferralTable = {
  id: Generated<string>;
  organisationId: string;
  reference: string;
  source: 'public' | 'staff';
  programmeId: string | null;
  status: Generated<'new' | 'accepted' | 'declined' | 'waiting_list' | 'redirected'>;
  submission: ColumnType<ReferralSubmission, string, string>;
  eligibility: ColumnType<EligibilityOutcome[], string | undefined, string>;
  decisionReason: string | null;
  redirectedTo: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  caseId: string | null;
  receivedAt: ColumnType<Date, Date | string | undefined, never>;
  createdBy: string | null;
  version: Generated<number>;
};

export type IntakeTables = { referral: ReferralTable };
