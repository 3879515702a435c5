import type { Kysely, Transaction } from 'kysely';
import type { AuditTables } from './modules/audit/audit.tables.ts';
import type { AssessmentTables, CasesTables, RecordsTables } from './modules/cases/cases.tables.ts';
import type { IntakeTables } from './modules/intake/intake.tables.ts';
import type { FundingTables } from './modules/funding/funding.tables.ts';
import type { ApplicationsTables } from './modules/funding/applications.tables.ts';
import type { ProgrammesTables } from './modules/programmes/programmes.tables.ts';
import type { IdentityTables } from './modules/identity/identity.tables.ts';
import type { MeasuresTables } from './modules/measures/measures.tables.ts';
import type { EvaluationTables } from './modules/evaluation/evaluation.tables.ts';

/** The whole schema as Kysely sees it: each module contributes its own tables. */
export type Database = IdentityTables & AuditTables & MeasuresTables & ProgrammesTables & IntakeTables & CasesTables & AssessmentTables & RecordsTables & FundingTables & ApplicationsTables & EvaluationTables;
export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;
