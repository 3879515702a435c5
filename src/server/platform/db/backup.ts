import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { sql } from 'kysely';
import { openPglite, type DatabaseHandle } from './connect.ts';
import { DataDirInUseError, LOCK_FILE, liveHolder } from './data-dir-lock.ts';

/*
 * Backups of the embedded engine. PGlite's dumpDataDir() writes a tar of the whole data directory from inside the
 * database while it holds its one connection, so no transaction is half-way through and the archive is one
 * consistent state; loadDataDir restores it into a new directory.
 *
 * Only one process may open the directory (data-dir-lock.ts). With no server running, `tandem backup` opens it
 * itself. With a server running, the server takes the snapshot: the command leaves a request file in the data
 * directory and sends the server SIGUSR2 (only to a holder whose lock says it answers them); the server writes the
 * archive and a ".done" (or ".error") file beside the request. Writes carry on meanwhile, waiting only while the
 * snapshot is copied.
 */

export type BackupSummary = { bytes: number; organisations: number; tables: number };

const summarise = async (dataDir: string): Promise<Omit<BackupSummary, 'bytes'>> => {
  const handle = await openPglite<never>(dataDir);
  try {
    const pglite = handle.pglite;
    if (!pglite) throw new Error('not an embedded database');
    const organisations = await pglite.query<{ n: number }>(`SELECT count(*)::int AS n FROM organisation`).catch(() => ({ rows: [{ n: 0 }] }));
    const tables = await pglite.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`);
    return { organisations: organisations.rows[0]?.n ?? 0, tables: tables.rows[0]?.n ?? 0 };
  } finally {
    await handle.close();
  }
};

const REQUEST_PREFIX = 'tandem.backup-request.';
const LIVE_BACKUP_WAIT_MS = 10 * 60_000;

const writeWhole = (file: string, bytes: Buffer): void => {
  mkdirSync(dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  writeFileSync(partial, bytes);
  renameSync(partial, file);
};

export type BackupOutcome = BackupSummary & { fromServer: number | null };

/** Writes a gzipped tar of the data directory to `file` (through a temporary file, so a failure leaves no half file). */
export const backupEmbedded = async (dataDir: string, file: string): Promise<BackupOutcome> => {
  if (!existsSync(join(dataDir, 'PG_VERSION'))) throw new Error(`${dataDir} is not an embedded Tandem database (no PG_VERSION)`);
  if (existsSync(file)) throw new Error(`${file} exists already; choose a new file name`);
  const holder = liveHolder(dataDir);
  if (holder) {
    if (!holder.backups) throw new DataDirInUseError(dataDir, holder);
    return { ...(await askServer(dataDir, file, holder.pid)), fromServer: holder.pid };
  }
  const handle = await openPglite<never>(dataDir);
  let bytes: Buffer;
  try {
    const dump = await handle.snapshot?.();
    if (!dump) throw new Error('the embedded database could not be dumped');
    bytes = Buffer.from(await dump.arrayBuffer());
  } finally {
    await handle.close();
  }
  writeWhole(file, bytes);
  return { bytes: bytes.length, ...(await summarise(dataDir)), fromServer: null };
};

/** The command's side of a backup taken by the running server. */
const askServer = async (dataDir: string, file: string, pid: number): Promise<BackupSummary> => {
  const request = join(dataDir, `${REQUEST_PREFIX}${process.pid}.json`);
  writeFileSync(request, JSON.stringify({ file }));
  const done = `${request}.done`;
  const failed = `${request}.error`;
  try {
    process.kill(pid, 'SIGUSR2');
    const end = Date.now() + LIVE_BACKUP_WAIT_MS;
    while (Date.now() < end) {
      if (existsSync(done)) return JSON.parse(readFileSync(done, 'utf8')) as BackupSummary;
      if (existsSync(failed)) throw new Error(`the running server could not take the backup: ${readFileSync(failed, 'utf8')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the running server (pid ${pid}) did not answer within ${LIVE_BACKUP_WAIT_MS / 60_000} minutes`);
  } finally {
    for (const path of [request, done, failed]) rmSync(path, { force: true });
  }
};

/** The server's side: answers every backup request waiting in its data directory (called on SIGUSR2). */
export const answerBackupRequests = async <DB>(dataDir: string, handle: DatabaseHandle<DB>): Promise<void> => {
  const requests = readdirSync(dataDir).filter((name) => name.startsWith(REQUEST_PREFIX) && name.endsWith('.json'));
  for (const name of requests) {
    const request = join(dataDir, name);
    try {
      const { file } = JSON.parse(readFileSync(request, 'utf8')) as { file?: unknown };
      // The request names where to write; it must be a new file (a request can never overwrite anything).
      if (typeof file !== 'string' || !isAbsolute(file)) throw new Error('the request does not name an absolute file');
      if (existsSync(file)) throw new Error(`${file} exists already`);
      const dump = await handle.snapshot?.();
      if (!dump) throw new Error('this database cannot be dumped');
      const bytes = Buffer.from(await dump.arrayBuffer());
      writeWhole(file, bytes);
      // Through the pool like any query (straight to PGlite it could land inside another caller's transaction).
      const counts = await sql<{ organisations: number; tables: number }>`
        SELECT (SELECT count(*)::int FROM organisation) AS organisations, (SELECT count(*)::int FROM pg_tables WHERE schemaname = 'public') AS tables`.execute(handle.db);
      const row = counts.rows[0];
      writeFileSync(`${request}.done`, JSON.stringify({ bytes: bytes.length, organisations: row?.organisations ?? 0, tables: row?.tables ?? 0 }));
    } catch (error) {
      writeFileSync(`${request}.error`, error instanceof Error ? error.message : String(error));
    } finally {
      rmSync(request, { force: true });
    }
  }
};

/** Restores a backup into `dataDir`, which must not exist or be empty (never overwrites a database). */
export const restoreEmbedded = async (file: string, dataDir: string): Promise<BackupSummary> => {
  if (!existsSync(file)) throw new Error(`no such backup file: ${file}`);
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    throw new Error(`${dataDir} is not empty; restore into a new directory (move the old one aside first)`);
  }
  const bytes = readFileSync(file);
  const handle = await openPglite<never>(dataDir, new Blob([bytes]));
  await handle.close();
  // The archive carries the lock file of the process that took it; that process is not this one.
  rmSync(join(dataDir, LOCK_FILE), { force: true });
  return { bytes: bytes.length, ...(await summarise(dataDir)) };
};
