import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/server/db.ts';
import { openPglite, openPostgres } from '../../src/server/platform/db/connect.ts';
import { createScratchDatabase, engineName } from '../setup/engines.ts';
import { syntheticRows, toCsv, type CsvRow } from '../setup/import-csv.ts';

const BIN = new URL('../../bin/tandem.js', import.meta.url).pathname;

const tandem = (args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, DATABASE_URL: '', TANDEM_DATA_DIR: '', ...env, LOG_LEVEL: 'silent' },
    encoding: 'utf8',
    timeout: 120_000,
  });

describe(`tandem import on ${engineName()}`, () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let dir: string;
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  /** Opens the database the command wrote to (after it has exited) and counts what is there, as the superuser. */
  const counts = async () => {
    const handle = scratch.env.DATABASE_URL
      ? await openPostgres<Database>(scratch.env.DATABASE_URL, 1)
      : await openPglite<Database>(scratch.env.TANDEM_DATA_DIR);
    try {
      const { rows } = await sql<{ administrations: number; identities: number; respondents: number; organisations: number; audit: number }>`
        SELECT (SELECT count(*)::int FROM administration) AS administrations,
               (SELECT count(DISTINCT (respondent_id, subject_ref, instrument_id, timepoint, programme, group_label))::int FROM administration) AS identities,
               (SELECT count(*)::int FROM respondent) AS respondents,
               (SELECT count(*)::int FROM organisation) AS organisations,
               (SELECT count(*)::int FROM audit_event WHERE action = 'import:administration') AS audit`.execute(handle.db);
      return rows[0];
    } finally {
      await handle.close();
    }
  };

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    dir = mkdtempSync(join(tmpdir(), 'tandem-import-'));
  });
  afterAll(async () => {
    await scratch?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a bad file before touching the database: exit 2, every bad row on stderr', async () => {
    const rows = syntheticRows(8).map((row, index) => {
      if (index === 1) return { ...row, respondent_role: 'grandmother' };
      if (index === 7) return { ...row, items: { ...row.items, R1: 3 } };
      return row;
    });
    const path = file('bad.csv', toCsv(rows));
    const run = tandem(['import', path], scratch.env);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('nothing imported');
    expect(run.stderr).toContain('line 3, respondent_role: "grandmother" is not one of mother, father, carer, child, teacher, other');
    expect(run.stderr).toContain('line 9, item_R1: 3 is out of range (allowed 0–1)');
    // A fresh embedded data directory is not even created for a refused file.
    if (scratch.env.TANDEM_DATA_DIR) expect(existsSync(join(scratch.env.TANDEM_DATA_DIR, 'PG_VERSION'))).toBe(false);
  });

  it('imports into a fresh database, creating the organisation, and a second run changes nothing', async () => {
    const path = file('good.csv', `\uFEFF${toCsv(syntheticRows(40))}`);
    const first = tandem(['import', path, '--org', 'Family Links'], scratch.env);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/into "Family Links"/);
    expect(first.stdout).toMatch(/imported\s+40\s+\(40 new, 0 updated\)/);
    expect(first.stdout).toMatch(/unchanged\s+0/);
    expect(first.stdout).toMatch(/rejected\s+0/);

    const second = tandem(['import', path, '--org', 'Family Links'], scratch.env);
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/imported\s+0\s+\(0 new, 0 updated\)/);
    expect(second.stdout).toMatch(/unchanged\s+40/);
    expect(await counts()).toMatchObject({ administrations: 40, identities: 40, respondents: 4, organisations: 1, audit: 2 });
  });

  it('with --skip-invalid imports the good rows and writes the rejected ones with a reason column', async () => {
    const rows: CsvRow[] = syntheticRows(12, 99).map((row) => ({ ...row, respondent_id: `S-${row.respondent_id ?? ''}` }));
    rows.splice(2, 1, { ...rows[2], timepoint: 'midway' });
    rows.splice(9, 1, { ...rows[9], completed_on: '2023-02-31' });
    const path = file('mixed.csv', toCsv(rows));
    const rejectedPath = join(dir, 'out', '..', 'mixed-rejected.csv');
    const run = tandem(['import', path, '--skip-invalid', '--rejected', rejectedPath], scratch.env);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/imported\s+10\s+\(10 new, 0 updated\)/);
    expect(run.stdout).toMatch(/rejected\s+2\s+\(written to .*mixed-rejected\.csv\)/);
    const rejected = parse(readFileSync(rejectedPath, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rejected.map((row) => [row.respondent_id, row.reason])).toEqual([
      [rows[2]?.respondent_id, 'line 4, timepoint: "midway" is not one of pre, post, followup'],
      [rows[9]?.respondent_id, 'line 11, completed_on: "2023-02-31" is not a real date'],
    ]);

    // Corrected, the rejected file imports as it is (its reason column is ignored).
    writeFileSync(rejectedPath, readFileSync(rejectedPath, 'utf8').replace('midway', 'followup').replace('2023-02-31', '2023-02-28'));
    const fixed = tandem(['import', rejectedPath], scratch.env);
    expect(fixed.status, fixed.stderr).toBe(0);
    expect(fixed.stdout, fixed.stdout).toMatch(/imported\s+2\s+\(2 new/);
  });

  it('writes the rejected rows next to the input by default', () => {
    const rows: CsvRow[] = syntheticRows(3, 7).map((row) => ({ ...row, respondent_id: `D-${row.respondent_id ?? ''}` }));
    rows.splice(0, 1, { ...rows[0], instrument: 'core-12' });
    const path = file('default.csv', toCsv(rows));
    const run = tandem(['import', path, '--skip-invalid'], scratch.env);
    expect(run.status, run.stderr).toBe(0);
    const rejected = parse(readFileSync(`${path}.rejected.csv`, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rejected[0]?.reason).toMatch(/^line 2, instrument: "core-12" is not a known instrument/);
  });

  it('refuses a row that would replace an administration entered in the app (exit 2), or leaves it out with --skip-invalid', async () => {
    const rows: CsvRow[] = syntheticRows(4, 11).map((row) => ({ ...row, respondent_id: `APP-${row.respondent_id ?? ''}` }));
    const path = file('app.csv', toCsv(rows));
    const first = tandem(['import', path, '--org', 'App Entered'], scratch.env);
    expect(first.status, first.stderr).toBe(0);
    // Turn the stored line 3 into what a paper form entered in the app looks like (same identity key).
    const handle = scratch.env.DATABASE_URL
      ? await openPostgres<Database>(scratch.env.DATABASE_URL, 1)
      : await openPglite<Database>(scratch.env.TANDEM_DATA_DIR);
    try {
      await handle.db.transaction().execute(async (trx) => {
        const { rows: orgs } = await sql<{ id: string }>`SELECT id FROM organisation WHERE name = 'App Entered'`.execute(trx);
        await sql`SELECT set_config('app.org_id', ${orgs[0]?.id ?? ''}, true)`.execute(trx);
        await sql`UPDATE administration SET source = 'paper', import_batch_id = NULL
                  WHERE respondent_id = (SELECT id FROM respondent WHERE external_ref = ${rows[1]?.respondent_id ?? ''})
                    AND instrument_id = ${rows[1]?.instrument ?? ''} AND timepoint = 'pre'`.execute(trx);
      });
    } finally {
      await handle.close();
    }
    const changed = rows.map((row) => ({ ...row, completed_on: '2023-06-01' }));
    const again = file('app-again.csv', toCsv(changed));
    const refused = tandem(['import', again, '--org', 'App Entered'], scratch.env);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/nothing imported; .* has problems on 1 line:\n {2}line 3, \(row\): .*already entered in Tandem from a paper form/);
    const skipped = tandem(['import', again, '--org', 'App Entered', '--skip-invalid'], scratch.env);
    expect(skipped.status, skipped.stderr).toBe(0);
    expect(skipped.stdout).toMatch(/imported\s+3\s+\(0 new, 3 updated\)/);
    const rejected = parse(readFileSync(`${again}.rejected.csv`, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rejected.map((row) => [row.respondent_id, row.completed_on])).toEqual([[rows[1]?.respondent_id, '2023-06-01']]);
    expect(rejected[0]?.reason).toMatch(/^line 3, \(row\): .*an import does not replace it/);
  });

  it('exit 2 for bad arguments: no file, a missing file, two files, an unknown option, a bad header', () => {
    const noFile = tandem(['import'], scratch.env);
    expect(noFile.status).toBe(2);
    expect(noFile.stderr).toMatch(/missing the CSV file/);
    const missing = tandem(['import', join(dir, 'nope.csv')], scratch.env);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/cannot read .*nope\.csv: no such file/);
    expect(tandem(['import', 'a.csv', 'b.csv'], scratch.env).status).toBe(2);
    expect(tandem(['import', 'a.csv', '--colour'], scratch.env).status).toBe(2);
    const header = tandem(['import', file('header.csv', 'respondent_id,instrument\nP1,core-10\n'), '--skip-invalid'], scratch.env);
    expect(header.status).toBe(2);
    expect(header.stderr).toMatch(/line 1, respondent_role: required column is missing from the header/);
    const empty = tandem(['import', file('empty.csv', '')], scratch.env);
    expect(empty.status).toBe(2);
    expect(empty.stderr).toMatch(/is empty/);
  });

  it('has help', () => {
    const help = tandem(['import', '--help'], scratch.env);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: tandem import <file.csv> [--org <name>] [--skip-invalid] [--rejected FILE]');
  });
});
