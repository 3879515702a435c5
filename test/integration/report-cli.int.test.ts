import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/server/db.ts';
import { createOrganisation } from '../../src/server/modules/identity/index.ts';
import { openDatabase } from '../../src/server/platform/db/connect.ts';
import { reportFixture, seedAdministrations } from '../setup/evaluation-data.ts';
import { createScratchDatabase, engineName } from '../setup/engines.ts';

const BIN = new URL('../../bin/tandem.js', import.meta.url).pathname;

const tandem = (args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, DATABASE_URL: '', TANDEM_DATA_DIR: '', ...env, LOG_LEVEL: 'silent' },
    encoding: 'utf8',
    timeout: 180_000,
  });

/** Seeds the scratch database through the same code the app uses (the CLI is not running meanwhile). */
const seed = async (env: Record<string, string>): Promise<void> => {
  const handle = await openDatabase<Database>({ databaseUrl: env.DATABASE_URL, dataDir: env.TANDEM_DATA_DIR ?? '' });
  try {
    const org = await createOrganisation(handle.db, { name: 'Default', kind: 'provider', slug: 'default' });
    await seedAdministrations(handle.db, org.id, reportFixture('cli'));
  } finally {
    await handle.close();
  }
};

describe(`tandem report on ${engineName()}`, () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  const out = mkdtempSync(join(tmpdir(), 'tandem-report-'));
  beforeAll(async () => {
    scratch = await createScratchDatabase();
  });
  afterAll(async () => {
    rmSync(out, { recursive: true, force: true });
    await scratch?.drop();
  });

  it('works on a fresh data directory: an empty report, exit 0', () => {
    const run = tandem(['report', '--json'], scratch.env);
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ filters: { programme: null, site: null }, measures: [] });
  });

  it('prints the fixed JSON shape, with filters as options', async () => {
    await seed(scratch.env);
    const run = tandem(['report', '--json', '--site', 'South'], scratch.env);
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { filters: Record<string, unknown>; measures: Record<string, unknown>[] };
    expect(report.filters).toMatchObject({ site: 'South', programme: null, role: null, from: null, to: null });
    const core = report.measures.find((m) => m.instrument === 'core-10' && m.scale === 'total');
    expect(core).toMatchObject({ instrument: 'core-10', scale: 'total', better: 'lower', cutoff: 11, reliable_change: 6 });
    const byRole = core?.by_role as Record<string, Record<string, Record<string, unknown>>>;
    expect(Object.keys(byRole)).toEqual(['all', 'father']);
    const all = byRole.all ?? {};
    for (const tp of ['pre', 'post', 'followup']) {
      expect(Object.keys(all[tp] ?? {})).toEqual(expect.arrayContaining(['n', 'mean', 'sd', 'n_clinical', 'pct_clinical']));
    }
    expect(Object.keys(all.paired ?? {})).toEqual(
      expect.arrayContaining([
        'n',
        'mean_pre',
        'mean_post',
        'mean_change',
        'effect_size_dz',
        'n_clinical_pre',
        'n_recovered',
        'pct_recovered',
        'n_reliable_improvement',
        'n_reliable_deterioration',
        'n_reliable_recovery',
      ]),
    );
    expect(all.pre).toMatchObject({ n: 5, n_clinical: 4, pct_clinical: 80 });
    expect(all.paired).toMatchObject({ n: 5, mean_pre: 14.6, n_reliable_improvement: 2 });
  });

  it('writes the CSV, HTML and PDF exports', () => {
    for (const format of ['csv', 'html', 'pdf'] as const) {
      const file = join(out, `report.${format}`);
      const run = tandem(['report', '--format', format, '--out', file], scratch.env);
      expect(run.status, `${format}: ${run.stderr}`).toBe(0);
      expect(existsSync(file)).toBe(true);
    }
    expect(readFileSync(join(out, 'report.csv'), 'utf8')).toContain('core-10,total,lower');
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<svg');
    expect(readFileSync(join(out, 'report.pdf')).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('refuses bad options with exit 2 and a one-line reason', () => {
    for (const args of [
      ['report', '--json', '--role', 'aunt'],
      ['report', '--json', '--from', '2024-02-30x'],
      ['report', '--json', '--from', '2024-03-01', '--to', '2024-01-01'],
      ['report', '--format', 'pdf'],
      ['report', '--format', 'docx', '--out', 'x'],
      ['report'],
      ['report', '--json', '--org', 'nobody-here'],
      ['report', '--json', '--colour'],
      ['report', '--json', '--dose', 'sometimes'],
      ['report', '--json', '--facilitator', 'not-an-id'],
    ]) {
      const run = tandem(args, scratch.env);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
    expect(tandem(['report', '--json', '--dose', 'sometimes'], scratch.env).stderr).toMatch(/--dose: must be one of all, completers/);
    expect(tandem(['report', '--json', '--facilitator', 'not-an-id'], scratch.env).stderr).toMatch(/--facilitator: must be a facilitator id/);
  });
});
