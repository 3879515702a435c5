import type { ColumnType, Generated } from 'kysely';
import type { OutcomeMeasure } from '../../../shared/contracts/evaluation.ts';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;
/** bigint columns come back as strings from pg and as numbers or bigints from PGlite; read them through Number(). */
type Big = ColumnType<string | number | bigint, number | string | bigint, number | string | bigint>;
type BigDefault = ColumnType<string | number | bigint, number | string | bigint | undefined, number | string | bigint>;
/** jsonb: read as the parsed value, written as a JSON string. */
type Json<T> = ColumnType<T, string | undefined, string>;

export type FunderKind = 'government_department' | 'adoption_support_fund' | 'local_authority' | 'regional_adoption_agency' | 'charitable_trust' | 'other';
export type PurchaseKind = 'block' | 'spot' | 'grant';
/** Targets recorded before targets named a measure have no scale or measure (reported without a figure). */
export type OutcomeTarget = { instrument: string; scale?: string | null; measure?: OutcomeMeasure | null; description: string; target: number };

export type FunderTable = {
  id: Generated<string>;
  organisationId: string;
  name: string;
  kind: FunderKind;
  funderOrganisationId: Nullable<string>;
  active: Generated<boolean>;
  createdAt: CreatedAt;
  version: Generated<number>;
};

export type ContractTable = {
  id: Generated<string>;
  organisationId: string;
  funderId: string;
  reference: string;
  title: string;
  purchaseKind: PurchaseKind;
  periodStart: string;
  periodEnd: string;
  valuePence: Big;
  pricePence: Generated<number>;
  priceUnit: Generated<'place' | 'family'>;
  targetFamilies: Generated<number>;
  targetCompleters: Generated<number>;
  outcomeTargets: Json<OutcomeTarget[]>;
  refundableBeforeSession: Generated<number>;
  refillBeforeSession: Generated<number>;
  lateChargePercent: Generated<number>;
  requiresParticipantApplications: Generated<boolean>;
  /** Grants: the programme funded (its families are the reach), and its name when recorded. */
  programmeId: Nullable<string>;
  programmeLabel: Nullable<string>;
  /** Grants: the number of equal instalments the value is paid in (grant-instalments.ts). */
  instalments: Generated<number>;
  status: Generated<'draft' | 'active' | 'ended'>;
  createdBy: string | null;
  createdAt: CreatedAt;
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>;
  version: Generated<number>;
};

export type ContractPartyTable = { organisationId: string; contractId: string; partyOrganisationId: string; role: 'lead' | 'partner' };

export type PlaceBlockTable = {
  id: Generated<string>;
  organisationId: string;
  contractId: string;
  groupId: string;
  groupLabel: string;
  groupStartDate: string;
  sessionCount: number;
  places: number;
  pricePence: number;
  refundDeadline: string;
  refillDeadline: string;
  boughtByOrganisationId: string;
  boughtBy: string | null;
  boughtAt: CreatedAt;
};

export type GroupPlaceTable = {
  id: Generated<string>;
  organisationId: string;
  contractId: string;
  blockId: string;
  groupId: string;
  number: number;
  status: Generated<'vacant' | 'filled' | 'freed'>;
  payerOrganisationId: string;
  everFilled: Generated<boolean>;
  freedOn: Nullable<string>;
  freedLate: Generated<boolean>;
  refundable: Generated<boolean>;
  atRisk: Generated<boolean>;
  sessionsAttended: Generated<number>;
  refreshedAt: Nullable<Date>;
  version: Generated<number>;
};

export type PlaceOccupancyTable = {
  id: Generated<string>;
  organisationId: string;
  groupPlaceId: string;
  placementId: string;
  filledAt: CreatedAt;
  freedOn: Nullable<string>;
  freedLate: Generated<boolean>;
};

export type VacancyClaimTable = {
  id: Generated<string>;
  organisationId: string;
  contractId: string;
  groupPlaceId: string;
  claimedByOrganisationId: string;
  claimedBy: string | null;
  claimedAt: CreatedAt;
  status: Generated<'claimed' | 'filled' | 'lapsed'>;
};

export type InvoiceTable = {
  id: Generated<string>;
  organisationId: string;
  contractId: string;
  number: string;
  periodStart: string;
  periodEnd: string;
  status: Generated<'draft' | 'issued'>;
  totalPence: BigDefault;
  createdBy: string | null;
  createdAt: CreatedAt;
  issuedBy: Nullable<string>;
  issuedAt: Nullable<Date>;
  version: Generated<number>;
};

export type InvoiceLineTable = {
  organisationId: string;
  contractId: string;
  invoiceId: string;
  lineNo: number;
  description: string;
  groupPlaceId: Nullable<string>;
  /** The grant instalment this line bills (null on place lines). */
  grantInstalment: Nullable<number>;
  payerOrganisationId: string;
  quantity: number;
  unitPence: number;
  amountPence: Big;
};

export type CreditNoteTable = {
  id: Generated<string>;
  organisationId: string;
  contractId: string;
  invoiceId: string;
  number: string;
  reason: string;
  totalPence: Big;
  issuedBy: string | null;
  issuedAt: CreatedAt;
};

export type CreditNoteLineTable = {
  organisationId: string;
  contractId: string;
  creditNoteId: string;
  lineNo: number;
  description: string;
  groupPlaceId: Nullable<string>;
  payerOrganisationId: string;
  amountPence: Big;
};

export type FundingTables = {
  funder: FunderTable;
  contract: ContractTable;
  contractParty: ContractPartyTable;
  placeBlock: PlaceBlockTable;
  groupPlace: GroupPlaceTable;
  placeOccupancy: PlaceOccupancyTable;
  vacancyClaim: VacancyClaimTable;
  invoice: InvoiceTable;
  invoiceLine: InvoiceLineTable;
  creditNote: CreditNoteTable;
  creditNoteLine: CreditNoteLineTable;
};
