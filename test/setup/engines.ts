import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import type { Database } from '../../src/server/db.ts';
import { openPglite, openPostgres, type DatabaseHandle } from '../../src/server/platform/db/connect.ts';

/**
 * Integration tests run on PGlite unless TEST_DATABASE_URL points at a PostgreSQL server; then each test file gets
 * its own database cloned from a migrated template, so files never see each other's rows.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by the global setup: this run's migrated template (a PostgreSQL database name or a PGlite dump file). */
    databaseTemplate: string;
  }
}

export const databaseUrlWith = (url: string, database: string): string => {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
};

export const adminQuery = async (sqlText: string): Promise<void> => {
  if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set');
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(sqlText);
  } finally {
    await client.end();
  }
};

export type TestDatabase = DatabaseHandle<Database> & { name: string };

export const openTestDatabase = async (): Promise<TestDatabase> => {
  if (TEST_DATABASE_URL) {
    const template = inject('databaseTemplate');
    const name = `${template}_f${randomBytes(4).toString('hex')}`;
    await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    const handle = await openPostgres<Database>(databaseUrlWith(TEST_DATABASE_URL, name), 5);
    // The run's global teardown drops every database made from its template (dropping waits for a checkpoint,
    // which a busy server can make slow; no test should wait for it).
    return { ...handle, name };
  }
  const { readFile } = await import('node:fs/promises');
  const template = new Blob([await readFile(inject('databaseTemplate'))]);
  const handle = await openPglite<Database>(undefined, template);
  return { ...handle, name: 'pglite' };
};

export const engineName = (): 'postgres' | 'pglite' => (TEST_DATABASE_URL ? 'postgres' : 'pglite');

/** A place for a separate process (the CLI) to keep its data: a PostgreSQL URL, or a PGlite data directory. */
export const createScratchDatabase = async (): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> => {
  if (TEST_DATABASE_URL) {
    const name = `tandem_c_${randomBytes(6).toString('hex')}`;
    await adminQuery(`CREATE DATABASE ${name}`);
    return {
      env: { DATABASE_URL: databaseUrlWith(TEST_DATABASE_URL, name) },
      drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    };
  }
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'tandem-data-'));
  return { env: { TANDEM_DATA_DIR: dir }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
};
