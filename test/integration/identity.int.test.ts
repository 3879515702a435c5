import { sql } from 'kysely';
import { generateTOTP } from '@oslojs/otp';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineName } from '../setup/engines.ts';
import { call, createOrgWithStaff, signIn, startTestApp, TEST_PASSWORD, type TestContext, type TestOrg } from '../setup/harness.ts';

const auditRows = async (ctx: TestContext, orgId: string, action: string) =>
  (
    // Result columns come back camelCased by Kysely's CamelCasePlugin, raw SQL included.
    await sql<{ action: string; entityId: string | null; actorUserId: string | null; ip: string | null }>`
      SELECT action, entity_id, actor_user_id, ip FROM audit_event WHERE organisation_id = ${orgId} AND action = ${action}`.execute(ctx.db.db)
  ).rows;

describe(`identity and sessions on ${engineName()}`, () => {
  let ctx: TestContext;
  let org: TestOrg;
  let other: TestOrg;

  beforeAll(async () => {
    ctx = await startTestApp();
    org = await createOrgWithStaff(ctx, 'Northgate');
    other = await createOrgWithStaff(ctx, 'Southgate');
  });
  afterAll(async () => ctx?.close());

  it('signs in with a session cookie that is httpOnly and SameSite=Lax, and records it', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email: org.users.org_admin.email, password: TEST_PASSWORD } });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'tandem_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');
    expect(cookie?.path).toBe('/');
    const body = res.json();
    expect(body.session.currentOrganisation.id).toBe(org.id);
    expect(body.session.permissions).toContain('manage:users');
    expect((await auditRows(ctx, org.id, 'sign_in')).some((r) => r.entityId === org.users.org_admin.id)).toBe(true);
  });

  it('gives the same answer for a wrong password and an unknown address', async () => {
    const wrong = await ctx.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email: org.users.case_worker.email, password: 'not-the-password' } });
    const unknown = await ctx.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email: 'nobody.here@test.example', password: 'not-the-password' } });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
  });

  it('locks out after five failures, alike for real and invented accounts, and the right password waits too', async () => {
    const real = org.users.facilitator.email;
    const invented = 'invented.person@test.example';
    const attempt = (email: string, password = 'wrong-password-x') =>
      ctx.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email, password } });
    for (let i = 0; i < 5; i += 1) {
      expect((await attempt(real)).statusCode).toBe(401);
      expect((await attempt(invented)).statusCode).toBe(401);
    }
    const lockedReal = await attempt(real);
    const lockedInvented = await attempt(invented);
    expect(lockedReal.statusCode).toBe(429);
    expect(lockedInvented.statusCode).toBe(429);
    expect(lockedReal.json()).toEqual(lockedInvented.json());
    expect(lockedReal.headers['retry-after']).toBeDefined();
    expect((await attempt(real, TEST_PASSWORD)).statusCode).toBe(429);
  });

  it('answers 401 without a session and revokes the session on sign-out', async () => {
    expect((await call(ctx.app, null, 'GET', '/api/session')).statusCode).toBe(401);
    const session = await signIn(ctx.app, org.users.case_worker.email);
    expect((await call(ctx.app, session, 'GET', '/api/session')).statusCode).toBe(200);
    expect((await call(ctx.app, session, 'POST', '/api/auth/sign-out')).statusCode).toBe(204);
    expect((await call(ctx.app, session, 'GET', '/api/session')).statusCode).toBe(401);
  });

  it('ends a session after the idle timeout', async () => {
    const session = await signIn(ctx.app, org.users.evaluator.email);
    const token = session.cookie.split('=')[1] ?? '';
    const { createHash } = await import('node:crypto');
    const id = createHash('sha256').update(token).digest('base64url');
    await sql`UPDATE user_session SET last_seen_at = now() - interval '31 minutes' WHERE id = ${id}`.execute(ctx.db.db);
    expect((await call(ctx.app, session, 'GET', '/api/session')).statusCode).toBe(401);
  });

  it('refuses a cookie-authenticated write without the CSRF token', async () => {
    const session = await signIn(ctx.app, org.users.org_admin.email);
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie: session.cookie },
      payload: { email: 'csrf.victim@test.example', name: 'Victim', role: 'case_worker' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toMatch(/CSRF/);
    const wrong = await ctx.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie: session.cookie, 'x-csrf-token': 'guess' },
      payload: { email: 'csrf.victim@test.example', name: 'Victim', role: 'case_worker' },
    });
    expect(wrong.statusCode).toBe(403);
    const rows = await sql`SELECT 1 FROM app_user WHERE email = 'csrf.victim@test.example'`.execute(ctx.db.db);
    expect(rows.rows).toHaveLength(0);
  });

  it('invites a new person, who chooses a password through the single-use link and signs in', async () => {
    const admin = await signIn(ctx.app, org.users.org_admin.email);
    const res = await call(ctx.app, admin, 'POST', '/api/users', { email: 'New.Worker@Test.Example', name: 'New Worker', role: 'case_worker' });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.user.email).toBe('new.worker@test.example');
    expect(body.user.invitationPending).toBe(true);
    const token = new URL(body.invitationUrl).searchParams.get('token') ?? '';
    const accept = await ctx.app.inject({ method: 'POST', url: '/api/auth/invitations/accept', payload: { token, password: 'a-brand-new-password' } });
    expect(accept.statusCode).toBe(204);
    const again = await ctx.app.inject({ method: 'POST', url: '/api/auth/invitations/accept', payload: { token, password: 'another-new-password' } });
    expect(again.statusCode).toBe(400);
    expect(again.json().error.fields[0].path).toBe('body.token');
    const session = await signIn(ctx.app, 'new.worker@test.example', 'a-brand-new-password');
    const info = (await call(ctx.app, session, 'GET', '/api/session')).json();
    expect(info.currentOrganisation.role).toBe('case_worker');
    expect((await auditRows(ctx, org.id, 'create:user')).some((r) => r.entityId === body.user.id && r.actorUserId === org.users.org_admin.id)).toBe(true);
    expect((await auditRows(ctx, org.id, 'accept:invitation')).some((r) => r.entityId === body.user.id)).toBe(true);
  });

  it('resets a password through an emailed link without revealing whether the account exists', async () => {
    const known = await ctx.app.inject({ method: 'POST', url: '/api/auth/password-reset/request', payload: { email: org.users.service_manager.email } });
    const unknown = await ctx.app.inject({ method: 'POST', url: '/api/auth/password-reset/request', payload: { email: 'no.account@test.example' } });
    expect(known.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect(known.body).toBe(unknown.body);
    const mail = await sql<{ body: string }>`SELECT body FROM email_outbox WHERE to_address = ${org.users.service_manager.email} ORDER BY created_at DESC LIMIT 1`.execute(ctx.db.db);
    const link = /https?:\/\/\S+/.exec(mail.rows[0]?.body ?? '')?.[0] ?? '';
    const token = new URL(link).searchParams.get('token') ?? '';
    const existing = await signIn(ctx.app, org.users.service_manager.email);
    const done = await ctx.app.inject({ method: 'POST', url: '/api/auth/password-reset/complete', payload: { token, password: 'reset-to-this-password' } });
    expect(done.statusCode).toBe(204);
    // Every other session of that person ends when the password changes.
    expect((await call(ctx.app, existing, 'GET', '/api/session')).statusCode).toBe(401);
    await signIn(ctx.app, org.users.service_manager.email, 'reset-to-this-password');
  });

  it('turns on two-step sign-in and then requires the code', async () => {
    const session = await signIn(ctx.app, other.users.case_worker.email);
    const setup = (await call(ctx.app, session, 'POST', '/api/auth/totp/setup')).json();
    expect(setup.uri).toMatch(/^otpauth:\/\/totp\//);
    const bad = await call(ctx.app, session, 'POST', '/api/auth/totp/confirm', { code: '000000' });
    expect(bad.statusCode).toBe(400);
    const code = generateTOTP(decodeBase32IgnorePadding(setup.secret), 30, 6);
    expect((await call(ctx.app, session, 'POST', '/api/auth/totp/confirm', { code })).statusCode).toBe(204);
    const first = await ctx.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email: other.users.case_worker.email, password: TEST_PASSWORD } });
    expect(first.json()).toEqual({ status: 'totp_required' });
    expect(first.cookies.find((c) => c.name === 'tandem_session')).toBeUndefined();
    const second = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email: other.users.case_worker.email, password: TEST_PASSWORD, totp: generateTOTP(decodeBase32IgnorePadding(setup.secret), 30, 6) },
    });
    expect(second.statusCode).toBe(200);
    expect(second.json().status).toBe('signed_in');
  });

  it('switches organisation only into organisations the person belongs to', async () => {
    const admin = await signIn(ctx.app, org.users.org_admin.email);
    // Make the admin a member of the other organisation too.
    const otherAdmin = await signIn(ctx.app, other.users.org_admin.email);
    expect((await call(ctx.app, otherAdmin, 'POST', '/api/users', { email: org.users.org_admin.email, name: 'ignored', role: 'service_manager' })).statusCode).toBe(201);
    const switched = await call(ctx.app, admin, 'POST', '/api/session/organisation', { organisationId: other.id });
    expect(switched.statusCode).toBe(200);
    expect(switched.json().currentOrganisation.role).toBe('service_manager');
    expect(switched.json().organisations).toHaveLength(2);
    const stranger = await signIn(ctx.app, org.users.case_worker.email);
    expect((await call(ctx.app, stranger, 'POST', '/api/session/organisation', { organisationId: other.id })).statusCode).toBe(404);
  });

  it('gives 409 to a stale update and keeps the first change', async () => {
    const admin = await signIn(ctx.app, org.users.org_admin.email);
    const target = org.users.commissioner.id;
    const current = (await call(ctx.app, admin, 'GET', `/api/users/${target}`)).json();
    const first = await call(ctx.app, admin, 'PATCH', `/api/users/${target}`, { role: 'evaluator', version: current.version });
    expect(first.statusCode).toBe(200);
    expect(first.json().version).toBe(current.version + 1);
    const stale = await call(ctx.app, admin, 'PATCH', `/api/users/${target}`, { role: 'case_worker', version: current.version });
    expect(stale.statusCode).toBe(409);
    expect((await call(ctx.app, admin, 'GET', `/api/users/${target}`)).json().role).toBe('evaluator');
  });

  it('names each bad field and writes nothing', async () => {
    const admin = await signIn(ctx.app, org.users.org_admin.email);
    const before = await sql<{ n: number }>`SELECT count(*)::int AS n FROM app_user`.execute(ctx.db.db);
    const res = await call(ctx.app, admin, 'POST', '/api/users', { email: 'not-an-email', name: '', role: 'wizard', extra: 1 });
    expect(res.statusCode).toBe(400);
    const paths = res.json().error.fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['body.email', 'body.name', 'body.role']));
    const longName = await call(ctx.app, admin, 'POST', '/api/users', { email: 'ok.person@test.example', name: 'x'.repeat(201), role: 'case_worker' });
    expect(longName.statusCode).toBe(400);
    expect(longName.json().error.fields[0].path).toBe('body.name');
    const badQuery = await call(ctx.app, admin, 'GET', '/api/audit?from=yesterday&limit=0');
    expect(badQuery.statusCode).toBe(400);
    expect(badQuery.json().error.fields.map((f: { path: string }) => f.path)).toEqual(expect.arrayContaining(['query.from', 'query.limit']));
    const badParam = await call(ctx.app, admin, 'GET', '/api/users/not-a-uuid');
    expect(badParam.statusCode).toBe(400);
    expect(badParam.json().error.fields[0].path).toBe('params.userId');
    const badJson = await ctx.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf, 'content-type': 'application/json' },
      payload: '{"email": ',
    });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.json().error.code).toBe('bad_request');
    const after = await sql<{ n: number }>`SELECT count(*)::int AS n FROM app_user`.execute(ctx.db.db);
    expect(after.rows[0]?.n).toBe(before.rows[0]?.n);
  });

  it('sets security headers on every answer', async () => {
    for (const url of ['/api/health', '/api/session', '/api/openapi.json', '/api/nowhere']) {
      const res = await ctx.app.inject({ method: 'GET', url });
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    }
  });

  it('lets an org admin search the audit trail of their own organisation only', async () => {
    const admin = await signIn(ctx.app, org.users.org_admin.email);
    const res = await call(ctx.app, admin, 'GET', `/api/audit?entityType=user&action=create:user`);
    expect(res.statusCode).toBe(200);
    const events = res.json().events as { entityId: string; action: string }[];
    expect(events.length).toBeGreaterThan(0);
    const ownUserIds = new Set(Object.values(org.users).map((u) => u.id));
    const otherUserIds = new Set(Object.values(other.users).map((u) => u.id));
    expect(events.some((e) => ownUserIds.has(e.entityId))).toBe(true);
    expect(events.some((e) => otherUserIds.has(e.entityId))).toBe(false);
    const page = await call(ctx.app, admin, 'GET', `/api/audit?limit=2`);
    expect(page.json().events).toHaveLength(2);
    const next = await call(ctx.app, admin, 'GET', `/api/audit?limit=2&before=${page.json().nextBefore}`);
    expect(next.json().events[0].seq).toBeLessThan(page.json().events[1].seq + 1);
    expect((await auditRows(ctx, org.id, 'search:audit')).length).toBeGreaterThan(0);
  });
});
