import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.ts';
import { runScore } from '../../src/cli/score.ts';
import { builtInInstruments } from '../../src/server/modules/measures/instruments/index.ts';
import { parseImportCsv } from '../../src/server/modules/measures/import-rows.ts';
import { buildCasework, pathValuesOf, validRequestFor, type Casework } from '../setup/casework.ts';
import { engineName } from '../setup/engines.ts';
import { createOrgWithStaff, signIn, startTestApp, type Session, type TestContext, type TestOrg } from '../setup/harness.ts';
import { syntheticRows, toCsv } from '../setup/import-csv.ts';
import { exampleOf, fillPath, readOpenApi, routesOf, wellFormed, WRITE_METHODS, type OpenApiDocument, type Route } from '../setup/openapi-routes.ts';

/*
 * Issue 8, item 4: generated bad input thrown at every route of the OpenAPI document (bodies, query strings, path
 * parameters, content types), at the CSV import's row checks and at `tandem score`. What must hold whatever comes in:
 * no 5xx, no stack trace or SQL in the answer, and a refused request leaves every table's row count as it was.
 * Runs are few per route (the whole file stays well under a minute on PGlite); fast-check prints the seed of any
 * failure, and FUZZ_SEED=<n> replays it.
 */

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const runs = (n: number): fc.Parameters<unknown> => ({ numRuns: n, ...(SEED === undefined ? {} : { seed: SEED }), endOnFailure: true });

/** Values of every wrong kind: types, sizes, encodings, dates that do not exist, prototype keys. */
const weird: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.constantFrom(-1, 0, 2 ** 31, 2 ** 53 + 2, 1e308, -1e308, 0.5),
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('\u0000', 'a\u0000b', '\uD800', '\uDFFF', '𝒜👩‍👩‍👧‍👦', '\u202Eevil', ' ', '\t\n', "'; DROP TABLE person; --", '<script>alert(1)</script>'),
  fc.constantFrom('2026-02-30', '0000-00-00', '9999-12-31T99:99:99Z', '1e9', 'NaN', 'Infinity', 'true', 'null', '{}', '[]'),
  fc.integer({ min: 5_000, max: 400_000 }).map((n) => 'x'.repeat(n)),
  fc.uuid(),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
  fc.constant(JSON.parse('{"__proto__": {"polluted": true}}') as unknown),
  fc.constant({ constructor: { prototype: { polluted: true } } }),
);

type Path = (string | number)[];
const DELETE = Symbol('delete');

/** Every path to a value inside a JSON-like body, so nested fields (submission.parents.0.dateOfBirth) are hit too. */
const pathsOf = (value: unknown, prefix: Path = []): Path[] => {
  if (Array.isArray(value)) return [prefix, ...value.flatMap((v, i) => pathsOf(v, [...prefix, i]))];
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    return [prefix, ...Object.entries(value).flatMap(([k, v]) => pathsOf(v, [...prefix, k]))];
  }
  return [prefix];
};

const isContainer = (value: unknown): value is Record<string | number, unknown> => typeof value === 'object' && value !== null && !Buffer.isBuffer(value);

/** A copy of `root` with the value at `path` replaced or deleted; unchanged when an earlier edit removed the path. */
const setAt = (root: unknown, path: Path, replacement: unknown): unknown => {
  if (path.length === 0) return replacement === DELETE ? undefined : replacement;
  if (!isContainer(root)) return root;
  const copy = structuredClone(root);
  let node: unknown = copy;
  for (const key of path.slice(0, -1)) {
    if (!isContainer(node)) return root;
    node = node[key];
  }
  if (!isContainer(node)) return root;
  const last = path[path.length - 1] as string | number;
  if (replacement !== DELETE) node[last] = replacement;
  else if (Array.isArray(node)) node.splice(Number(last), 1);
  else delete node[last];
  return copy;
};

/** A valid body with one to three of its fields (at any depth) removed or replaced by something wrong, or a wrong body outright. */
const badBodyFor = (valid: unknown): fc.Arbitrary<unknown> => {
  const paths = pathsOf(valid);
  const edit = fc.tuple(fc.constantFrom(...paths), fc.oneof({ weight: 1, arbitrary: fc.constant<typeof DELETE>(DELETE) }, { weight: 3, arbitrary: weird }));
  return fc.oneof(
    { weight: 1, arbitrary: weird },
    {
      weight: 4,
      arbitrary: fc.array(edit, { minLength: 1, maxLength: 3 }).map((edits) => edits.reduce<unknown>((body, [path, value]) => (body === undefined ? body : setAt(body, path, value)), valid)),
    },
    { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 10 }), weird, { maxKeys: 3 }).map((extra) => (valid && typeof valid === 'object' ? { ...valid, ...extra } : extra)) },
  );
};

/** Text that is not the JSON it claims to be, or JSON that hurts a parser. */
const badRawBody = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.constantFrom('{', '{"a":', '[1,2', 'nul', '"\\u0000"', '{"a":1,"a":2}', '\uFEFF{}', '{"version": 1e999}', '{"version": -0}'),
  fc.integer({ min: 1_000, max: 150_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
  fc.integer({ min: 1_000, max: 50_000 }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
);
const contentTypes = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-16',
  'text/plain',
  'text/csv',
  'application/x-www-form-urlencoded',
  'application/octet-stream',
  'multipart/form-data; boundary=x',
  'application/pdf',
  'bogus',
);

/** One query-string part: a known parameter or an invented one, with a value from anywhere; or raw bad escapes. */
const queryPart = (names: string[]): fc.Arbitrary<string> =>
  fc.oneof(
    fc
      .tuple(fc.oneof(fc.constantFrom(...(names.length > 0 ? names : ['q'])), fc.string({ maxLength: 10 })), weird)
      .map(([name, value]) => `${encodeURIComponent(wellFormed(name))}=${encodeURIComponent(wellFormed(typeof value === 'string' ? value : (JSON.stringify(value) ?? '')))}`),
    fc.constantFrom('%', '%zz', '%00', '%C0%AF', 'a[b]=1', 'a[][]=1', '__proto__[x]=1', 'limit=-1', 'limit=1e9', 'before=not-a-date', '=', '&&&'),
  );

/** Path parameters that are not ids: wrong shapes, encodings, traversal, sizes, ids of nothing. */
const badPathValue = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.uuid(),
  fc.constantFrom('00000000-0000-0000-0000-000000000000', 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF', '../../etc/passwd', '%00', '\u0000', ' ', '1', '-1', 'null', 'undefined', '{caseId}'),
  fc.integer({ min: 1_000, max: 20_000 }).map((n) => 'a'.repeat(n)),
);

const STACK = /\n\s+at \S|at [\w.<>]+ \(|node_modules|\/src\/server|\.ts:\d+:\d+/;
const SQL = /\b(SELECT\s|INSERT INTO|UPDATE \w+ SET|DELETE FROM|syntax error at|violates (?:foreign key|unique|check|not-null)|duplicate key|invalid input syntax|relation "|column "|pg_catalog|kysely|PGlite)/i;

/** A refused request must change no table. Sign-in may count its failures and audit them; nothing else may move. */
const MAY_CHANGE_WHEN_REFUSED: Record<string, string[]> = { 'POST /api/auth/sign-in': ['signInThrottle', 'auditEvent'] };

describe(`fuzzing every route, the CSV checks and tandem score on ${engineName()}`, () => {
  let ctx: TestContext;
  let filesDir: string;
  let org: TestOrg;
  let casework: Casework;
  let routes: Route[];
  let doc: OpenApiDocument;
  let sessions: { role: string; session: Session }[];
  let countsSql: string;
  let responses = 0;

  const counts = async (): Promise<Record<string, number>> => (await sql.raw<Record<string, number>>(countsSql).execute(ctx.db.db)).rows[0] ?? {};

  /**
   * Sends one request and checks what must hold for any input. Whether a refused request wrote anything is checked
   * per batch (see `batch`): counting every table after each request would take most of this file's time.
   */
  let batchRefusedOnly = true;
  const attack = async (route: Route, label: string, url: string, session: Session, payload: unknown, contentType: string | null): Promise<LightMyRequestResponse> => {
    const headers: Record<string, string> = { cookie: session.cookie, 'x-csrf-token': session.csrf };
    if (contentType) headers['content-type'] = contentType;
    const serialised = payload === undefined ? undefined : typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload);
    const res = await ctx.app.inject({ method: route.method, url, headers, ...(serialised === undefined ? {} : { payload: serialised }) });
    responses += 1;
    if (res.statusCode < 400) batchRefusedOnly = false;
    const context = `${label} ${route.method} ${url.slice(0, 200)} → ${res.statusCode} ${res.body.slice(0, 300)}`;
    expect(res.statusCode, context).toBeLessThan(500);
    expect(STACK.test(res.body), `stack trace in ${context}`).toBe(false);
    const sqlMatch = SQL.exec(res.body);
    // Only a problem when it is not simply the caller's own input echoed back in a field message.
    if (sqlMatch && !`${url}${serialised ?? ''}`.includes(sqlMatch[0])) expect.fail(`SQL text "${sqlMatch[0]}" in ${context}`);
    return res;
  };

  /** Runs one route's property; if every request in it was refused, every table must have kept its row count. */
  const batch = async (route: Route, property: () => Promise<void>): Promise<void> => {
    const write = WRITE_METHODS.has(route.method);
    const before = write ? await counts() : null;
    batchRefusedOnly = true;
    await property();
    if (before && batchRefusedOnly) {
      const after = await counts();
      for (const table of MAY_CHANGE_WHEN_REFUSED[route.key] ?? []) {
        delete before[table];
        delete after[table];
      }
      expect(after, `a refused ${route.key} wrote something`).toEqual(before);
    }
  };

  /** Routes that hash a password (~100 ms) or print a PDF in Chromium (~2 s) when the input is good: fewer runs there. */
  const runsFor = (route: Route, n: number): fc.Parameters<unknown> =>
    runs(/\.pdf$/.test(route.path) ? Math.min(n, 2) : /sign-in|password-reset\/complete|invitations\/accept/.test(route.path) ? Math.min(n, 4) : n);

  beforeAll(async () => {
    filesDir = mkdtempSync(join(tmpdir(), 'tandem-fuzz-files-'));
    ctx = await startTestApp({ TANDEM_FILES_DIR: filesDir });
    org = await createOrgWithStaff(ctx, 'Fuzz');
    const manager = await signIn(ctx.app, org.users.service_manager.email);
    casework = await buildCasework(ctx, org, manager);
    sessions = [
      { role: 'org_admin', session: await signIn(ctx.app, org.users.org_admin.email) },
      { role: 'service_manager', session: manager },
    ];
    // Sign-out would end the session every later run needs; the CSRF and matrix tests cover it.
    doc = await readOpenApi(ctx.app);
    routes = routesOf(doc).filter((r) => r.key !== 'POST /api/auth/sign-out');
    const tables = (
      await sql<{ tableName: string }>`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`.execute(ctx.db.db)
    ).rows.map((r) => r.tableName);
    // One round trip for every count (the check runs after each refused write).
    countsSql = `SELECT ${tables.map((t) => `(SELECT count(*)::int FROM "${t}") AS "${t}"`).join(', ')}`;
  }, 120_000);
  afterAll(async () => {
    await ctx?.close();
    rmSync(filesDir, { recursive: true, force: true });
  });

  const sessionArb = () => fc.constantFrom(...sessions);
  // A path parameter added after this file was written still gets fuzzed, with an id that names nothing.
  const NOTHING = '00000000-0000-4000-8000-000000000000';
  const urlOf = (route: Route, query?: string): string => `${fillPath(route.path, pathValuesOf(casework), NOTHING)}${query ? `?${query}` : ''}`;

  it('bodies of the wrong shape, type, size or encoding: never a 5xx, a stack trace, SQL, or a partial write', async () => {
    const withBodies = routes.filter((r) => r.bodyType !== null);
    expect(withBodies.length).toBeGreaterThan(20);
    for (const route of withBodies) {
      // Routes no test has described yet are fuzzed from an example built from their schema.
      const valid = validRequestFor(route, casework) ?? { body: exampleOf(doc, route.bodySchema) };
      const isJson = route.bodyType === 'application/json';
      const bodies: fc.Arbitrary<unknown> = isJson
        ? badBodyFor(valid?.body ?? {})
        : route.bodyType === 'text/csv'
          ? badCsv
          : fc.oneof(fc.uint8Array({ maxLength: 2048 }).map((bytes) => Buffer.from(bytes)), fc.string());
      await batch(route, () =>
        fc.assert(
          fc.asyncProperty(sessionArb(), bodies, async ({ role, session }, body) => {
            await attack(route, role, urlOf(route, valid?.query), session, body, isJson ? 'application/json' : (valid?.contentType ?? route.bodyType));
          }),
          runsFor(route, 12),
        ),
      );
    }
  });

  it('a NUL character in any text field, query value or path is refused with a 400 naming the field (PostgreSQL cannot store it)', async () => {
    const session = sessions.find((s) => s.role === 'service_manager')?.session;
    const admin = sessions.find((s) => s.role === 'org_admin')?.session;
    if (!session || !admin) throw new Error('no sessions');
    for (const route of routes) {
      const valid = validRequestFor(route, casework) ?? { body: route.bodySchema ? exampleOf(doc, route.bodySchema) : undefined };
      if (route.bodyType !== 'application/json' || valid.body === undefined) continue;
      for (const path of pathsOf(valid.body)) {
        const leaf = path.reduce<unknown>((node, key) => (isContainer(node) ? node[key] : undefined), valid.body);
        if (typeof leaf !== 'string') continue;
        const body = setAt(valid.body, path, `${leaf}\u0000`);
        // Whichever of the two roles may call the route must get the 400; a 403 for both means neither may.
        let res = await attack(route, 'nul', urlOf(route, valid.query), session, body, 'application/json');
        if (res.statusCode === 403) res = await attack(route, 'nul', urlOf(route, valid.query), admin, body, 'application/json');
        expect([400, 403], `${route.key} with NUL at ${path.join('.')}`).toContain(res.statusCode);
      }
    }
    const report = await attack(routes.find((r) => r.key === 'GET /api/cases') ?? (routes[0] as Route), 'nul', '/api/cases?stage=%00', session, undefined, null);
    expect(report.statusCode).toBe(400);
    expect((report.json() as { error: { fields: { path: string }[] } }).error.fields[0]?.path).toBe('query.stage');
  });

  it('raw bodies that are not what their content type says', async () => {
    const writes = routes.filter((r) => WRITE_METHODS.has(r.method));
    for (const route of writes) {
      const valid = validRequestFor(route, casework);
      await batch(route, () =>
        fc.assert(
          fc.asyncProperty(sessionArb(), contentTypes, badRawBody, async ({ role, session }, type, raw) => {
            await attack(route, role, urlOf(route, valid?.query), session, raw, type);
          }),
          runsFor(route, 4),
        ),
      );
    }
  });

  it('bad query strings on every route', async () => {
    for (const route of routes) {
      const names = route.parameters.filter((p) => p.in === 'query').map((p) => p.name);
      const valid = validRequestFor(route, casework);
      const body = route.method === 'GET' ? undefined : valid?.body;
      const type = route.method === 'GET' ? null : (valid?.contentType ?? (valid?.body === undefined ? null : 'application/json'));
      await batch(route, () =>
        fc.assert(
          fc.asyncProperty(sessionArb(), fc.array(queryPart(names), { minLength: 1, maxLength: 4 }), async ({ role, session }, parts) => {
            await attack(route, role, `${fillPath(route.path, pathValuesOf(casework), NOTHING)}?${parts.join('&')}`, session, body, type);
          }),
          runsFor(route, route.parameters.some((p) => p.in === 'query') ? 10 : 2),
        ),
      );
    }
  });

  it('path parameters that are not ids, or ids of nothing', async () => {
    for (const route of routes.filter((r) => r.pathParams.length > 0)) {
      const valid = validRequestFor(route, casework);
      const type = valid?.contentType ?? (valid?.body === undefined ? null : 'application/json');
      await batch(route, () =>
        fc.assert(
          fc.asyncProperty(sessionArb(), fc.constantFrom(...route.pathParams), badPathValue, async ({ role, session }, param, value) => {
            const values = { ...pathValuesOf(casework), [param]: value };
            const res = await attack(route, role, `${fillPath(route.path, values, NOTHING)}${valid?.query ? `?${valid.query}` : ''}`, session, valid?.body, type);
            // Never a record for something that is not one of this organisation's ids.
            if (param !== 'orgSlug') expect(res.statusCode, `${route.key} with ${param}=${JSON.stringify(value).slice(0, 60)}`).toBeGreaterThanOrEqual(400);
          }),
          runsFor(route, 6),
        ),
      );
    }
    expect(responses).toBeGreaterThan(500);
  });
});

// ---- the CSV checks and tandem score: pure, no database ----

const csvBase = toCsv(syntheticRows(6, 7));
const csvCell = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('"', '""', '"a"b', 'a,b', 'line\nbreak', '\r', '\uFEFF', '\u0000', '\uFFFD', '=cmd|calc', '1.5', '-0', '1e3', ' 3 ', 'NaN', '9'.repeat(400), 'é', 'ｍｏｔｈｅｒ'),
);

/** A good import file broken in one to four ways: cells, lines, the header, truncation, stray bytes. */
const badCsv: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.array(fc.array(csvCell, { maxLength: 6 }), { maxLength: 6 }).map((rows) => rows.map((r) => r.join(',')).join('\n')),
  fc
    .array(
      fc.oneof(
        fc.tuple(fc.nat(), fc.nat(), csvCell).map(([line, cell, value]) => (text: string) => {
          const lines = text.split('\n');
          const i = line % lines.length;
          const cells = (lines[i] ?? '').split(',');
          cells[cell % Math.max(cells.length, 1)] = value;
          lines[i] = cells.join(',');
          return lines.join('\n');
        }),
        fc.nat().map((at) => (text: string) => text.slice(0, at % (text.length + 1))),
        fc.tuple(fc.nat(), fc.string({ unit: 'binary', maxLength: 5 })).map(([at, junk]) => (text: string) => {
          const i = at % (text.length + 1);
          return text.slice(0, i) + junk + text.slice(i);
        }),
        fc.nat().map((n) => (text: string) => {
          const lines = text.split('\n');
          lines.splice(n % lines.length, 1);
          return lines.join('\n');
        }),
        fc.constant((text: string) => text.replace(/\n/g, '\r\n')),
        fc.constant((text: string) => `\uFEFF${text}`),
        fc.constant((text: string) => text.replace('respondent_id', 'respondent_id,respondent_id')),
      ),
      { minLength: 1, maxLength: 4 },
    )
    .map((edits) => edits.reduce((text, edit) => edit(text), csvBase)),
);

describe('fuzzing the CSV import checks and tandem score (no database)', () => {
  it('parseImportCsv never throws, and accounts for every data row with a located problem', () => {
    fc.assert(
      fc.property(badCsv, (text) => {
        const parsed = parseImportCsv(text, { today: '2024-06-30' });
        for (const problem of [...parsed.fileProblems, ...parsed.rejected.flatMap((r) => r.problems)]) {
          expect(problem.line).toBeGreaterThanOrEqual(1);
          expect(problem.column.length).toBeGreaterThan(0);
          expect(problem.message.length).toBeGreaterThan(0);
        }
        if (parsed.fileProblems.length === 0) {
          expect(parsed.rows.length + parsed.rejected.length).toBe(parsed.rowsTotal);
          for (const row of parsed.rejected) expect(row.problems.length).toBeGreaterThan(0);
        } else {
          expect(parsed.rows).toEqual([]);
        }
      }),
      runs(400),
    );
  });

  const ids = builtInInstruments.map((i) => i.id);
  const runCli = async (args: string[], stdin: string) => {
    let stdout = '';
    let stderr = '';
    const io: CliIo = {
      readStdin: async () => stdin,
      stdout: (t) => {
        stdout += t;
      },
      stderr: (t) => {
        stderr += t;
      },
    };
    return { code: await runScore(args, io), stdout, stderr };
  };
  const stdinArb = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 4 }), fc.integer({ min: -2, max: 40 }).map(String)), weird, { maxKeys: 12 }).map((items) => JSON.stringify({ items })),
    fc.dictionary(fc.integer({ min: 1, max: 40 }).map(String), fc.oneof(fc.integer({ min: -1, max: 6 }), fc.constant(null), fc.double()), { maxKeys: 40 }).map((items) =>
      JSON.stringify({ items }),
    ),
    fc.constantFrom('', '{', '{"items": null}', '{"items": []}', '{"items": {"1": "2"}}', '{"items": {"__proto__": 1}}', '[]', 'null'),
  );

  it('tandem score never throws: exit 0 with one JSON line, or exit 2 with one line of reason and nothing on stdout', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.constantFrom(...ids), fc.constantFrom('--help', '-x', '', 'CORE-10', 'core-10 ', 'sdq'), fc.string({ maxLength: 10 })), { maxLength: 3 }),
        stdinArb,
        async (args, stdin) => {
          const result = await runCli(args, stdin);
          expect([0, 2]).toContain(result.code);
          if (result.code === 0) {
            expect(result.stderr).toBe('');
            const lines = result.stdout.trimEnd().split('\n');
            expect(lines).toHaveLength(1);
            expect(Object.keys(JSON.parse(lines[0] ?? '') as object)).toEqual(['instrument', 'status', 'scores', 'bands', 'flags', 'valid']);
          } else {
            expect(result.stdout).toBe('');
            expect(result.stderr.startsWith('tandem score: ')).toBe(true);
            expect(result.stderr.endsWith('\n')).toBe(true);
            expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
          }
        },
      ),
      runs(600),
    );
  });
});
