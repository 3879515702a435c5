import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Database } from '../../src/server/db.ts';
import { openPglite, openPostgres } from '../../src/server/platform/db/connect.ts';
import { migrate } from '../../src/server/platform/db/migrate.ts';
import { ensureWebBuilt } from '../../src/server/platform/web-build.ts';
import { WEB_DIST } from '../../src/server/app.ts';
import { PGLITE_TEMPLATE, TEMPLATE_DB, TEST_DATABASE_URL, adminQuery, databaseUrlWith } from './engines.ts';

/** Migrates once per run; each test file then starts from a copy of this template (see engines.ts). */
export default async function setup(): Promise<void> {
  // Build the web app once, before any test starts a server, so no two processes build it at the same time.
  await ensureWebBuilt(WEB_DIST, (line) => process.stdout.write(line));
  if (TEST_DATABASE_URL) {
    await adminQuery(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
    await adminQuery(`CREATE DATABASE ${TEMPLATE_DB}`);
    const handle = await openPostgres<Database>(databaseUrlWith(TEST_DATABASE_URL, TEMPLATE_DB), 1);
    await migrate(handle);
    await handle.close();
    return;
  }
  const handle = await openPglite<Database>(undefined);
  await migrate(handle);
  const dump = await handle.pglite?.dumpDataDir('gzip');
  if (!dump) throw new Error('PGlite dump failed');
  mkdirSync(dirname(PGLITE_TEMPLATE), { recursive: true });
  writeFileSync(PGLITE_TEMPLATE, Buffer.from(await dump.arrayBuffer()));
  await handle.close();
}
