import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { openPglite } from './connect.ts';
import { LOCK_FILE } from './data-dir-lock.ts';

/*
 * Backups of the embedded engine. PGlite's dumpDataDir() writes a tar of the whole data directory from inside the
 * running database, between queries, so the archive is one consistent state; loadDataDir restores it into a new
 * directory. Opening the directory takes the data-directory lock, so a backup cannot be taken beside a running
 * server: stop the server first (or run on PostgreSQL and use pg_dump; see docs/operations.md).
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

/** Writes a gzipped tar of the data directory to `file` (through a temporary file, so a failure leaves no half file). */
export const backupEmbedded = async (dataDir: string, file: string): Promise<BackupSummary> => {
  if (!existsSync(join(dataDir, 'PG_VERSION'))) throw new Error(`${dataDir} is not an embedded Tandem database (no PG_VERSION)`);
  const handle = await openPglite<never>(dataDir);
  let bytes: Buffer;
  try {
    const dump = await handle.pglite?.dumpDataDir('gzip');
    if (!dump) throw new Error('the embedded database could not be dumped');
    bytes = Buffer.from(await dump.arrayBuffer());
  } finally {
    await handle.close();
  }
  mkdirSync(dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  writeFileSync(partial, bytes);
  renameSync(partial, file);
  return { bytes: bytes.length, ...(await summarise(dataDir)) };
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
