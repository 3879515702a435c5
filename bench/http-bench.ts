/*
 * HTTP under load and start-up time, against the real server (`tandem start`, its own process, 127.0.0.1 only) on
 * PostgreSQL and on PGlite, each paired with a bare node:http server (also its own process) answering a fixed JSON
 * body of the same size: the most a Node process on this machine can answer. autocannon drives 50 connections for a
 * fixed time; each figure is the median of several runs.
 *
 * Routes: an authenticated case read (GET /api/cases/:id: session lookup, permission, case and family queries under
 * row-level security, an audit row for the read) and a write standing in for a questionnaire submit — there is no
 * questionnaire-submit route yet, so POST /api/cases/:id/notes (validation, insert, audit, in one transaction).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import pg from 'pg';
import type { Database } from '../src/server/db.ts';
import { createOrganisation, createUserWithPassword } from '../src/server/modules/identity/index.ts';
import { openDatabase } from '../src/server/platform/db/connect.ts';
import { migrate } from '../src/server/platform/db/migrate.ts';
import { aReferral } from '../test/setup/referrals.ts';
import { signInTo, startTandem } from './server-process.ts';
import type { BenchResult } from './results.ts';

const CONNECTIONS = 50;
const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 5);
const RUNS = Number(process.env.BENCH_HTTP_RUNS ?? 3);
const PASSWORD = 'bench-password-long-enough';
/** BENCH_HTTP_ENGINES=postgres measures one engine (for trying a change); the full run measures both. */
const ENGINES = (process.env.BENCH_HTTP_ENGINES ?? 'postgres,pglite').split(',');

type Load = { rps: number; p50: number; p99: number; errors: number; non2xx: number };

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

const load = async (options: { url: string; method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string }): Promise<Load> => {
  const runs: Load[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const result = await autocannon({
      url: options.url,
      method: options.method ?? 'GET',
      connections: CONNECTIONS,
      duration: SECONDS,
      headers: options.headers ?? {},
      ...(options.body ? { body: options.body } : {}),
    });
    runs.push({ rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.timeouts, non2xx: result.non2xx });
  }
  return { rps: median(runs.map((r) => r.rps)), p50: median(runs.map((r) => r.p50)), p99: median(runs.map((r) => r.p99)), errors: Math.max(...runs.map((r) => r.errors)), non2xx: Math.max(...runs.map((r) => r.non2xx)) };
};

/** The bare baseline: node:http answering a fixed JSON body, in its own process like the real server. */
const BARE_SERVER = `
const http = require('node:http');
const body = Buffer.from(process.argv[1]);
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }); res.end(body); });
});
server.listen(0, '127.0.0.1', () => process.stdout.write('listening ' + server.address().port + '\\n'));`;

const startBare = (body: string): Promise<{ url: string; startedInMs: number; stop: () => void }> =>
  new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['-e', BARE_SERVER, body], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (chunk: Buffer) => {
      const port = /listening (\d+)/.exec(chunk.toString())?.[1];
      if (port) resolve({ url: `http://127.0.0.1:${port}`, startedInMs: performance.now() - started, stop: () => child.kill('SIGTERM') });
    });
    child.once('exit', (code) => reject(new Error(`bare server exited ${code}`)));
  });

/*
 * The floor under the real server, to show where its time goes: Fastify with a pg pool of the server's size, answering
 * the same body after (a) one round trip (`SELECT 1`) and (b) one committed insert (BEGIN, INSERT, COMMIT: the least an
 * audited read costs, a WAL flush). Both in their own process, on the same PostgreSQL database as the real server.
 */
const FLOOR_SERVER = `
const fastify = require('fastify')({ logger: false });
const pg = require('pg');
const body = process.argv[1];
const pool = new pg.Pool({ connectionString: process.argv[2], max: 10 });
fastify.get('/one', async (req, reply) => { await pool.query('SELECT 1'); reply.type('application/json'); return body; });
fastify.get('/commit', async (req, reply) => {
  const c = await pool.connect();
  try { await c.query('BEGIN'); await c.query('INSERT INTO bench_floor DEFAULT VALUES'); await c.query('COMMIT'); } finally { c.release(); }
  reply.type('application/json'); return body;
});
pool.query('CREATE TABLE IF NOT EXISTS bench_floor (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())')
  .then(() => fastify.listen({ port: 0, host: '127.0.0.1' }))
  .then(() => process.stdout.write('listening ' + fastify.server.address().port + '\\n'));`;

const startFloor = (body: string, databaseUrl: string): Promise<{ url: string; stop: () => void }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', FLOOR_SERVER, body, databaseUrl], { stdio: ['ignore', 'pipe', 'inherit'], cwd: new URL('..', import.meta.url).pathname });
    child.stdout.on('data', (chunk: Buffer) => {
      const port = /listening (\d+)/.exec(chunk.toString())?.[1];
      if (port) resolve({ url: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') });
    });
    child.once('exit', (code) => reject(new Error(`floor server exited ${code}`)));
  });

type Target = { engine: 'postgres' | 'pglite'; env: Record<string, string>; drop: () => Promise<void> };

const postgresTarget = async (adminUrl: string): Promise<Target | null> => {
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch {
    return null;
  }
  const name = `tandem_httpbench_${randomBytes(4).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    engine: 'postgres',
    env: { DATABASE_URL: url.toString() },
    drop: async () => {
      const again = new pg.Client({ connectionString: adminUrl });
      await again.connect();
      await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await again.end();
    },
  };
};

const pgliteTarget = (): Target => {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-httpbench-'));
  return { engine: 'pglite', env: { TANDEM_DATA_DIR: join(dir, 'data') }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
};

/** An organisation and a manager, made directly before the server starts (the embedded start then adds no demo). */
const seed = async (target: Target): Promise<void> => {
  const handle = await openDatabase<Database>(target.env.DATABASE_URL ? { databaseUrl: target.env.DATABASE_URL, dataDir: '' } : { dataDir: target.env.TANDEM_DATA_DIR ?? '' });
  try {
    await migrate(handle);
    const org = await createOrganisation(handle.db, { name: 'Bench Family Services', kind: 'provider' });
    await createUserWithPassword(handle.db, { organisationId: org.id, email: 'bench.manager@test.example', name: 'Bench Manager', role: 'service_manager', password: PASSWORD });
  } finally {
    await handle.close();
  }
};

const startUp = async (env: Record<string, string>, runs: number): Promise<number> => {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const server = await startTandem(env);
    times.push(server.startedInMs);
    await server.stop();
  }
  return median(times);
};

export const runHttpBench = async (postgresUrl: string): Promise<BenchResult[]> => {
  const results: BenchResult[] = [];
  const table: string[][] = [];
  const bareStarts: number[] = [];
  const targets = [ENGINES.includes('postgres') ? await postgresTarget(postgresUrl) : null, ENGINES.includes('pglite') ? pgliteTarget() : null].filter(
    (t): t is Target => t !== null,
  );
  for (const target of targets) {
    try {
      // Start-up on a new database: migrations (and, on a new embedded folder, initdb and the demo data).
      const fresh = await startTandem(target.env);
      const freshMs = fresh.startedInMs;
      await fresh.stop();
      await seed(target);
      const existingMs = await startUp(target.env, 3);

      const server = await startTandem(target.env);
      try {
        const client = await signInTo(server.url, 'bench.manager@test.example', PASSWORD);
        const referral = (await client.request('POST', '/api/referrals', { submission: aReferral() })).json() as { id: string; version: number };
        const decided = (await client.request('POST', `/api/referrals/${referral.id}/decision`, { decision: 'accept', version: referral.version })).json() as { caseId: string };
        const caseId = decided.caseId;
        const read = await client.request('GET', `/api/cases/${caseId}`);
        if (read.status !== 200) throw new Error(`case read ${read.status}`);
        // Cookie and CSRF token for autocannon: sign in once more and keep the raw values.
        const signIn = await fetch(`${server.url}/api/auth/sign-in`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'bench.manager@test.example', password: PASSWORD }),
        });
        const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
        const csrf = ((await signIn.json()) as { session: { csrfToken: string } }).session.csrfToken;

        const bare = await startBare(read.text);
        bareStarts.push(bare.startedInMs);
        try {
          const noteBody = JSON.stringify({ kind: 'contact', occurredOn: '2026-01-05', body: 'Phoned; both parents keen to start the group.' });
          const baseline = await load({ url: `${bare.url}/` });
          const reads = await load({ url: `${server.url}/api/cases/${caseId}`, headers: { cookie } });
          const writes = await load({
            url: `${server.url}/api/cases/${caseId}/notes`,
            method: 'POST',
            headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
            body: noteBody,
          });
          const floors: [string, Load][] = [];
          if (target.env.DATABASE_URL) {
            const floor = await startFloor(read.text, target.env.DATABASE_URL);
            try {
              floors.push(['fastify + 1 pg round trip', await load({ url: `${floor.url}/one` })]);
              floors.push(['fastify + 1 committed insert', await load({ url: `${floor.url}/commit` })]);
            } finally {
              floor.stop();
            }
          }
          for (const [label, l] of [
            ['bare node:http', baseline],
            ...floors,
            [`${target.engine} case read`, reads],
            [`${target.engine} note write`, writes],
          ] as const) {
            table.push([label, Math.round(l.rps).toString(), l.p50.toFixed(1), l.p99.toFixed(1), String(l.errors + l.non2xx)]);
            if (l.errors + l.non2xx > 0) process.stdout.write(`  warning: ${label}: ${l.errors} errors, ${l.non2xx} non-2xx answers\n`);
          }
          const base = `bare node:http fixed JSON body (${read.text.length} bytes), same run, ${CONNECTIONS} connections`;
          for (const [label, l] of floors) {
            const name = label === 'fastify + 1 pg round trip' ? 'http_floor_fastify_one_pg_round_trip' : 'http_floor_fastify_one_committed_insert';
            results.push({ name: `${name}_requests_per_second`, value: Math.round(l.rps), unit: 'requests/s', baseline: base, baseline_value: Math.round(baseline.rps), ratio: Number((l.rps / baseline.rps).toFixed(3)) });
            results.push({ name: `${name}_p99_ms`, value: l.p99, unit: 'ms', baseline: base, baseline_value: baseline.p99, ratio: baseline.p99 > 0 ? Number((l.p99 / baseline.p99).toFixed(1)) : null });
          }
          for (const [name, l] of [
            [`http_${target.engine}_case_read`, reads],
            [`http_${target.engine}_note_write`, writes],
          ] as const) {
            results.push({ name: `${name}_requests_per_second`, value: Math.round(l.rps), unit: 'requests/s', baseline: base, baseline_value: Math.round(baseline.rps), ratio: Number((l.rps / baseline.rps).toFixed(3)) });
            results.push({ name: `${name}_p50_ms`, value: l.p50, unit: 'ms', baseline: base, baseline_value: baseline.p50, ratio: baseline.p50 > 0 ? Number((l.p50 / baseline.p50).toFixed(1)) : null });
            results.push({ name: `${name}_p99_ms`, value: l.p99, unit: 'ms', baseline: base, baseline_value: baseline.p99, ratio: baseline.p99 > 0 ? Number((l.p99 / baseline.p99).toFixed(1)) : null });
          }
        } finally {
          bare.stop();
        }
      } finally {
        await server.stop();
      }
      const bareStart = median(bareStarts);
      const startBase = 'bare node:http server: spawn to listening, same run';
      results.push({ name: `startup_${target.engine}_new_database_ms`, value: Math.round(freshMs), unit: 'ms', baseline: startBase, baseline_value: Math.round(bareStart), ratio: Number((freshMs / bareStart).toFixed(1)) });
      results.push({ name: `startup_${target.engine}_existing_database_ms`, value: Math.round(existingMs), unit: 'ms', baseline: startBase, baseline_value: Math.round(bareStart), ratio: Number((existingMs / bareStart).toFixed(1)) });
      table.push([`${target.engine} start-up: new / existing`, '', `${Math.round(freshMs)} ms`, `${Math.round(existingMs)} ms`, '']);
    } finally {
      await target.drop();
    }
  }
  const head = ['HTTP (50 connections)', 'req/s', 'p50 ms', 'p99 ms', 'errors'];
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  process.stdout.write(`${line(head)}\n${table.map(line).join('\n')}\n`);
  return results;
};
