import { createHash } from 'node:crypto';
import type { Db } from '../../db.ts';
import { inScope } from '../../platform/db/scope.ts';
import { recordAudit } from '../audit/index.ts';
import { allProblems, identityOf, parseImportCsv, type ImportProblem, type ImportRow, type ParsedImport, type RejectedRow } from './import-rows.ts';
import { finishImportBatch, insertImportBatch, upsertAdministrations, upsertRespondents, type AdministrationValues } from './import.repo.ts';
import type { InstrumentDefinition } from './instruments/index.ts';
import { scoreAdministration } from './scoring/index.ts';

/** On whose behalf an import runs. The command line has no signed-in person (userId null). */
export type ImportContext = {
  organisationId: string;
  userId: string | null;
  ip: string | null;
  via: 'command line' | 'web';
};

export type ImportOptions = {
  /** Import the good rows and report the bad ones, instead of refusing the whole file. */
  skipInvalid: boolean;
  /** Do everything, report what would happen, and roll it all back. */
  dryRun: boolean;
  /** Rows per INSERT statement. */
  batchSize?: number;
  /** Called after each statement with rows written so far (for a progress bar). */
  onProgress?: (done: number, total: number) => void;
};

export type ImportOutcome = {
  /** imported: committed; preview: a dry run, nothing written; refused: the file has problems and nothing was written. */
  status: 'imported' | 'preview' | 'refused';
  batchId: string | null;
  rowsTotal: number;
  /** New administrations. */
  inserted: number;
  /** Administrations already stored whose content differed: replaced, version bumped. */
  updated: number;
  unchanged: number;
  rejected: number;
  problems: ImportProblem[];
  rejectedRows: RejectedRow[];
  header: string[];
};

export type ImportFile = { name: string; sha256: string; parsed: ParsedImport };

/*
 * 1000 rows × 21 columns = 21,000 parameters per statement, a third of PostgreSQL's 65,535 limit. Measured on
 * PGlite (bench/import-bench.ts): larger statements gain nothing, smaller ones pay more round trips.
 */
const DEFAULT_BATCH_SIZE = 1000;

/** The local calendar date: a form completed "today" in the office must not count as in the future. */
export const localToday = (now: Date = new Date()): string => {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
};

export const sha256Of = (content: string | Buffer): string => createHash('sha256').update(content).digest('hex');

/** Checks a file without touching the database (the command line checks before it opens or creates anything). */
export const checkImportFile = (name: string, content: string | Buffer, today = localToday()): ImportFile => ({
  name,
  sha256: sha256Of(content),
  parsed: parseImportCsv(content, { today }),
});

// The administration table stores an integer; built-in definitions carry their version as a string ('1').
const versionNumber = (instrument: InstrumentDefinition): number => {
  if (!/^\d+$/.test(instrument.version)) throw new Error(`instrument ${instrument.id} has version "${instrument.version}", not a whole number`);
  return Number(instrument.version);
};

const compareKeys = (a: { key: string }, b: { key: string }): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

class DryRunRollback extends Error {
  readonly outcome: ImportOutcome;
  constructor(outcome: ImportOutcome) {
    super('dry run: rolled back');
    this.outcome = outcome;
  }
}

/**
 * Writes a checked file in one transaction: the import batch, the respondents, every administration with its
 * scores, and one audit row, so a crash or an error leaves nothing half-written. Refuses (writes nothing) when
 * the file has problems, unless skipInvalid and the problems are in rows rather than in the file itself.
 */
export const importAdministrations = async (db: Db, context: ImportContext, file: ImportFile, options: ImportOptions): Promise<ImportOutcome> => {
  const { parsed } = file;
  const problems = allProblems(parsed);
  const base = {
    batchId: null,
    rowsTotal: parsed.rowsTotal,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    rejected: parsed.rejected.length,
    problems,
    rejectedRows: parsed.rejected,
    header: parsed.header,
  };
  const unusable = parsed.fileProblems.length > 0;
  if (unusable || (parsed.rejected.length > 0 && !options.skipInvalid && !options.dryRun)) {
    return { ...base, status: options.dryRun ? 'preview' : 'refused' };
  }

  // Scoring is pure and done before the transaction opens, so the transaction only writes.
  const prepared = parsed.rows
    .map((row: ImportRow) => ({ row, key: identityOf(row), result: scoreAdministration(row.instrument, row.responses) }))
    // One order for every import: two imports touching the same administrations lock them in the same order and
    // so wait for each other instead of deadlocking.
    .sort(compareKeys);
  const refs = [...new Set(prepared.map(({ row }) => row.respondentRef))].sort();
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;

  const run = inScope(db, { organisationId: context.organisationId, userId: context.userId }, async (trx) => {
    const batchId = await insertImportBatch(trx, {
      organisationId: context.organisationId,
      fileName: file.name.slice(0, 300),
      fileSha256: file.sha256,
      importedBy: context.userId,
      rowsTotal: parsed.rowsTotal,
      rowsImported: 0,
      rowsUnchanged: 0,
      rowsRejected: parsed.rejected.length,
    });
    const respondentIds = await upsertRespondents(trx, context.organisationId, refs);
    let inserted = 0;
    let updated = 0;
    for (let start = 0; start < prepared.length; start += batchSize) {
      const values: AdministrationValues[] = prepared.slice(start, start + batchSize).map(({ row, result }) => {
        const respondentId = respondentIds.get(row.respondentRef);
        if (!respondentId) throw new Error(`respondent ${row.respondentRef} was not stored`);
        return {
          organisationId: context.organisationId,
          respondentId,
          respondentRole: row.respondentRole,
          subjectRef: row.subjectRef,
          familyRef: row.familyRef,
          site: row.site,
          groupLabel: row.groupLabel,
          programme: row.programme,
          instrumentId: row.instrument.id,
          instrumentVersion: versionNumber(row.instrument),
          timepoint: row.timepoint,
          completedOn: row.completedOn,
          responses: row.responses,
          status: result.status,
          scores: result.scores,
          bands: result.bands,
          flags: result.flags,
          valid: result.valid,
          importBatchId: batchId,
          createdBy: context.userId,
        };
      });
      const written = await upsertAdministrations(trx, values);
      inserted += written.inserted;
      updated += written.updated;
      options.onProgress?.(Math.min(start + batchSize, prepared.length), prepared.length);
    }
    const unchanged = prepared.length - inserted - updated;
    await finishImportBatch(trx, batchId, {
      rowsTotal: parsed.rowsTotal,
      rowsImported: inserted + updated,
      rowsUnchanged: unchanged,
      rowsRejected: parsed.rejected.length,
    });
    // Personal data in bulk is audited once per import, not once per row: the batch id leads to every row.
    await recordAudit(trx, {
      organisationId: context.organisationId,
      actorUserId: context.userId,
      action: 'import:administration',
      entityType: 'import_batch',
      entityId: batchId,
      ip: context.ip,
      detail: {
        via: context.via,
        fileName: file.name,
        fileSha256: file.sha256,
        rowsTotal: parsed.rowsTotal,
        inserted,
        updated,
        unchanged,
        rejected: parsed.rejected.length,
        respondents: refs.length,
      },
    });
    const outcome: ImportOutcome = { ...base, status: 'imported', batchId, inserted, updated, unchanged };
    if (options.dryRun) throw new DryRunRollback({ ...outcome, status: 'preview', batchId: null });
    return outcome;
  });
  try {
    return await run;
  } catch (error) {
    if (error instanceof DryRunRollback) return error.outcome;
    throw error;
  }
};

/** Checks and imports CSV text in one call (the HTTP route). */
export const importAdministrationCsv = async (
  db: Db,
  context: ImportContext,
  input: { name: string; content: string | Buffer },
  options: ImportOptions,
): Promise<ImportOutcome> => importAdministrations(db, context, checkImportFile(input.name, input.content), options);
