import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInProgrammes, createProgrammes } from '../../src/server/modules/programmes/index.ts';
import { engineName } from '../setup/engines.ts';
import { call, createOrgWithStaff, signIn, startTestApp, type Session, type TestContext, type TestOrg } from '../setup/harness.ts';
import { aReferral, yearsAgo } from '../setup/referrals.ts';

const slugOf = async (ctx: TestContext, orgId: string): Promise<string> =>
  (await sql<{ slug: string }>`SELECT slug FROM organisation WHERE id = ${orgId}`.execute(ctx.db.db)).rows[0]?.slug ?? '';

const count = async (ctx: TestContext, table: string): Promise<number> =>
  (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(ctx.db.db)).rows[0]?.n ?? 0;

describe(`referral to case on ${engineName()}`, () => {
  let ctx: TestContext;
  let org: TestOrg;
  let slug: string;
  let papId: string;
  let manager: Session;
  let worker: Session;

  beforeAll(async () => {
    ctx = await startTestApp();
    org = await createOrgWithStaff(ctx, 'Journey');
    slug = await slugOf(ctx, org.id);
    [papId] = (await createProgrammes(ctx.db.db, org.id, builtInProgrammes)) as [string];
    manager = await signIn(ctx.app, org.users.service_manager.email);
    worker = await signIn(ctx.app, org.users.case_worker.email);
  });
  afterAll(async () => ctx?.close());

  it('shows the public form with the programmes that take referrals, and nothing for an unknown organisation', async () => {
    const form = await call(ctx.app, null, 'GET', `/api/public/referral-forms/${slug}`);
    expect(form.statusCode).toBe(200);
    expect(form.json().programmes.map((p: { name: string }) => p.name)).toContain('Parents as Partners');
    expect((await call(ctx.app, null, 'GET', '/api/public/referral-forms/no-such-org')).statusCode).toBe(404);
  });

  it('takes a self-referral without sign-in, tells the managers, and answers the same for a robot (honeypot) while storing nothing', async () => {
    const before = await count(ctx, 'referral');
    const res = await call(ctx.app, null, 'POST', `/api/public/referral-forms/${slug}`, { submission: aReferral({ programmeId: papId }) });
    expect(res.statusCode).toBe(201);
    expect(res.json().reference).toMatch(/^R-[A-Z0-9]{8}$/);
    expect(await count(ctx, 'referral')).toBe(before + 1);
    const robot = await call(ctx.app, null, 'POST', `/api/public/referral-forms/${slug}`, { submission: aReferral(), website: 'http://spam.example' });
    expect(robot.statusCode).toBe(201);
    expect(Object.keys(robot.json())).toEqual(Object.keys(res.json()));
    expect(robot.json().message).toBe(res.json().message);
    expect(await count(ctx, 'referral')).toBe(before + 1);
    const work = (await call(ctx.app, manager, 'GET', '/api/my-work')).json();
    expect(work.notifications.some((n: { message: string }) => n.message.includes(res.json().reference))).toBe(true);
    expect(work.tasks.some((t: { kind: string }) => t.kind === 'triage_referral')).toBe(true);
  });

  it('refuses bad referrals field by field and stores nothing', async () => {
    const before = await count(ctx, 'referral');
    const future = new Date(Date.now() + 86_400_000 * 30).toISOString().slice(0, 10);
    const bad = aReferral({
      children: [{ givenName: 'Lily', familyName: 'Fielding', dateOfBirth: future }],
      reason: 'x'.repeat(4001),
      programmeId: '00000000-0000-4000-8000-000000000000',
    });
    const res = await call(ctx.app, null, 'POST', `/api/public/referral-forms/${slug}`, { submission: { ...bad, consent: { toReferral: false, toShareInformation: 'maybe' } } });
    expect(res.statusCode).toBe(400);
    const paths = res.json().error.fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining(['body.submission.children.0.dateOfBirth', 'body.submission.reason', 'body.submission.consent.toReferral', 'body.submission.consent.toShareInformation']),
    );
    const unknownProgramme = await call(ctx.app, null, 'POST', `/api/public/referral-forms/${slug}`, { submission: aReferral({ programmeId: '00000000-0000-4000-8000-000000000000' }) });
    expect(unknownProgramme.statusCode).toBe(400);
    expect(unknownProgramme.json().error.fields[0].path).toBe('body.submission.programmeId');
    const missing = await call(ctx.app, null, 'POST', `/api/public/referral-forms/${slug}`, { submission: { parents: [], children: [] } });
    expect(missing.statusCode).toBe(400);
    const huge = await ctx.app.inject({
      method: 'POST',
      url: `/api/public/referral-forms/${slug}`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ submission: aReferral(), padding: 'x'.repeat(70 * 1024) }),
    });
    expect(huge.statusCode).toBe(413);
    expect(await count(ctx, 'referral')).toBe(before);
  });

  it('checks eligibility with reasons, shows possible duplicates, and accepting opens a case in the caseload', async () => {
    const older = aReferral({
      programmeId: papId,
      children: [{ givenName: 'Sam', familyName: 'Fielding', dateOfBirth: yearsAgo(12) }],
      circumstances: { activeCourtProceedings: 'unknown', adoptiveFamily: false },
    });
    const created = await call(ctx.app, worker, 'POST', '/api/referrals', { submission: older });
    expect(created.statusCode).toBe(201);
    const referral = created.json();
    expect(referral.eligible).toBe('no');
    expect(referral.eligibility.find((e: { rule: string }) => e.rule.includes('under 11')).reason).toMatch(/youngest child is 12/);
    expect(referral.eligibility.find((e: { rule: string }) => e.rule.includes('court')).met).toBe('unknown');

    // Accept the first referral (the Fieldings), then a second referral of the same people shows them as known.
    const queue = (await call(ctx.app, worker, 'GET', '/api/referrals?status=new')).json().referrals;
    const first = queue.find((r: { eligible: string }) => r.eligible === 'yes');
    const accepted = await call(ctx.app, worker, 'POST', `/api/referrals/${first.id}/decision`, {
      decision: 'accept',
      caseWorkerId: org.users.case_worker.id,
      version: first.version,
    });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json().status).toBe('accepted');
    const caseId = accepted.json().caseId;
    const again = await call(ctx.app, worker, 'POST', `/api/referrals/${first.id}/decision`, { decision: 'decline', reason: 'x', version: accepted.json().version });
    expect(again.statusCode).toBe(409);

    const dupes = (await call(ctx.app, worker, 'GET', `/api/referrals/${referral.id}`)).json().possibleDuplicates;
    expect(dupes.some((d: { matchedOn: string[] }) => d.matchedOn.includes('name_and_date_of_birth'))).toBe(true);
    expect(dupes.some((d: { matchedOn: string[] }) => d.matchedOn.includes('email'))).toBe(true);
    const dana = dupes.find((d: { parentIndex: number }) => d.parentIndex === 0);
    const people = await count(ctx, 'person');
    const second = await call(ctx.app, worker, 'POST', `/api/referrals/${referral.id}/decision`, {
      decision: 'accept',
      samePeople: [{ parentIndex: 0, personId: dana.personId }],
      version: referral.version + 0,
    });
    expect(second.statusCode, second.body).toBe(200);
    // Dana is linked, not duplicated: one new adult (Marcus) and one child.
    expect(await count(ctx, 'person')).toBe(people + 2);

    const caseload = (await call(ctx.app, worker, 'GET', '/api/cases?caseWorker=me')).json().cases;
    expect(caseload.map((c: { id: string }) => c.id)).toContain(caseId);
    const detail = (await call(ctx.app, worker, 'GET', `/api/cases/${caseId}`)).json();
    expect(detail.stage).toBe('triaged');
    expect(detail.members.map((m: { givenName: string }) => m.givenName).sort()).toEqual(['Dana', 'Lily', 'Marcus']);
    expect(detail.history.map((h: { toStage: string }) => h.toStage)).toEqual(['referred', 'triaged']);
    const viewed = await sql`SELECT 1 FROM audit_event WHERE action = 'view:case' AND entity_id = ${caseId}`.execute(ctx.db.db);
    expect(viewed.rows.length).toBeGreaterThan(0);
  });

  it('declines with a reason only, redirects with a destination only', async () => {
    const r = (await call(ctx.app, worker, 'POST', '/api/referrals', { submission: aReferral() })).json();
    const noReason = await call(ctx.app, worker, 'POST', `/api/referrals/${r.id}/decision`, { decision: 'decline', version: r.version });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.fields[0].path).toBe('body.reason');
    const noWhere = await call(ctx.app, worker, 'POST', `/api/referrals/${r.id}/decision`, { decision: 'redirect', version: r.version });
    expect(noWhere.json().error.fields[0].path).toBe('body.redirectedTo');
    const redirected = await call(ctx.app, worker, 'POST', `/api/referrals/${r.id}/decision`, { decision: 'redirect', redirectedTo: 'Local mediation service', version: r.version });
    expect(redirected.json()).toMatchObject({ status: 'redirected', redirectedTo: 'Local mediation service', caseId: null });
  });

  it('moves a case only along allowed stages, keeps who and why, and refuses a stale version', async () => {
    const r = (await call(ctx.app, worker, 'POST', '/api/referrals', { submission: aReferral({ programmeId: papId }) })).json();
    const caseId = (await call(ctx.app, worker, 'POST', `/api/referrals/${r.id}/decision`, { decision: 'accept', caseWorkerId: org.users.case_worker.id, version: r.version })).json().caseId;
    const c = (await call(ctx.app, worker, 'GET', `/api/cases/${caseId}`)).json();
    expect(c.allowedNextStages).toEqual(['assessment_booked', 'withdrawn', 'closed']);
    const skip = await call(ctx.app, worker, 'POST', `/api/cases/${caseId}/stage`, { to: 'in_service', version: c.version });
    expect(skip.statusCode).toBe(400);
    expect(skip.json().error.fields[0].path).toBe('body.to');
    const booked = await call(ctx.app, worker, 'POST', `/api/cases/${caseId}/stage`, { to: 'assessment_booked', reason: 'Booked for next Tuesday', version: c.version });
    expect(booked.statusCode).toBe(200);
    expect(booked.json().history.at(-1)).toMatchObject({ fromStage: 'triaged', toStage: 'assessment_booked', reason: 'Booked for next Tuesday', changedByName: org.users.case_worker.name });
    const stale = await call(ctx.app, worker, 'POST', `/api/cases/${caseId}/stage`, { to: 'withdrawn', reason: 'Moved away', version: c.version });
    expect(stale.statusCode).toBe(409);
    const withdrawNoReason = await call(ctx.app, worker, 'POST', `/api/cases/${caseId}/stage`, { to: 'withdrawn', version: booked.json().version });
    expect(withdrawNoReason.statusCode).toBe(400);
    expect((await call(ctx.app, worker, 'GET', `/api/cases/${caseId}`)).json().stage).toBe('assessment_booked');
  });

  it('lets a manager reallocate; a case worker sees only their own and unallocated cases', async () => {
    const r = (await call(ctx.app, manager, 'POST', '/api/referrals', { submission: aReferral() })).json();
    const caseId = (await call(ctx.app, manager, 'POST', `/api/referrals/${r.id}/decision`, { decision: 'accept', caseWorkerId: org.users.service_manager.id, version: r.version })).json().caseId;
    // Allocated to the manager: the case worker cannot see it.
    expect((await call(ctx.app, worker, 'GET', `/api/cases/${caseId}`)).statusCode).toBe(404);
    const v = (await call(ctx.app, manager, 'GET', `/api/cases/${caseId}`)).json().version;
    const moved = await call(ctx.app, manager, 'PUT', `/api/cases/${caseId}/case-worker`, { caseWorkerId: org.users.case_worker.id, version: v });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().caseWorkerName).toBe(org.users.case_worker.name);
    expect((await call(ctx.app, worker, 'GET', `/api/cases/${caseId}`)).statusCode).toBe(200);
    const notYou = await call(ctx.app, manager, 'PUT', `/api/cases/${caseId}/case-worker`, { caseWorkerId: org.users.evaluator.id, version: moved.json().version });
    expect(notYou.statusCode).toBe(400);
    const work = (await call(ctx.app, worker, 'GET', '/api/my-work')).json();
    const allocated = work.notifications.find((n: { message: string }) => n.message.includes('allocated'));
    expect(allocated).toBeDefined();
    expect(work.tasks.some((t: { kind: string; caseId: string }) => t.kind === 'book_assessment' && t.caseId === caseId)).toBe(true);
    // Reading a notification takes it off My work; someone else's cannot be touched.
    expect((await call(ctx.app, manager, 'POST', `/api/notifications/${allocated.id}/read`)).statusCode).toBe(404);
    expect((await call(ctx.app, worker, 'POST', `/api/notifications/${allocated.id}/read`)).statusCode).toBe(204);
    expect((await call(ctx.app, worker, 'GET', '/api/my-work')).json().notifications.some((n: { id: string }) => n.id === allocated.id)).toBe(false);
  });

  it('lets a case worker take an unallocated case, but not one that has a case worker', async () => {
    const r = (await call(ctx.app, manager, 'POST', '/api/referrals', { submission: aReferral() })).json();
    const caseId = (await call(ctx.app, manager, 'POST', `/api/referrals/${r.id}/decision`, { decision: 'accept', version: r.version })).json().caseId;
    const open = (await call(ctx.app, worker, 'GET', `/api/cases/${caseId}`)).json();
    expect(open.caseWorkerId).toBeNull();
    const taken = await call(ctx.app, worker, 'POST', `/api/cases/${caseId}/take`, { version: open.version });
    expect(taken.json().caseWorkerId).toBe(org.users.case_worker.id);
    const again = await call(ctx.app, manager, 'POST', `/api/cases/${caseId}/take`, { version: taken.json().version });
    expect(again.statusCode).toBe(409);
  });
});
