/*
 * `npm run bench:report`: how long the outcomes report takes over 1,000,000 administrations (issue 6: under 2 s
 * on PostgreSQL and under 5 s on PGlite on this machine; issue 8: within 3× of DuckDB). Its own deterministic data
 * (bench/report-data.ts), generated in the database, with outcome_score derived in bulk and checked equal to the
 * real write path on a sample; then the report (buildReport: every measure, by role and site, paired figures with Wilcoxon,
 * McNemar, Jacobson–Truax) several times, against two baselines measured in the same run:
 * - DuckDB (bench/report-duckdb.ts) computing the report's figures from the same rows read back from the first
 *   engine, in memory — the physical limit; its figures are checked equal to ours;
 * - a bare `SELECT count(*), avg(total)` over the administrations (same transaction shape, same role, RLS).
 * Writes bench/results-report.json as [{name, value, unit, baseline, baseline_value, ratio}].
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { sql } from 'kysely';
import pg from 'pg';
import type { Database, Db } from '../src/server/db.ts';
import { createOrganisation } from '../src/server/modules/identity/index.ts';
import { buildReport } from '../src/server/modules/evaluation/index.ts';
import { inScope } from '../src/server/platform/db/scope.ts';
import { openPglite, openPostgres, type DatabaseHandle } from '../src/server/platform/db/connect.ts';
import { migrate } from '../src/server/platform/db/migrate.ts';
import { administrationsSql, derivedSql, familiesFor, generatedSql, respondentsSql, shapesSql, writePathCheckSql } from './report-data.ts';
import { checkSameFigures, duckDbReport, loadDuckDb, type DuckDbBaseline } from './report-duckdb.ts';
import type { BenchResult } from './results.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const POSTGRES_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const RESULTS = new URL('./results-report.json', import.meta.url).pathname;

type Result = BenchResult;
/** Loaded once, from the first engine benchmarked, and timed again after each engine's runs. */
let duck: DuckDbBaseline | null = null;
const DUCKDB = 'DuckDB (@duckdb/node-api) computing the same figures from the same rows, in memory';

const seconds = (since: number): number => (performance.now() - since) / 1000;
const round = (value: number, digits = 3): number => Number(value.toFixed(digits));
const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

/** Administrations re-written through the real write path to check the bulk derivation against it. */
const CHECK_SAMPLE = Number(process.env.BENCH_CHECK_SAMPLE ?? 2000);

/**
 * Loads the synthetic data: the generated rows into a temporary table, the administrations from it with the
 * derivation triggers (and the foreign-key checks) off, outcome_label and outcome_score in bulk from the same
 * rows, then the sample check against the real write path. JIT off, because compiling the generator's wide
 * expressions costs minutes.
 */
const load = async (db: Db): Promise<{ organisationId: string; loadSeconds: number; checked: number }> => {
  const org = await createOrganisation(db, { name: `Report bench ${randomBytes(3).toString('hex')}`, kind: 'provider' });
  const started = performance.now();
  const families = familiesFor(ROWS);
  const checked = await db.transaction().execute(async (trx) => {
    await sql`SELECT set_config('jit', 'off', true)`.execute(trx);
    await sql.raw(respondentsSql(org.id, families)).execute(trx);
    await sql.raw(generatedSql(org.id, families, ROWS)).execute(trx);
    // 'replica' skips ordinary triggers: the derivation below does their work in bulk (and the generated rows
    // reference only the respondents and organisation written above).
    await sql`SELECT set_config('session_replication_role', 'replica', true)`.execute(trx);
    await sql.raw(administrationsSql()).execute(trx);
    const shapes = await sql<{ instrument: string; shape: string }>`${sql.raw(shapesSql())}`.execute(trx);
    for (const statement of derivedSql(org.id, new Map(shapes.rows.map((row) => [row.instrument, row.shape])))) await sql.raw(statement).execute(trx);
    await sql`SELECT set_config('session_replication_role', 'origin', true)`.execute(trx);
    const statements = writePathCheckSql(org.id, CHECK_SAMPLE);
    for (const statement of statements.slice(0, -1)) await sql.raw(statement).execute(trx);
    const check = await sql<{ sampled: number; bulkRows: number; onlyBulk: number; onlyWritePath: number; labelsAdded: number }>`${sql.raw(statements.at(-1) ?? '')}`.execute(trx);
    const result = check.rows[0];
    if (!result || result.onlyBulk !== 0 || result.onlyWritePath !== 0 || result.labelsAdded !== 0 || result.bulkRows !== result.sampled) {
      throw new Error(`bulk-derived outcome_score differs from the write path's on the sample: ${JSON.stringify(result)}`);
    }
    return result.sampled;
  });
  await sql`ANALYZE administration`.execute(db);
  await sql`ANALYZE outcome_score`.execute(db);
  const count = await sql<{ n: number; scores: number }>`
    SELECT (SELECT count(*) FROM administration WHERE organisation_id = ${org.id})::int AS n,
      (SELECT count(*) FROM outcome_score WHERE organisation_id = ${org.id})::int AS scores`.execute(db);
  if (Number(count.rows[0]?.n) !== ROWS || Number(count.rows[0]?.scores) !== ROWS) {
    throw new Error(`expected ${ROWS} administrations and outcome_score rows, got ${JSON.stringify(count.rows[0])}`);
  }
  return { organisationId: org.id, loadSeconds: seconds(started), checked };
};

const baselineQuery = (db: Db, organisationId: string) =>
  inScope(db, { organisationId, userId: null }, (trx) =>
    sql`SELECT count(*), avg((scores ->> 'total')::float8) FROM administration WHERE organisation_id = ${organisationId}`.execute(trx),
  );

const timeRuns = async (label: string, run: () => Promise<unknown>): Promise<number[]> => {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const started = performance.now();
    await run();
    times.push(seconds(started));
    process.stdout.write(`  ${label} run ${i + 1}: ${times.at(-1)?.toFixed(3)} s\n`);
  }
  return times;
};

const benchEngine = async (engine: 'postgres' | 'pglite', handle: DatabaseHandle<Database>): Promise<Result[]> => {
  await migrate(handle);
  process.stdout.write(`${engine}: loading ${ROWS.toLocaleString('en-GB')} administrations…\n`);
  const { organisationId, loadSeconds, checked } = await load(handle.db);
  process.stdout.write(`${engine}: loaded in ${loadSeconds.toFixed(1)} s (${checked} administrations re-written through the write path: outcome_score equal)\n`);
  const report = await buildReport(handle.db, { organisationId, userId: null }, {});
  process.stdout.write(`${engine}: ${report.measures.length} measures, ${report.groups.count} groups (listed: ${report.groups.listed})\n`);
  const reportTimes = await timeRuns(`${engine} report`, () => buildReport(handle.db, { organisationId, userId: null }, {}));
  const filteredTimes = await timeRuns(`${engine} report, one site (groups listed)`, () =>
    buildReport(handle.db, { organisationId, userId: null }, { site: 'Site 2', programme: 'Parenting Together' }),
  );
  const baselineTimes = await timeRuns(`${engine} baseline`, () => baselineQuery(handle.db, organisationId));
  const extra: Result[] = [];
  if (!duck) {
    const started = performance.now();
    duck = await loadDuckDb(handle.db, organisationId, report);
    const loadDuck = seconds(started);
    process.stdout.write(`duckdb: ${duck.rows.toLocaleString('en-GB')} scores read back from ${engine} and loaded in ${loadDuck.toFixed(1)} s\n`);
    const problems = checkSameFigures(report, duck, await duckDbReport(duck));
    process.stdout.write(problems.length === 0 ? 'duckdb: every figure equals ours\n' : `duckdb: ${problems.length} figures differ:\n  ${problems.slice(0, 20).join('\n  ')}\n`);
    extra.push({ name: 'report_duckdb_figures_differing', value: problems.length, unit: 'figures', baseline: null, baseline_value: null, ratio: null });
  }
  const loaded = duck;
  const duckTimes = await timeRuns(`${engine} duckdb`, () => duckDbReport(loaded));
  const duckBase = median(duckTimes);
  const scanBaseline = `SELECT count(*), avg(total) over the same ${ROWS.toLocaleString('en-GB')} rows (${engine}, same scope)`;
  const scanBase = median(baselineTimes);
  const vsDuck = (name: string, value: number): Result => ({ name, value: round(value), unit: 's', baseline: DUCKDB, baseline_value: round(duckBase), ratio: round(value / duckBase, 1) });
  const vsScan = (name: string, value: number): Result => ({ name, value: round(value), unit: 's', baseline: scanBaseline, baseline_value: round(scanBase), ratio: round(value / scanBase, 1) });
  return [
    vsDuck(`report_1m_${engine}_median`, median(reportTimes)),
    vsScan(`report_1m_${engine}_median_vs_scan`, median(reportTimes)),
    vsDuck(`report_1m_${engine}_best`, Math.min(...reportTimes)),
    vsScan(`report_1m_${engine}_one_site_with_groups_median`, median(filteredTimes)),
    { name: `load_1m_${engine}`, value: round(loadSeconds, 1), unit: 's', baseline: null, baseline_value: null, ratio: null },
    ...extra,
  ];
};

const postgres = async (): Promise<Result[]> => {
  const name = `tandem_report_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (error) {
    process.stdout.write(`PostgreSQL not reachable at ${POSTGRES_URL} (${String(error)}); skipped\n`);
    return [];
  }
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  const handle = await openPostgres<Database>(url.toString(), 4);
  try {
    return await benchEngine('postgres', handle);
  } finally {
    await handle.close();
    // The pool has closed its connections; a plain DROP then succeeds without terminating anyone.
    await admin.query(`DROP DATABASE IF EXISTS ${name}`).catch(async () => {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    });
    await admin.end();
  }
};

const pglite = async (): Promise<Result[]> => {
  const handle = await openPglite<Database>(undefined);
  try {
    return await benchEngine('pglite', handle);
  } finally {
    await handle.close();
  }
};

const engines = (process.env.BENCH_ENGINES ?? 'postgres,pglite').split(',');
const results: Result[] = [];
if (engines.includes('postgres')) results.push(...(await postgres()));
if (engines.includes('pglite')) results.push(...(await pglite()));
await duck?.close();
writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`\n${results.map((r) => `${r.name}: ${r.value} ${r.unit}${r.ratio === null ? '' : ` (baseline ${r.baseline_value} s, ×${r.ratio})`}`).join('\n')}\nWrote ${RESULTS}\n`);
