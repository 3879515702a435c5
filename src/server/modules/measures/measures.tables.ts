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
  version: Generated<number>;
  createdBy: string | null;
  createdAt: CreatedAt;
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>;
};

export type MeasuresTables = {
  respondent: RespondentTable;
  importBatch: ImportBatchTable;
  administration: AdministrationTable;
};
