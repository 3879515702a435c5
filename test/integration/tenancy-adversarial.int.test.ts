import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roles, type Role } from '../../src/shared/permissions.ts';
import { engineName } from '../setup/engines.ts';
import { call, createOrgWithStaff, signIn, startTestApp, TEST_PASSWORD, type Session, type TestContext, type TestOrg } from '../setup/harness.ts';
import { exampleOf, fillPath, organisationFingerprint, readOpenApi, routesOf, rowCounts, WRITE_METHODS, type OpenApiDocument, type Route } from '../setup/openapi-routes.ts';
import { aReferral } from '../setup/referrals.ts';
import { buildCasework, calmRisk, pathValuesOf, sendAs, validRequestFor, type Casework } from '../setup/casework.ts';

/*
 * Issue 8, item 5: the authorization matrix checks each route as each role; this file attacks. It takes the real
 * record ids of another organisation and puts them in every path, body and filter; it sends the pseudonymised and
 * aggregate roles (evaluator, commissioner) at every route; it plants cookies before sign-in, forges CSRF headers
 * and brute-forces sign-in in parallel. Routes come from the OpenAPI document, so a new route is attacked too.
 */

/** Names and words that only the victim organisation's family records contain; none may reach the attacker. */
const VICTIM = { given: 'Zephyrine', family: 'Quillfeather', child: 'Obadiah', note: 'Victim-note-7f3a', disclosure: 'Victim-disclosure-91bc' };

describe(`tenancy and access, adversarially, on ${engineName()}`, () => {
  let ctx: TestContext;
  let filesDir: string;
  let attacker: TestOrg;
  let victim: TestOrg;
  let mine: Casework;
  let theirs: Casework;
  let routes: Route[];
  let doc: OpenApiDocument;
  const sessions = new Map<string, Session>();

  const sessionOf = async (org: TestOrg, role: Role): Promise<Session> => {
    const key = `${org.id}:${role}`;
    const known = sessions.get(key);
    if (known) return known;
    const session = await signIn(ctx.app, org.users[role].email);
    sessions.set(key, session);
    return session;
  };

  const send = (session: Session | null, method: string, url: string, body?: unknown, contentType?: string): Promise<LightMyRequestResponse> =>
    sendAs(ctx, session, method, url, body, contentType);

  /**
   * For a kind of path id that casework.ts does not make (a module added later): a real record of that kind from the
   * organisation's rows if the table can be guessed from the name (groupId → programme_group), else the id of
   * another of its records (its case), which must be refused just the same. Either way a real foreign id.
   */
  const realIdOf = async (organisationId: string, param: string): Promise<string> => {
    const base = param.replace(/Id$/, '').replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    for (const table of [base, `programme_${base}`, `group_${base}`, `case_${base}`]) {
      const exists = await sql<{ t: string | null }>`SELECT to_regclass(${`public.${table}`})::text AS t`.execute(ctx.db.db);
      if (!exists.rows[0]?.t) continue;
      const row = await sql<{ id: string }>`SELECT id::text AS id FROM ${sql.table(table)} WHERE organisation_id = ${organisationId} LIMIT 1`.execute(ctx.db.db).catch(() => null);
      if (row?.rows[0]) return row.rows[0].id;
    }
    return theirs.caseId;
  };

  const victimMarkers = (): string[] => [
    VICTIM.given,
    VICTIM.family,
    VICTIM.child,
    VICTIM.note,
    VICTIM.disclosure,
    victim.id,
    ...Object.values(victim.users).flatMap((u) => [u.id, u.email, u.name]),
    theirs.caseId,
    theirs.referralId,
    theirs.personId,
    theirs.assessmentId,
    theirs.documentId,
  ];

  const expectNoVictimData = (res: LightMyRequestResponse, label: string, allowed: string[] = []): void => {
    for (const marker of victimMarkers()) {
      if (allowed.includes(marker)) continue;
      expect(res.body.includes(marker), `${label} leaked ${marker}: ${res.body.slice(0, 300)}`).toBe(false);
    }
  };

  beforeAll(async () => {
    filesDir = mkdtempSync(join(tmpdir(), 'tandem-adversarial-files-'));
    ctx = await startTestApp({ TANDEM_FILES_DIR: filesDir });
    attacker = await createOrgWithStaff(ctx, 'Attacker');
    victim = await createOrgWithStaff(ctx, 'Victim');
    theirs = await buildCasework(ctx, victim, await sessionOf(victim, 'service_manager'), VICTIM);
    mine = await buildCasework(ctx, attacker, await sessionOf(attacker, 'service_manager'));
    doc = await readOpenApi(ctx.app);
    routes = routesOf(doc);
  }, 120_000);
  afterAll(async () => {
    await ctx?.close();
    rmSync(filesDir, { recursive: true, force: true });
  });

  it("answers every route that takes an id with 403 or 404 for another organisation's real ids, and changes nothing of theirs", async () => {
    const withIds = routes.filter((r) => !r.isPublic && r.pathParams.length > 0);
    expect(withIds.length).toBeGreaterThan(15);
    const before = await organisationFingerprint(ctx.db.db, victim.id);
    const values: Record<string, string> = pathValuesOf(theirs);
    for (const route of withIds) {
      const described = validRequestFor(route, theirs);
      // A route nobody has described a valid request for yet is still attacked, with a body built from its schema;
      // then a 400 (the body, not the id) is an acceptable refusal too. Describe it in casework.ts to tighten.
      const request = described ?? { body: exampleOf(doc, route.bodySchema) };
      const refusals = described ? [403, 404] : [400, 403, 404];
      for (const name of route.pathParams) values[name] ??= await realIdOf(victim.id, name);
      const url = `${fillPath(route.path, values)}${request.query ? `?${request.query}` : ''}`;
      const statuses: number[] = [];
      for (const role of roles) {
        const res = await send(await sessionOf(attacker, role), route.method, url, request.body, request.contentType);
        statuses.push(res.statusCode);
        expect(refusals, `${route.key} as the attacker's ${role}: ${res.statusCode} ${res.body.slice(0, 200)}`).toContain(res.statusCode);
        expectNoVictimData(res, `${route.key} as ${role}`);
      }
      // At least one role got past the permission check, so the refusal came from the record lookup itself.
      if (described) expect(statuses, `${route.key}: every role was stopped by permissions; the id was never looked up`).toContain(404);
    }
    expect(await organisationFingerprint(ctx.db.db, victim.id)).toEqual(before);
  });

  it("refuses another organisation's ids in bodies: programmes, case workers, facilitators, known people", async () => {
    const manager = await sessionOf(attacker, 'service_manager');
    const beforeVictim = await organisationFingerprint(ctx.db.db, victim.id);
    const beforeMine = await organisationFingerprint(ctx.db.db, attacker.id, ['family_case', 'family_member', 'referral', 'assessment', 'assessment_facilitator', 'person']);
    const attempts: { label: string; method: 'POST' | 'PUT'; url: string; body: unknown }[] = [
      { label: 'referral for their programme', method: 'POST', url: '/api/referrals', body: { submission: aReferral({ programmeId: theirs.programmeId }) } },
      { label: 'decision onto their programme', method: 'POST', url: `/api/referrals/${mine.referralId}/decision`, body: { decision: 'accept', programmeId: theirs.programmeId, version: mine.referralVersion } },
      { label: 'decision giving their case worker', method: 'POST', url: `/api/referrals/${mine.referralId}/decision`, body: { decision: 'accept', caseWorkerId: victim.users.case_worker.id, version: mine.referralVersion } },
      {
        label: 'decision linking their person',
        method: 'POST',
        url: `/api/referrals/${mine.referralId}/decision`,
        body: { decision: 'accept', samePeople: [{ parentIndex: 0, personId: theirs.personId }], version: mine.referralVersion },
      },
      { label: 'allocating their case worker', method: 'PUT', url: `/api/cases/${mine.caseId}/case-worker`, body: { caseWorkerId: victim.users.case_worker.id, version: mine.caseVersion } },
      {
        label: 'booking their facilitator',
        method: 'POST',
        url: `/api/cases/${mine.caseId}/assessments`,
        body: { scheduledAt: '2026-12-03T10:00:00Z', facilitatorIds: [victim.users.facilitator.id], caseVersion: mine.caseVersion },
      },
      { label: 'risk assessment of their person on my assessment', method: 'PUT', url: `/api/assessments/${mine.assessmentId}/risk/${theirs.personId}`, body: { ...calmRisk, version: 0 } },
      { label: 'switching into their organisation', method: 'POST', url: '/api/session/organisation', body: { organisationId: victim.id } },
    ];
    for (const attempt of attempts) {
      const res = await call(ctx.app, manager, attempt.method, attempt.url, attempt.body);
      expect([400, 404], `${attempt.label}: ${res.statusCode} ${res.body.slice(0, 200)}`).toContain(res.statusCode);
      expectNoVictimData(res, attempt.label, [theirs.personId, victim.id]);
    }
    expect(await organisationFingerprint(ctx.db.db, victim.id)).toEqual(beforeVictim);
    expect(await organisationFingerprint(ctx.db.db, attacker.id, Object.keys(beforeMine))).toEqual(beforeMine);
    // The attacker's case still has no family member from the other organisation, even at the database level.
    const crossLinks = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM family_member fm JOIN person p ON p.id = fm.person_id WHERE fm.organisation_id <> p.organisation_id`.execute(ctx.db.db);
    expect(crossLinks.rows[0]?.n).toBe(0);
  });

  it("finds nothing when filters name another organisation's records", async () => {
    const theirIds = [theirs.caseId, theirs.personId, victim.users.case_worker.id, victim.id];
    // Filters that name records (…Id, caseWorker); label filters (site, programme name) cannot hold an id.
    const isIdFilter = (name: string): boolean => /(Id|caseWorker)$/.test(name);
    const filtered = routes.filter((r) => r.method === 'GET' && !r.isPublic && r.pathParams.length === 0 && r.parameters.some((p) => p.in === 'query' && isIdFilter(p.name)));
    expect(filtered.map((r) => r.key)).toEqual(expect.arrayContaining(['GET /api/cases', 'GET /api/audit']));
    for (const route of filtered) {
      for (const param of route.parameters.filter((p) => p.in === 'query' && isIdFilter(p.name))) {
        for (const id of theirIds) {
          for (const role of ['org_admin', 'service_manager'] as const) {
            const res = await call(ctx.app, await sessionOf(attacker, role), 'GET', `${route.path}?${param.name}=${encodeURIComponent(id)}`);
            expect(res.statusCode, `${route.key}?${param.name} as ${role}`).toBeLessThan(500);
            expectNoVictimData(res, `${route.key}?${param.name}=<theirs> as ${role}`, [id]);
          }
        }
      }
    }
    // The filters do work: the same filters with the victim's own ids, asked by the victim, find their records.
    const theirManager = await sessionOf(victim, 'service_manager');
    const own = await call(ctx.app, theirManager, 'GET', `/api/cases?caseWorker=unallocated`);
    expect((own.json() as { cases: { id: string }[] }).cases.map((c) => c.id)).toContain(theirs.caseId);
    const theirAdmin = await sessionOf(victim, 'org_admin');
    const audit = await call(ctx.app, theirAdmin, 'GET', `/api/audit?entityId=${theirs.caseId}`);
    expect((audit.json() as { events: unknown[] }).events.length).toBeGreaterThan(0);
    const stolen = await call(ctx.app, await sessionOf(attacker, 'org_admin'), 'GET', `/api/audit?entityId=${theirs.caseId}`);
    expect((stolen.json() as { events: unknown[] }).events).toEqual([]);
  });

  it('gives evaluators and commissioners no personal data on any route, even with their own organisation’s ids', async () => {
    const values = pathValuesOf(mine);
    const personal = ['Dana', 'Fielding', 'Lily', 'Marcus', '1987-03-14', 'dana@family.example', '07700 900123', 'Said little.'];
    for (const role of ['evaluator', 'commissioner'] as const) {
      const session = await signIn(ctx.app, attacker.users[role].email);
      for (const route of routes.filter((r) => !r.isPublic && r.key !== 'POST /api/auth/sign-out')) {
        const request = validRequestFor(route, mine) ?? {};
        const body = request.body ?? (route.method === 'GET' ? undefined : {});
        const url = `${fillPath(route.path, values, '00000000-0000-4000-8000-000000000000')}${request.query ? `?${request.query}` : ''}`;
        const res = await send(session, route.method, url, body, request.contentType);
        for (const word of personal) expect(res.body.includes(word), `${route.key} as ${role} showed "${word}"`).toBe(false);
        // Anything about records (a path id) or a list of them is refused outright, not filtered to empty.
        // Funding's contracts, places and invoices are a commissioner's own business when its agency is a party (they
        // hold no family); any other id is not found, a body is checked before the id is looked up, and what needs a provider's permission is refused.
        if (role === 'commissioner' && route.path.startsWith('/api/funding/') && route.pathParams.length > 0) {
          expect([400, 403, 404], `${route.key} as ${role}`).toContain(res.statusCode);
        } else if (route.pathParams.length > 0 || /^GET \/api\/(cases|referrals|users|audit|my-work|safeguarding-flags|programmes|retention)$/.test(route.key)) {
          expect(res.statusCode, `${route.key} as ${role}`).toBe(403);
        }
      }
    }
  });

  it('serves a calendar feed only by its live secret: a revoked, unknown or malformed token is 404 and tells nothing', async () => {
    const theirFacilitator = await sessionOf(victim, 'facilitator');
    const created = await call(ctx.app, theirFacilitator, 'POST', '/api/me/calendar-feed');
    expect(created.statusCode, created.body).toBe(201);
    const { path } = created.json() as { path: string };
    const live = await send(null, 'GET', path);
    expect(live.statusCode).toBe(200);
    expect(live.headers['content-type']).toContain('text/calendar');
    // Only the hash is stored: the token is nowhere in the database.
    const token = path.split('/').pop() ?? '';
    const stored = await sql<{ n: number }>`SELECT count(*)::int AS n FROM calendar_feed WHERE token_hash = ${token}`.execute(ctx.db.db);
    expect(stored.rows[0]?.n).toBe(0);

    expect((await call(ctx.app, theirFacilitator, 'DELETE', '/api/me/calendar-feed')).json()).toEqual({ revoked: true });
    const refusals = [
      await send(null, 'GET', path),
      await send(await sessionOf(attacker, 'service_manager'), 'GET', path),
      await send(null, 'GET', `/api/calendar-feeds/${'A'.repeat(43)}`),
      await send(null, 'GET', '/api/calendar-feeds/not-a-token'),
    ];
    const bodies = new Set<string>();
    for (const res of refusals) {
      expect(res.statusCode).toBe(404);
      expectNoVictimData(res, 'calendar feed');
      expect(res.body).not.toContain('VCALENDAR');
      bodies.add(res.body);
    }
    // Revoked and never-existing answer alike, so a token's past cannot be probed.
    expect(bodies.size).toBe(1);
    // A new URL works and the old one stays dead.
    const renewed = (await call(ctx.app, theirFacilitator, 'POST', '/api/me/calendar-feed')).json() as { path: string };
    expect((await send(null, 'GET', renewed.path)).statusCode).toBe(200);
    expect((await send(null, 'GET', path)).statusCode).toBe(404);
  });

  it('does not accept a session cookie planted before sign-in (session fixation), and issues fresh tokens each time', async () => {
    const target = attacker.users.case_worker;
    // 1. An invented cookie value sent with the sign-in is ignored and replaced.
    const planted = 'planted-by-an-attacker-0123456789abcdef';
    const first = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      headers: { cookie: `tandem_session=${planted}` },
      payload: { email: target.email, password: TEST_PASSWORD },
    });
    expect(first.statusCode).toBe(200);
    const issued = first.cookies.find((c) => c.name === 'tandem_session')?.value ?? '';
    expect(issued).not.toBe('');
    expect(issued).not.toBe(planted);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/session', headers: { cookie: `tandem_session=${planted}` } })).statusCode).toBe(401);

    // 2. The attacker's own valid session planted in the victim's browser: signing in as the victim issues a new
    //    token, and the planted one stays the attacker's (it never becomes the victim's session).
    const attackerSession = await signIn(ctx.app, attacker.users.facilitator.email);
    const attackerToken = attackerSession.cookie.split('=')[1] ?? '';
    const second = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      headers: { cookie: attackerSession.cookie },
      payload: { email: target.email, password: TEST_PASSWORD },
    });
    expect(second.statusCode).toBe(200);
    const victimToken = second.cookies.find((c) => c.name === 'tandem_session')?.value ?? '';
    expect(victimToken).not.toBe(attackerToken);
    expect(victimToken).not.toBe(issued);
    const whoIsPlanted = (await ctx.app.inject({ method: 'GET', url: '/api/session', headers: { cookie: attackerSession.cookie } })).json() as { user: { id: string } };
    expect(whoIsPlanted.user.id).toBe(attacker.users.facilitator.id);

    // 3. Each sign-in has its own CSRF token; one session's token does not work with another session.
    const csrfOf = (res: LightMyRequestResponse) => (res.json() as { session: { csrfToken: string } }).session.csrfToken;
    expect(csrfOf(first)).not.toBe(csrfOf(second));
    const crossed = await ctx.app.inject({
      method: 'POST',
      url: '/api/cases/' + mine.caseId + '/notes',
      headers: { cookie: `tandem_session=${victimToken}`, 'x-csrf-token': csrfOf(first) },
      payload: { kind: 'contact', occurredOn: '2026-11-03', body: 'Crossed token' },
    });
    expect(crossed.statusCode).toBe(403);

    // 4. After sign-out the token is dead for good, and signing in again gives yet another.
    expect((await ctx.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: { cookie: `tandem_session=${victimToken}`, 'x-csrf-token': csrfOf(second) } })).statusCode).toBe(204);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/session', headers: { cookie: `tandem_session=${victimToken}` } })).statusCode).toBe(401);
    const third = await signIn(ctx.app, target.email);
    expect(third.cookie).not.toContain(victimToken);
  });

  it('refuses every cookie-authenticated write without its CSRF token, or with a token of another session, and writes nothing', async () => {
    const writes = routes.filter((r) => !r.isPublic && WRITE_METHODS.has(r.method));
    expect(writes.length).toBeGreaterThan(20);
    const values = pathValuesOf(mine);
    for (const role of ['org_admin', 'service_manager'] as const) {
      const session = await signIn(ctx.app, attacker.users[role].email);
      // A real token, but of another session of the same person (e.g. from another tab that was signed out).
      const otherSession = await signIn(ctx.app, attacker.users[role].email);
      const before = await rowCounts(ctx.db.db);
      for (const route of writes) {
        const request = validRequestFor(route, mine) ?? { body: {} };
        const url = `${fillPath(route.path, values, '00000000-0000-4000-8000-000000000000')}${request.query ? `?${request.query}` : ''}`;
        for (const token of [undefined, '', 'guess', otherSession.csrf, `${session.csrf} `, session.csrf.toUpperCase()]) {
          const headers: Record<string, string> = { cookie: session.cookie };
          if (token !== undefined) headers['x-csrf-token'] = token;
          if (request.contentType) headers['content-type'] = request.contentType;
          const res = await ctx.app.inject({
            method: route.method,
            url,
            headers,
            ...(request.body === undefined ? {} : { payload: request.body as object }),
          });
          expect(res.statusCode, `${route.key} as ${role} with CSRF ${JSON.stringify(token)}`).toBe(403);
        }
      }
      const after = await rowCounts(ctx.db.db);
      // Sign-ins above add their own session rows and audit entries; nothing else may change.
      expect({ ...after, user_session: 0, audit_event: 0 }).toEqual({ ...before, user_session: 0, audit_event: 0 });
    }
  });

  it('locks an account after five failures even when the guesses arrive all at once, whatever the letter case', async () => {
    const target = attacker.users.evaluator.email;
    const variants = [target, target.toUpperCase(), ` ${target} `, target.replace(/^./, (c) => c.toUpperCase())];
    const burst = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        ctx.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email: variants[i % variants.length], password: `wrong-guess-${i}` } }),
      ),
    );
    const statuses = burst.map((r) => r.statusCode);
    // Each guess that got a 401 was checked against the password: no more than five may be.
    expect(statuses.filter((s) => s === 401).length, `statuses: ${statuses.join(',')}`).toBeLessThanOrEqual(5);
    expect(statuses.every((s) => s === 401 || s === 429), `statuses: ${statuses.join(',')}`).toBe(true);
    const right = await ctx.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email: target, password: TEST_PASSWORD } });
    expect(right.statusCode).toBe(429);
    expect(right.cookies.find((c) => c.name === 'tandem_session')).toBeUndefined();
  });
});
