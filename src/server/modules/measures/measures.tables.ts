import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json<T> = ColumnType<T, string, string>;

export type RespondentRole = 'mother' | 'father' | 'carer' | 'child' | 'teacher' | 'other';
export type Timepoint = 'pre' | 'post' | 'followup';

export type RespondentTable = {
  id: Generated<string>;
  organisationId: string;
  externalRef: string;
  personId: string | null;
  createdAt: CreatedAt;
};

export type ImportBatchTable = {
  id: Generated<string>;
  organisationId: string;
  fileName: string;
  fileSha256: string;
  rowsTotal: number;
  rowsImported: number;
  rowsUnchanged: number;
  rowsRejected: number;
  importedBy: string | null;
  createdAt: CreatedAt;
};

export type AdministrationTable = {
  id: Generated<string>;
  organisationId: string;
  respondentId: string;
  respondentRole: RespondentRole;
  subjectRef: Generated<string>;
  familyRef: string | null;
  site: string | null;
  groupLabel: Generated<string>;
  programme: Generated<string>;
  instrumentId: string;
  instrumentVersion: number;
  timepoint: Timepoint;
  /** 'YYYY-MM-DD' (dates are kept as strings by both engines' type parsers). */
  completedOn: string;
  source: 'import' | 'link' | 'paper';
  responses: Json<Record<string, number | null>>;
  status: 'scored' | 'not_scorable';
  scores: Json<Record<string, number | null>>;
  bands: Json<Record<string, string>>;
  flags: string[];
  valid: boolean;
  importBatchId: string | null;
  /** The case an administration given in the app belongs to; null for imported ones. */
  caseId: ColumnType<string | null, string | null | undefined, string | null>;
  version: Generated<number>;
  createdBy: string | null;
  createdAt: CreatedAt;
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>;
};

export type MeasurementScheduleTable = {
  organisationId: string;
  programmeId: string;
  entries: Json<unknown>;
  updatedBy: string | null;
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>;
  version: Generated<number>;
};

export type QuestionnaireLinkTable = {
  id: Generated<string>;
  organisationId: string;
  caseId: string;
  personId: string;
  subjectPersonId: string | null;
  instrumentId: string;
  timepoint: Timepoint;
  /** SHA-256 (hex) of the token; the token itself is never stored. */
  tokenHash: string;
  answers: ColumnType<Record<string, number | null>, string | undefined, string>;
  status: Generated<'open' | 'submitted' | 'cancelled'>;
  expiresAt: ColumnType<Date, Date | string, Date | string>;
  lastSavedAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  submittedAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  administrationId: ColumnType<string | null, string | null | undefined, string | null>;
  remindersSent: Generated<number>;
  lastRemindedAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  createdBy: string | null;
  createdAt: CreatedAt;
};

/** An organisation's own instrument, one row per version (migration 0013). */
export type OrganisationInstrumentTable = {
  organisationId: string;
  instrumentId: string;
  version: number;
  definition: Json<unknown>;
  createdBy: string | null;
  createdAt: CreatedAt;
};

/** Licensed SDQ wording or BCAP key an organisation loaded; its own eyes only. */
export type InstrumentLicenceTable = {
  organisationId: string;
  instrumentId: string;
  licenceReference: string;
  wording: ColumnType<unknown, string | null, string | null>;
  scoringKey: ColumnType<unknown, string | null, string | null>;
  version: Generated<number>;
  updatedBy: string | null;
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>;
};

/** What a corrected administration said before the correction. */
export type AdministrationRevisionTable = {
  id: Generated<string>;
  organisationId: string;
  administrationId: string;
  version: number;
  completedOn: string;
  instrumentVersion: number;
  responses: Json<Record<string, number | null>>;
  status: string;
  scores: Json<Record<string, number | null>>;
  bands: Json<Record<string, string>>;
  flags: string[];
  valid: boolean;
  reason: string;
  replacedBy: string | null;
  replacedAt: CreatedAt;
};

export type MeasuresTables = {
  organisationInstrument: OrganisationInstrumentTable;
  instrumentLicence: InstrumentLicenceTable;
  administrationRevision: AdministrationRevisionTable;
  respondent: RespondentTable;
  importBatch: ImportBatchTable;
  administration: AdministrationTable;
  measurementSchedule: MeasurementScheduleTable;
  questionnaireLink: QuestionnaireLinkTable;
};
