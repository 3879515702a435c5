import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { readConfig } from '../server/config.ts';
import { openReadyDatabase } from '../server/main.ts';
import { createOrganisation, findOrganisationBySlug } from '../server/modules/identity/index.ts';
import { slugify } from '../server/modules/identity/organisations.service.ts';
import {
  checkImportFile,
  formatProblem,
  importAdministrations,
  localToday,
  REASON_COLUMN,
  type ImportOutcome,
  type ImportProblem,
  type RejectedRow,
} from '../server/modules/measures/index.ts';
import type { Db } from '../server/db.ts';
import { AppError } from '../server/platform/http/app-error.ts';
import { CliUsageError, parseCommandArgs } from './args.ts';
import { EXIT_BAD_INPUT, processIo, type CliIo } from './io.ts';

/*
 * `tandem import <file.csv> [--org <name>] [--skip-invalid] [--rejected FILE]` — the fixed interface of issue 4
 * item 8. The file is read and checked before the database is opened, so a bad file leaves no trace (not even a
 * new data directory or organisation). Exit 0 when imported, 2 for bad arguments or a refused file.
 */


/** Redraws one line on a terminal; nothing at all when stderr is a file or a pipe. */
const progressBar = (io: CliIo, enabled: boolean) => {
  let last = -1;
  return {
    update: (done: number, total: number) => {
      if (!enabled || total === 0) return;
      const percent = Math.floor((done / total) * 100);
      if (percent === last) return;
      last = percent;
      const width = 30;
      const filled = Math.round((percent / 100) * width);
      io.stderr(`\rImporting [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(percent).padStart(3)}%  ${done}/${total} rows`);
    },
    end: () => {
      if (enabled && last >= 0) io.stderr('\n');
    },
  };
};

const rejectedCsv = (header: string[], rows: RejectedRow[]): string =>
  stringify([
    [...header.filter((name) => name.trim() !== REASON_COLUMN), REASON_COLUMN],
    ...rows.map((row) => {
      const reasonAt = header.findIndex((name) => name.trim() === REASON_COLUMN);
      const cells = reasonAt === -1 ? row.cells : row.cells.filter((_, index) => index !== reasonAt);
      return [...cells, row.problems.map(formatProblem).join('; ')];
    }),
  ]);

/** The organisation named by --org, created when missing (a fresh data directory has none). */
const ensureOrganisation = async (db: Db, name: string): Promise<{ id: string; created: boolean }> => {
  const slug = slugify(name);
  const existing = await findOrganisationBySlug(db, slug);
  if (existing) return { id: existing.id, created: false };
  try {
    const made = await createOrganisation(db, { name, kind: 'provider', slug });
    return { id: made.id, created: true };
  } catch (error) {
    // Another import created it a moment ago.
    const raced = error instanceof AppError && error.code === 'conflict' ? await findOrganisationBySlug(db, slug) : undefined;
    if (raced) return { id: raced.id, created: false };
    throw error;
  }
};

const summary = (outcome: ImportOutcome, fileName: string, organisation: string, rejectedFile: string | null): string => {
  const imported = outcome.inserted + outcome.updated;
  const lines = [
    `Imported ${fileName} into "${organisation}":`,
    `  imported  ${String(imported).padStart(7)}  (${outcome.inserted} new, ${outcome.updated} updated)`,
    `  unchanged ${String(outcome.unchanged).padStart(7)}`,
    `  rejected  ${String(outcome.rejected).padStart(7)}${rejectedFile ? `  (written to ${rejectedFile})` : ''}`,
  ];
  return `${lines.join('\n')}\n`;
};

export const runImport = async (args: string[], io: CliIo, now: Date = new Date()): Promise<number> => {
  const { values, positionals } = parseCommandArgs(
    args,
    { org: { type: 'string', default: 'default' }, 'skip-invalid': { type: 'boolean', default: false }, rejected: { type: 'string' } },
    true,
  );
  const [path, extra] = positionals;
  if (path === undefined) throw new CliUsageError('missing the CSV file to import: tandem import <file.csv>');
  if (extra !== undefined) throw new CliUsageError(`expected one file, got also "${extra}"`);
  const organisation = values.org.trim();
  if (organisation === '') throw new CliUsageError('--org: must not be empty');

  let content: Buffer;
  try {
    if (statSync(path).isDirectory()) throw new CliUsageError(`cannot read ${path}: it is a directory`);
    content = readFileSync(path);
  } catch (error) {
    if (error instanceof CliUsageError) throw error;
    const reason = error instanceof Error && 'code' in error && error.code === 'ENOENT' ? 'no such file' : error instanceof Error ? error.message : String(error);
    throw new CliUsageError(`cannot read ${path}: ${reason}`);
  }

  const file = checkImportFile(basename(path), content, localToday(now));
  const { parsed } = file;
  const problems = [...parsed.fileProblems, ...parsed.rejected.flatMap((row) => row.problems)];
  const refuse = (found: ImportProblem[], rowProblemsOnly: boolean): number => {
    const rows = new Set(found.map((problem) => problem.line)).size;
    io.stderr(
      `tandem import: nothing imported; ${path} has problems on ${rows} ${rows === 1 ? 'line' : 'lines'}:\n${found.map((problem) => `  ${formatProblem(problem)}\n`).join('')}`,
    );
    if (rowProblemsOnly) io.stderr('Correct them, or run with --skip-invalid to import the good rows.\n');
    return EXIT_BAD_INPUT;
  };
  if (parsed.fileProblems.length > 0 || (parsed.rejected.length > 0 && !values['skip-invalid'])) return refuse(problems, parsed.fileProblems.length === 0);

  // Written before the import, so an unwritable path stops the command while nothing has been imported yet; written
  // again afterwards if the import refused more rows (those that would replace an administration entered in the app).
  const rejectedPath = values.rejected ?? `${path}.rejected.csv`;
  const writeRejected = (rows: RejectedRow[]): void => {
    try {
      writeFileSync(rejectedPath, rejectedCsv(parsed.header, rows));
    } catch (error) {
      throw new CliUsageError(`--rejected: cannot write ${rejectedPath}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  let rejectedFile: string | null = null;
  if (parsed.rejected.length > 0) {
    writeRejected(parsed.rejected);
    rejectedFile = rejectedPath;
  }

  let config;
  try {
    config = readConfig();
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
  const { handle } = await openReadyDatabase(config);
  const bar = progressBar(io, io === processIo && process.stderr.isTTY === true);
  try {
    const org = await ensureOrganisation(handle.db, organisation);
    const outcome = await importAdministrations(
      handle.db,
      { organisationId: org.id, userId: null, ip: null, via: 'command line' },
      file,
      { skipInvalid: values['skip-invalid'], dryRun: false, onProgress: bar.update },
    );
    bar.end();
    if (outcome.status === 'refused') return refuse(outcome.problems, true);
    if (outcome.rejectedRows.length > parsed.rejected.length) {
      writeRejected(outcome.rejectedRows);
      rejectedFile = rejectedPath;
    }
    io.stdout(summary(outcome, path, organisation, rejectedFile));
    return 0;
  } finally {
    await handle.close();
  }
};
