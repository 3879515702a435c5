import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import type { Database } from '../../src/server/db.ts';
import { openPglite, openPostgres } from '../../src/server/platform/db/connect.ts';
import { migrate } from '../../src/server/platform/db/migrate.ts';
import { TEST_DATABASE_URL, adminQuery, databaseUrlWith } from './engines.ts';

const PGLITE_TEMPLATE = new URL('../../.tmp/pglite-template.tar.gz', import.meta.url).pathname;

/**
 * Migrates once per run; each test file then starts from a copy of this template (see engines.ts). The template's
 * name is unique to the run, so two runs on one machine (or one PostgreSQL server) never disturb each other.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runId = `${process.pid}_${randomBytes(3).toString('hex')}`;
  if (TEST_DATABASE_URL) {
    const template = `tandem_template_${runId}`;
    await adminQuery(`CREATE DATABASE ${template}`);
    const handle = await openPostgres<Database>(databaseUrlWith(TEST_DATABASE_URL, template), 1);
    await migrate(handle);
    await handle.close();
    project.provide('databaseTemplate', template);
    return async () => {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      try {
        const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${template}%`]);
        for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    };
  }
  const dumpFile = PGLITE_TEMPLATE.replace('.tar.gz', `-${runId}.tar.gz`);
  const handle = await openPglite<Database>(undefined);
  await migrate(handle);
  const dump = await handle.pglite?.dumpDataDir('gzip');
  if (!dump) throw new Error('PGlite dump failed');
  mkdirSync(dirname(dumpFile), { recursive: true });
  writeFileSync(dumpFile, Buffer.from(await dump.arrayBuffer()));
  await handle.close();
  project.provide('databaseTemplate', dumpFile);
  return async () => rmSync(dumpFile, { force: true });
}
