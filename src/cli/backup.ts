import { resolve } from 'node:path';
import { readConfig } from '../server/config.ts';
import { backupEmbedded, restoreEmbedded } from '../server/platform/db/backup.ts';
import { DataDirInUseError } from '../server/platform/db/data-dir-lock.ts';
import { CliUsageError, parseCommandArgs } from './args.ts';
import type { CliIo } from './io.ts';

/*
 * `tandem backup <file>` and `tandem restore <file>` for the embedded database. On PostgreSQL the database's own
 * tools do this better (pg_dump/pg_restore, point-in-time recovery): both commands say so and stop.
 */

const oneFile = (args: string[], command: string): { file: string; dataDir: string } => {
  const { positionals } = parseCommandArgs(args, {}, true);
  if (positionals.length !== 1) throw new CliUsageError(`expected one file, e.g. tandem ${command} backup.tar.gz`);
  let config;
  try {
    config = readConfig();
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
  if (config.databaseUrl) {
    throw new CliUsageError(`DATABASE_URL is set: this is PostgreSQL, back it up with pg_dump and restore with pg_restore (docs/operations.md)`);
  }
  return { file: resolve(positionals[0] ?? ''), dataDir: resolve(config.dataDir) };
};

const fail = (io: CliIo, command: string, error: unknown): number => {
  io.stderr(`tandem ${command}: ${error instanceof Error ? error.message : String(error)}\n`);
  // In use, or a refusal to overwrite: the operator can act on it; same exit as bad input.
  return 2;
};

export const runBackup = async (args: string[], io: CliIo): Promise<number> => {
  const { file, dataDir } = oneFile(args, 'backup');
  try {
    const summary = await backupEmbedded(dataDir, file);
    const by = summary.fromServer === null ? '' : ` (taken by the running server, pid ${summary.fromServer})`;
    io.stdout(`Backed up ${dataDir} to ${file}${by} (${(summary.bytes / 1024 / 1024).toFixed(1)} MB; ${summary.organisations} organisations, ${summary.tables} tables).\n`);
    return 0;
  } catch (error) {
    if (error instanceof DataDirInUseError || error instanceof Error) return fail(io, 'backup', error);
    throw error;
  }
};

export const runRestore = async (args: string[], io: CliIo): Promise<number> => {
  const { file, dataDir } = oneFile(args, 'restore');
  try {
    const summary = await restoreEmbedded(file, dataDir);
    io.stdout(`Restored ${file} into ${dataDir} (${summary.organisations} organisations, ${summary.tables} tables). Start Tandem with TANDEM_DATA_DIR=${dataDir}.\n`);
    return 0;
  } catch (error) {
    return fail(io, 'restore', error);
  }
};
