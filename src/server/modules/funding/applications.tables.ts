import type { ColumnType, Generated } from 'kysely';
import type { ApplicationStatus } from '../../../shared/contracts/fund-applications.ts';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Stamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

export type FundApplicationRuleTable = {
  funderId: string;
  organisationId: string;
  annualLimitPence: number | null;
  assessmentValidMonths: number;
  yearStartMonth: number;
  updatedBy: string | null;
  updatedAt: Stamp;
  version: Generated<number>;
};

export type FundApplicationTable = {
  id: Generated<string>;
  organisationId: string;
  caseId: string;
  familyId: string;
  kind: 'child' | 'family';
  funderId: string;
  programmeId: string;
  assessmentId: string | null;
  serviceFrom: string;
  amountPence: number;
  matchFundingPence: number;
  matchFunder: string | null;
  fundReference: string | null;
  status: Generated<ApplicationStatus>;
  createdBy: string | null;
  createdAt: CreatedAt;
  updatedAt: Stamp;
  version: Generated<number>;
};

export type FundApplicationChildTable = { organisationId: string; applicationId: string; personId: string };

export type FundApplicationStatusChangeTable = {
  id: Generated<string>;
  organisationId: string;
  applicationId: string;
  fromStatus: ApplicationStatus | null;
  toStatus: ApplicationStatus;
  note: Nullable<string>;
  changedBy: string | null;
  changedAt: CreatedAt;
};

export type ApplicationsTables = {
  fundApplicationRule: FundApplicationRuleTable;
  fundApplication: FundApplicationTable;
  fundApplicationChild: FundApplicationChildTable;
  fundApplicationStatusChange: FundApplicationStatusChangeTable;
};
