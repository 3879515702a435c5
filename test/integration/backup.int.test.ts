import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import { readConfig } from '../../src/server/config.ts';
import type { Database } from '../../src/server/db.ts';
import { openDatabase, type DatabaseHandle } from '../../src/server/platform/db/connect.ts';
import { migrate } from '../../src/server/platform/db/migrate.ts';
import { buildCasework } from '../setup/casework.ts';
import { adminQuery, createScratchDatabase, databaseUrlWith, engineName, TEST_DATABASE_URL, type TestDatabase } from '../setup/engines.ts';
import { createOrgWithStaff, signIn, type TestContext } from '../setup/harness.ts';
import { organisationFingerprint, rowCounts } from '../setup/openapi-routes.ts';
import { BIN, startTandem } from '../setup/server-process.ts';

/*
 * Issue 8, item 6: a backup restored into a new place holds every record. On the embedded engine through
 * `tandem backup` / `tandem restore` (and `tandem backup` refuses while another process has the data directory);
 * on PostgreSQL through the documented pg_dump / pg_restore commands (docs/operations.md), and `tandem backup`
 * points there.
 */

const tandem = (args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, DATABASE_URL: '', TANDEM_DATA_DIR: '', LOG_LEVEL: 'silent', ...env }, encoding: 'utf8', timeout: 120_000 });

type Snapshot = { counts: Record<string, number>; organisation: Record<string, string> };

describe(`backup and restore on ${engineName()}`, () => {
  let work: string;
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let organisationId: string;
  let before: Snapshot;

  const open = (env: Record<string, string>): Promise<DatabaseHandle<Database>> =>
    openDatabase<Database>(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL, dataDir: '' } : { dataDir: env.TANDEM_DATA_DIR ?? '' });

  const snapshot = async (env: Record<string, string>): Promise<Snapshot> => {
    const handle = await open(env);
    try {
      return { counts: await rowCounts(handle.db), organisation: await organisationFingerprint(handle.db, organisationId) };
    } finally {
      await handle.close();
    }
  };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'tandem-backup-'));
    scratch = await createScratchDatabase();
    // Real casework made through the application, written to a database that lives on disk (or on the server).
    const handle = await open(scratch.env);
    await migrate(handle);
    const config = readConfig({ LOG_LEVEL: 'silent', TANDEM_FILES_DIR: join(work, 'files'), TANDEM_AUTH_RATE_PER_MINUTE: '10000' });
    const app = await buildApp({ db: handle.db, config, webDir: null });
    await app.ready();
    const ctx: TestContext = { db: { ...handle, name: 'backup' } as TestDatabase, app, config, close: async () => undefined };
    const org = await createOrgWithStaff(ctx, 'Backed up');
    organisationId = org.id;
    await buildCasework(ctx, org, await signIn(app, org.users.service_manager.email));
    await app.close();
    await handle.close();
    before = await snapshot(scratch.env);
    expect(before.counts.family_case).toBeGreaterThan(0);
  }, 180_000);
  afterAll(async () => {
    await scratch?.drop();
    rmSync(work, { recursive: true, force: true });
  });

  if (TEST_DATABASE_URL) {
    it('restores a pg_dump into a new database with every record (the documented commands), and tandem backup points there', async () => {
      const url = scratch.env.DATABASE_URL ?? '';
      const file = join(work, 'tandem.dump');
      const dump = spawnSync('pg_dump', ['--format=custom', `--file=${file}`, url], { encoding: 'utf8' });
      expect(dump.status, dump.stderr).toBe(0);
      const name = `tandem_restored_${Date.now()}`;
      await adminQuery(`CREATE DATABASE ${name}`);
      try {
        const target = databaseUrlWith(TEST_DATABASE_URL ?? '', name);
        const restore = spawnSync('pg_restore', ['--exit-on-error', `--dbname=${target}`, file], { encoding: 'utf8' });
        expect(restore.status, restore.stderr).toBe(0);
        expect(await snapshot({ DATABASE_URL: target })).toEqual(before);
        // The restored database is a working Tandem database: migrations up to date, tenancy enforced.
        const migrated = tandem(['migrate'], { DATABASE_URL: target });
        expect(migrated.status, migrated.stderr).toBe(0);
        expect(migrated.stdout).toMatch(/up to date/);
      } finally {
        await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }
      const refused = tandem(['backup', join(work, 'x.tar.gz')], { DATABASE_URL: url });
      expect(refused.status).toBe(2);
      expect(refused.stderr).toMatch(/pg_dump/);
    }, 300_000);
  } else {
    it('tandem backup refuses while a process that is not a server (here this test) has the data directory, and says what to do', async () => {
      const holder = await open(scratch.env);
      try {
        const file = join(work, 'while-open.tar.gz');
        const refused = tandem(['backup', file], scratch.env);
        expect(refused.status).toBe(2);
        expect(refused.stderr).toMatch(/in use by another Tandem process \(pid \d+.*Stop it first/);
        expect(existsSync(file)).toBe(false);
      } finally {
        await holder.close();
      }
    }, 300_000);

    it('backs up while the server runs (the server takes the snapshot), and the restore has every record', async () => {
      const server = await startTandem(scratch.env);
      const file = join(work, 'live-backup.tar.gz');
      try {
        const backup = tandem(['backup', file], scratch.env);
        expect(backup.status, backup.stderr).toBe(0);
        expect(backup.stdout).toMatch(/taken by the running server, pid \d+\) \(\d+\.\d MB; \d+ organisations, \d+ tables\)/);
        // The server carries on serving, and its lock still stands against other openers.
        expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
        expect(readdirSync(scratch.env.TANDEM_DATA_DIR ?? '').filter((name) => name.startsWith('tandem.backup-request'))).toEqual([]);
        const twice = tandem(['backup', file], scratch.env);
        expect(twice.status).toBe(2);
        expect(twice.stderr).toMatch(/exists already/);
      } finally {
        await server.stop();
      }
      const restoredDir = join(work, 'restored-live');
      const restore = tandem(['restore', file], { TANDEM_DATA_DIR: restoredDir });
      expect(restore.status, restore.stderr).toBe(0);
      expect(await snapshot({ TANDEM_DATA_DIR: restoredDir })).toEqual(before);
    }, 300_000);

    it('backs up with tandem backup, restores into a new data directory with tandem restore, and every record is there', async () => {
      const file = join(work, 'tandem-backup.tar.gz');
      const backup = tandem(['backup', file], scratch.env);
      expect(backup.status, backup.stderr).toBe(0);
      expect(backup.stdout).toMatch(/Backed up .* \(\d+\.\d MB; \d+ organisations, \d+ tables\)/);
      // Later writes to the original do not reach the backup: it is a snapshot.
      const restoredDir = join(work, 'restored');
      const restore = tandem(['restore', file], { TANDEM_DATA_DIR: restoredDir });
      expect(restore.status, restore.stderr).toBe(0);
      expect(await snapshot({ TANDEM_DATA_DIR: restoredDir })).toEqual(before);
      expect(existsSync(join(restoredDir, 'tandem.lock'))).toBe(false);
      // Never over an existing database; a bad file is refused with a reason.
      const again = tandem(['restore', file], { TANDEM_DATA_DIR: restoredDir });
      expect(again.status).toBe(2);
      expect(again.stderr).toMatch(/not empty/);
      const junk = join(work, 'junk.tar.gz');
      writeFileSync(junk, 'not a backup');
      const bad = tandem(['restore', junk], { TANDEM_DATA_DIR: join(work, 'from-junk') });
      expect(bad.status).not.toBe(0);
      expect(bad.stderr.length).toBeGreaterThan(0);
      const migrated = tandem(['migrate'], { TANDEM_DATA_DIR: restoredDir });
      expect(migrated.status, migrated.stderr).toBe(0);
    }, 300_000);
  }
});
