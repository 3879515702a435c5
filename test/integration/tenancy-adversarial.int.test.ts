import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInProgrammes, createProgrammes } from '../../src/server/modules/programmes/index.ts';
import { roles, type Role } from '../../src/shared/permissions.ts';
import { engineName } from '../setup/engines.ts';
import { call, createOrgWithStaff, signIn, startTestApp, TEST_PASSWORD, type Session, type TestContext, type TestOrg } from '../setup/harness.ts';
import { fillPath, organisationFingerprint, readOpenApi, routesOf, rowCounts, WRITE_METHODS, type Route } from '../setup/openapi-routes.ts';
import { aReferral } from '../setup/referrals.ts';

/*
 * Issue 8, item 5: the authorization matrix checks each route as each role; this file attacks. It takes the real
 * record ids of another organisation and puts them in every path, body and filter; it sends the pseudonymised and
 * aggregate roles (evaluator, commissioner) at every route; it plants cookies before sign-in, forges CSRF headers
 * and brute-forces sign-in in parallel. Routes come from the OpenAPI document, so a new route is attacked too.
 */

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const calmRisk = { riskToChild: 'low', domesticAbuse: 'none', domesticAbuseIndicated: false, mentalHealth: 'none', substanceUse: 'none' };

/** Names and words that only the victim organisation's family records contain; none may reach the attacker. */
const VICTIM = { given: 'Zephyrine', family: 'Quillfeather', child: 'Obadiah', note: 'Victim-note-7f3a', disclosure: 'Victim-disclosure-91bc' };

type Records = {
  org: TestOrg;
  manager: Session;
  referralId: string;
  referralVersion: number;
  caseId: string;
  caseVersion: number;
  personId: string;
  assessmentId: string;
  assessmentVersion: number;
  flagId: string;
  flagVersion: number;
  documentId: string;
  notificationId: string;
  programmeId: string;
};

describe(`tenancy and access, adversarially, on ${engineName()}`, () => {
  let ctx: TestContext;
  let filesDir: string;
  let attacker: TestOrg;
  let victim: TestOrg;
  let mine: Records;
  let theirs: Records;
  let routes: Route[];
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
    contentType
      ? ctx.app.inject({
          method: method as 'POST',
          url,
          headers: { ...(session ? { cookie: session.cookie, 'x-csrf-token': session.csrf } : {}), 'content-type': contentType },
          payload: body as Buffer,
        })
      : call(ctx.app, session, method as 'GET', url, body);

  const ok = (res: LightMyRequestResponse, what: string): LightMyRequestResponse => {
    if (res.statusCode >= 300) throw new Error(`fixture ${what}: ${res.statusCode} ${res.body}`);
    return res;
  };

  /** A referral, a case with an assessment, a safeguarding flag, a note, a document and a notification. */
  const buildRecords = async (org: TestOrg, names = { given: 'Dana', family: 'Fielding', child: 'Lily', note: 'Called.', disclosure: 'Said little.' }): Promise<Records> => {
    const manager = await sessionOf(org, 'service_manager');
    const referral = aReferral({
      parents: [
        { givenName: names.given, familyName: names.family, dateOfBirth: '1987-03-14', gender: 'female', relationship: 'birth_parent', email: `${names.given.toLowerCase()}@family.example`, willingToAttend: true },
        { givenName: 'Marcus', familyName: names.family, dateOfBirth: '1985-07-02', gender: 'male', relationship: 'birth_parent', phone: '07700 900123', willingToAttend: true },
      ],
      children: [{ givenName: names.child, familyName: names.family, dateOfBirth: '2020-05-05' }],
    });
    const pending = ok(await call(ctx.app, manager, 'POST', '/api/referrals', { submission: referral }), 'referral').json() as { id: string; version: number };
    const toAccept = ok(await call(ctx.app, manager, 'POST', '/api/referrals', { submission: referral }), 'referral').json() as { id: string; version: number };
    const accepted = ok(
      await call(ctx.app, manager, 'POST', `/api/referrals/${toAccept.id}/decision`, { decision: 'accept', version: toAccept.version }),
      'accept',
    ).json() as { caseId: string };
    const caseId = accepted.caseId;
    let detail = ok(await call(ctx.app, manager, 'GET', `/api/cases/${caseId}`), 'case').json() as { version: number; members: { personId: string; isChild: boolean }[] };
    const adults = detail.members.filter((m) => !m.isChild).map((m) => m.personId);
    const booked = ok(
      await call(ctx.app, manager, 'POST', `/api/cases/${caseId}/assessments`, {
        scheduledAt: '2026-12-01T10:00:00Z',
        facilitatorIds: [org.users.facilitator.id],
        caseVersion: detail.version,
      }),
      'assessment',
    ).json() as { id: string; version: number };
    ok(
      await call(ctx.app, manager, 'PUT', `/api/assessments/${booked.id}/risk/${adults[0]}`, {
        ...calmRisk,
        riskToChild: 'high',
        disclosure: names.disclosure,
        version: 0,
      }),
      'risk',
    );
    ok(await call(ctx.app, manager, 'POST', `/api/cases/${caseId}/notes`, { kind: 'contact', occurredOn: '2026-11-01', body: names.note }), 'note');
    const documentId = (ok(await send(manager, 'POST', `/api/cases/${caseId}/documents?fileName=letter.pdf`, PDF, 'application/pdf'), 'document').json() as { id: string }).id;
    detail = ok(await call(ctx.app, manager, 'GET', `/api/cases/${caseId}`), 'case').json() as typeof detail;
    const full = detail as typeof detail & { safeguardingFlags: { id: string; version: number }[] };
    const flag = full.safeguardingFlags[0];
    if (!flag) throw new Error('fixture: no safeguarding flag');
    const assessment = ok(await call(ctx.app, manager, 'GET', `/api/assessments/${booked.id}`), 'assessment').json() as { version: number };
    const work = ok(await call(ctx.app, manager, 'GET', '/api/my-work'), 'my work').json() as { notifications: { id: string }[] };
    const notificationId = work.notifications[0]?.id;
    if (!notificationId) throw new Error('fixture: no notification');
    // Test organisations start without programmes; the built-in ones give each side a real programme id.
    const [programmeId] = await createProgrammes(ctx.db.db, org.id, builtInProgrammes);
    if (!programmeId) throw new Error('fixture: no programme');
    const freshPending = ok(await call(ctx.app, manager, 'GET', `/api/referrals/${pending.id}`), 'referral').json() as { version: number };
    return {
      org,
      manager,
      referralId: pending.id,
      referralVersion: freshPending.version,
      caseId,
      caseVersion: detail.version,
      personId: adults[0] ?? '',
      assessmentId: booked.id,
      assessmentVersion: assessment.version,
      flagId: flag.id,
      flagVersion: flag.version,
      documentId,
      notificationId,
      programmeId,
    };
  };

  /** The value for each kind of path id, taken from one organisation's records. */
  const pathValues = (r: Records): Record<string, string> => ({
    userId: r.org.users.facilitator.id,
    referralId: r.referralId,
    caseId: r.caseId,
    assessmentId: r.assessmentId,
    personId: r.personId,
    flagId: r.flagId,
    documentId: r.documentId,
    notificationId: r.notificationId,
    orgSlug: r.org.slug,
  });

  /**
   * A body for each write route that would be accepted for a record of one's own, so that the foreign id is the
   * only reason left to refuse it. A route with a path id and a body but no entry here fails the first test.
   */
  const validBody = (route: Route, r: Records): { body?: unknown; contentType?: string; query?: string } | null => {
    const bodies: Record<string, { body?: unknown; contentType?: string; query?: string }> = {
      'PATCH /api/users/{userId}': { body: { active: true, version: 1 } },
      'POST /api/referrals/{referralId}/decision': { body: { decision: 'waiting_list', reason: 'Group full', version: r.referralVersion } },
      'POST /api/cases/{caseId}/stage': { body: { to: 'withdrawn', reason: 'Moved away', version: r.caseVersion } },
      'PUT /api/cases/{caseId}/case-worker': { body: { caseWorkerId: null, version: r.caseVersion } },
      'POST /api/cases/{caseId}/assessments': { body: { scheduledAt: '2026-12-02T10:00:00Z', facilitatorIds: [r.org.users.facilitator.id], caseVersion: r.caseVersion } },
      'PUT /api/assessments/{assessmentId}/joint-interview': { body: { notes: 'Overwritten by a stranger', version: r.assessmentVersion } },
      'PUT /api/assessments/{assessmentId}/risk/{personId}': { body: { ...calmRisk, version: 1 } },
      'POST /api/assessments/{assessmentId}/outcome': { body: { outcome: 'not_suitable', onwardReferral: 'Elsewhere', version: r.assessmentVersion } },
      'POST /api/safeguarding-flags/{flagId}/resolve': { body: { decision: 'Closed by a stranger', version: r.flagVersion } },
      'POST /api/cases/{caseId}/take': { body: { version: r.caseVersion } },
      'POST /api/notifications/{notificationId}/read': {},
      'POST /api/cases/{caseId}/notes': { body: { kind: 'contact', occurredOn: '2026-11-03', body: 'Planted note' } },
      'POST /api/cases/{caseId}/documents': { body: PDF, contentType: 'application/pdf', query: 'fileName=planted.pdf' },
      'POST /api/people/{personId}/erasure': { body: { reason: 'Erasure by a stranger' } },
      'POST /api/public/referral-forms/{orgSlug}': { body: { submission: aReferral() } },
    };
    const entry = bodies[route.key];
    if (entry) return entry;
    return route.method === 'GET' ? {} : null;
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
    theirs = await buildRecords(victim, VICTIM);
    mine = await buildRecords(attacker);
    routes = routesOf(await readOpenApi(ctx.app));
  }, 120_000);
  afterAll(async () => {
    await ctx?.close();
    rmSync(filesDir, { recursive: true, force: true });
  });

  it("answers every route that takes an id with 403 or 404 for another organisation's real ids, and changes nothing of theirs", async () => {
    const withIds = routes.filter((r) => !r.isPublic && r.pathParams.length > 0);
    expect(withIds.length).toBeGreaterThan(15);
    const before = await organisationFingerprint(ctx.db.db, victim.id);
    const values = pathValues(theirs);
    for (const route of withIds) {
      const request = validBody(route, theirs);
      expect(request, `${route.key}: add a valid body to validBody() so the foreign id is the only reason to refuse it`).not.toBeNull();
      for (const name of route.pathParams) expect(values[name], `${route.key}: no foreign record for {${name}}`).toBeDefined();
      const url = `${fillPath(route.path, values)}${request?.query ? `?${request.query}` : ''}`;
      const statuses: number[] = [];
      for (const role of roles) {
        const res = await send(await sessionOf(attacker, role), route.method, url, request?.body, request?.contentType);
        statuses.push(res.statusCode);
        expect([403, 404], `${route.key} as the attacker's ${role}: ${res.statusCode} ${res.body.slice(0, 200)}`).toContain(res.statusCode);
        expectNoVictimData(res, `${route.key} as ${role}`);
      }
      // At least one role got past the permission check, so the refusal came from the record lookup itself.
      expect(statuses, `${route.key}: every role was stopped by permissions; the id was never looked up`).toContain(404);
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
    const theirIds = [theirs.caseId, theirs.referralId, theirs.personId, victim.users.case_worker.id, victim.users.service_manager.id, victim.id];
    const filtered = routes.filter((r) => r.method === 'GET' && !r.isPublic && r.pathParams.length === 0 && r.parameters.some((p) => p.in === 'query'));
    expect(filtered.map((r) => r.key)).toEqual(expect.arrayContaining(['GET /api/cases', 'GET /api/audit']));
    for (const route of filtered) {
      for (const param of route.parameters.filter((p) => p.in === 'query')) {
        for (const id of theirIds) {
          for (const role of ['org_admin', 'service_manager', 'case_worker'] as const) {
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
    const values = pathValues(mine);
    const personal = ['Dana', 'Fielding', 'Lily', 'Marcus', '1987-03-14', 'dana@family.example', '07700 900123', 'Said little.'];
    for (const role of ['evaluator', 'commissioner'] as const) {
      const session = await signIn(ctx.app, attacker.users[role].email);
      for (const route of routes.filter((r) => !r.isPublic && r.key !== 'POST /api/auth/sign-out')) {
        const request = validBody(route, mine) ?? {};
        const body = request.body ?? (route.method === 'GET' ? undefined : {});
        const url = `${fillPath(route.path, values)}${request.query ? `?${request.query}` : ''}`;
        const res = await send(session, route.method, url, body, request.contentType);
        for (const word of personal) expect(res.body.includes(word), `${route.key} as ${role} showed "${word}"`).toBe(false);
        // Anything about records (a path id) or a list of them is refused outright, not filtered to empty.
        if (route.pathParams.length > 0 || /^GET \/api\/(cases|referrals|users|audit|my-work|safeguarding-flags|programmes|retention)$/.test(route.key)) {
          expect(res.statusCode, `${route.key} as ${role}`).toBe(403);
        }
      }
    }
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
    const values = pathValues(mine);
    for (const role of ['org_admin', 'service_manager'] as const) {
      const session = await signIn(ctx.app, attacker.users[role].email);
      // A real token, but of another session of the same person (e.g. from another tab that was signed out).
      const otherSession = await signIn(ctx.app, attacker.users[role].email);
      const before = await rowCounts(ctx.db.db);
      for (const route of writes) {
        const request = validBody(route, mine) ?? { body: {} };
        const url = `${fillPath(route.path, values)}${request.query ? `?${request.query}` : ''}`;
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
