import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineName } from '../setup/engines.ts';
import { call, createOrgWithStaff, signIn, startTestApp, type Session, type TestContext, type TestOrg } from '../setup/harness.ts';
import { assessedCase, buyPlaces, daysAgo, newFunder, smallGroup, standInForFundingListener } from '../setup/fund-applications.ts';

/*
 * Issue 7, item 3: per-participant fund applications. The two refusals that must say why (no current assessment at
 * submission; no approved application in the family's own name at the start of a funded group), the status flow and
 * who may move it, the per-child annual limit with match funding above it, and tenancy.
 */
describe(`fund applications on ${engineName()}`, () => {
  let ctx: TestContext;
  let org: TestOrg;
  let other: TestOrg;
  let manager: Session;
  let worker: Session;
  let asf: string;

  const auditCount = async (entityId: string): Promise<number> => {
    const rows = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_event WHERE entity_id = ${entityId}`.execute(ctx.db.db);
    return rows.rows[0]?.n ?? 0;
  };
  const draft = (c: { childIds: string[]; assessmentId: string; programmeId: string }, over: Record<string, unknown> = {}) => ({
    kind: 'child',
    childIds: [c.childIds[0]],
    funderId: asf,
    programmeId: c.programmeId,
    assessmentId: c.assessmentId,
    serviceFrom: daysAgo(0),
    amountPence: 250000,
    matchFundingPence: 0,
    matchFunder: null,
    fundReference: null,
    ...over,
  });

  beforeAll(async () => {
    standInForFundingListener();
    ctx = await startTestApp();
    org = await createOrgWithStaff(ctx, 'Funded provider');
    other = await createOrgWithStaff(ctx, 'Other provider');
    manager = await signIn(ctx.app, org.users.service_manager.email);
    worker = await signIn(ctx.app, org.users.case_worker.email);
    asf = await newFunder(ctx, org.id);
    const rule = await call(ctx.app, manager, 'PUT', `/api/fund-application-rules/${asf}`, { annualLimitPence: 500000, assessmentValidMonths: 12, yearStartMonth: 4, version: 0 });
    expect(rule.statusCode, rule.body).toBe(200);
    expect(rule.json()).toMatchObject({ funderName: 'Adoption Support Fund', annualLimitPence: 500000, version: 1 });
  }, 120_000);
  afterAll(async () => ctx?.close());

  it('refuses to submit without a current assessment, saying why, and writes nothing', async () => {
    const c = await assessedCase(ctx, org, manager, { family: 'Oldfield', heldDaysAgo: 400, caseWorker: org.users.case_worker.id });
    const created = await call(ctx.app, worker, 'POST', `/api/cases/${c.caseId}/fund-applications`, draft(c));
    expect(created.statusCode, created.body).toBe(201);
    const app = created.json();
    expect(app).toMatchObject({ status: 'draft', kind: 'child', fundPence: 250000, nextStatuses: ['submitted', 'withdrawn'] });
    const before = await auditCount(app.id);
    const refused = await call(ctx.app, worker, 'POST', `/api/fund-applications/${app.id}/status`, { to: 'submitted', note: null, version: app.version });
    expect(refused.statusCode).toBe(400);
    const message = refused.json().error.message as string;
    expect(message).toMatch(/^body\.to: cannot submit: the assessment of the Oldfield family is not current: completed \d{1,2} \w+ \d{4}, more than 12 months before \d{1,2} \w+ \d{4}$/);
    expect(refused.json().error.fields[0].path).toBe('body.to');
    const after = (await call(ctx.app, worker, 'GET', `/api/fund-applications/${app.id}`)).json();
    expect(after).toMatchObject({ status: 'draft', version: app.version });
    expect(after.history).toHaveLength(1);
    // Only the read above was audited: the refusal wrote nothing.
    expect(await auditCount(app.id)).toBe(before + 1);

    // No assessment named at all.
    const bare = (await call(ctx.app, worker, 'POST', `/api/cases/${c.caseId}/fund-applications`, draft(c, { assessmentId: null }))).json();
    const missing = await call(ctx.app, worker, 'POST', `/api/fund-applications/${bare.id}/status`, { to: 'submitted', note: null, version: bare.version });
    expect(missing.json().error.message).toContain('the assessment of the Oldfield family is missing');
  });

  it('keeps each child within the annual limit unless the excess is match-funded by someone named', async () => {
    const c = await assessedCase(ctx, org, manager, { family: 'Limitson', children: ['Ava', 'Ben'], heldDaysAgo: 30 });
    const over = (await call(ctx.app, manager, 'POST', `/api/cases/${c.caseId}/fund-applications`, draft(c, { amountPence: 650000 }))).json();
    const refused = await call(ctx.app, manager, 'POST', `/api/fund-applications/${over.id}/status`, { to: 'submitted', note: null, version: over.version });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fields).toEqual([
      { path: 'body.matchFundingPence', message: expect.stringMatching(/over the £5,000\.00 annual limit for \w+ Limitson; at least £1,500\.00 must be match-funded$/) },
    ]);
    // Match funding without a name is refused at the edge of the draft too.
    const unnamed = await call(ctx.app, manager, 'PATCH', `/api/fund-applications/${over.id}`, { ...draft(c, { amountPence: 650000, matchFundingPence: 150000 }), version: over.version });
    expect(unnamed.statusCode).toBe(400);
    expect(unnamed.json().error.fields[0]).toEqual({ path: 'body.matchFunder', message: 'name who provides the match funding of £1,500.00' });
    const fixed = await call(ctx.app, manager, 'PATCH', `/api/fund-applications/${over.id}`, {
      ...draft(c, { amountPence: 650000, matchFundingPence: 150000, matchFunder: 'Northshire Regional Adoption Agency' }),
      version: over.version,
    });
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect(fixed.json()).toMatchObject({ fundPence: 500000, matchFundingPence: 150000 });
    const submitted = await call(ctx.app, manager, 'POST', `/api/fund-applications/${over.id}/status`, { to: 'submitted', note: null, version: fixed.json().version });
    expect(submitted.statusCode, submitted.body).toBe(200);

    // The same child has used the whole limit this year: another application for them needs all of it match-funded.
    const second = (await call(ctx.app, manager, 'POST', `/api/cases/${c.caseId}/fund-applications`, draft(c, { amountPence: 10000 }))).json();
    const second1 = await call(ctx.app, manager, 'POST', `/api/fund-applications/${second.id}/status`, { to: 'submitted', note: null, version: second.version });
    expect(second1.json().error.fields[0].message).toMatch(/\(£5,000\.00 already applied for this year\); at least £100\.00 must be match-funded/);
    // The other child is untouched; a family application splits its fund share between the children it names.
    const family = (await call(ctx.app, manager, 'POST', `/api/cases/${c.caseId}/fund-applications`, draft(c, { kind: 'family', childIds: c.childIds, amountPence: 400000 }))).json();
    const familyRefused = await call(ctx.app, manager, 'POST', `/api/fund-applications/${family.id}/status`, { to: 'submitted', note: null, version: family.version });
    expect(familyRefused.statusCode).toBe(400);
    // Half of it counts against each child, and the first child has no room left this year (the odd penny of an
    // odd share goes to the first child in a fixed order, so the least match is £3,999.99 or £4,000.00).
    expect(familyRefused.json().error.fields[0].message).toMatch(/annual limit for \w+ Limitson \(£5,000\.00 already applied for this year\); at least £(3,999\.99|4,000\.00) must be match-funded$/);
    // Drafts and rejected or withdrawn applications never count: withdrawing the first frees the limit.
    const withdrawn = await call(ctx.app, manager, 'POST', `/api/fund-applications/${over.id}/status`, { to: 'withdrawn', note: 'Family moved', version: submitted.json().version });
    expect(withdrawn.statusCode).toBe(200);
    expect((await call(ctx.app, manager, 'POST', `/api/fund-applications/${family.id}/status`, { to: 'submitted', note: null, version: family.version })).statusCode).toBe(200);
  });

  it('runs draft → submitted → approved → delivered → claimed → paid; only managers decide; stale versions get 409', async () => {
    const c = await assessedCase(ctx, org, manager, { family: 'Flowers', heldDaysAgo: 10, caseWorker: org.users.case_worker.id });
    let app = (await call(ctx.app, worker, 'POST', `/api/cases/${c.caseId}/fund-applications`, draft(c))).json();
    const move = (session: Session, to: string, version = app.version, extra: Record<string, unknown> = {}) =>
      call(ctx.app, session, 'POST', `/api/fund-applications/${app.id}/status`, { to, note: null, version, ...extra });
    const submitted = await move(worker, 'submitted');
    expect(submitted.statusCode, submitted.body).toBe(200);
    const stale = await move(manager, 'approved', app.version);
    expect(stale.statusCode).toBe(409);
    app = submitted.json();
    expect(app.nextStatuses).toEqual(['withdrawn']);
    const byWorker = await move(worker, 'approved');
    expect(byWorker.statusCode).toBe(403);
    expect(byWorker.json().error.message).toBe('only a service manager can mark a submitted application approved');
    const skip = await move(manager, 'paid');
    expect(skip.statusCode).toBe(409);
    expect(skip.json().error.fields[0].message).toBe('a submitted application can only become approved or rejected or withdrawn, not paid');
    for (const to of ['approved', 'delivered', 'claimed', 'paid']) {
      const res = await move(manager, to, app.version, to === 'approved' ? { fundReference: 'ASF-2026-0042', note: 'Approved by the fund' } : {});
      expect(res.statusCode, `${to}: ${res.body}`).toBe(200);
      app = res.json();
    }
    expect(app).toMatchObject({ status: 'paid', fundReference: 'ASF-2026-0042', nextStatuses: [] });
    expect(app.history.map((h: { to: string }) => h.to)).toEqual(['draft', 'submitted', 'approved', 'delivered', 'claimed', 'paid']);
    expect(app.history[2]).toMatchObject({ from: 'submitted', to: 'approved', note: 'Approved by the fund', byName: org.users.service_manager.name });
    expect((await move(manager, 'claimed')).statusCode).toBe(409);
    // A submitted application is what was sent: it cannot be edited.
    const edit = await call(ctx.app, manager, 'PATCH', `/api/fund-applications/${app.id}`, { ...draft(c), version: app.version });
    expect(edit.statusCode).toBe(409);
    const audited = await sql<{ action: string }>`SELECT action FROM audit_event WHERE entity_id = ${app.id} AND action <> 'view:fund_application'`.execute(ctx.db.db);
    expect(audited.rows.map((r) => r.action).filter((a) => a === 'update:fund_application')).toHaveLength(5);
    expect(audited.rows.map((r) => r.action)).toContain('create:fund_application');
  });

  it('stops a funded family starting without an approved application in its own name, saying why, and places it once approved', async () => {
    const group = await smallGroup(ctx, org, manager, 3);
    await buyPlaces(ctx, org.id, { funderId: asf, groupId: group.id, places: 4, perParticipant: true });
    const c = await assessedCase(ctx, org, manager, { family: 'Startwell', heldDaysAgo: 20 });
    let detail = (await call(ctx.app, manager, 'GET', `/api/cases/${c.caseId}`)).json();
    detail = (await call(ctx.app, manager, 'POST', `/api/cases/${c.caseId}/stage`, { to: 'awaiting_group', version: detail.version })).json();
    const place = () => call(ctx.app, manager, 'POST', `/api/groups/${group.id}/placements`, { caseId: c.caseId, caseVersion: detail.version });

    const refused = await place();
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fields[0]).toEqual({
      path: 'body.caseId',
      message: 'no approved Adoption Support Fund application in the name of the Startwell family; a funded family starts only once the fund has approved it',
    });
    const occupied = await sql<{ n: number }>`SELECT count(*)::int AS n FROM place_occupancy o JOIN group_place g ON g.id = o.group_place_id WHERE g.group_id = ${group.id}`.execute(ctx.db.db);
    expect(occupied.rows[0]?.n).toBe(0);
    expect((await call(ctx.app, manager, 'GET', `/api/cases/${c.caseId}`)).json().stage).toBe('awaiting_group');

    // Another family's approval does not count: it must be in this family's own name.
    const neighbour = await assessedCase(ctx, org, manager, { family: 'Nextdoor', heldDaysAgo: 20 });
    let theirs = (await call(ctx.app, manager, 'POST', `/api/cases/${neighbour.caseId}/fund-applications`, draft({ ...neighbour, programmeId: group.programmeId }))).json();
    for (const to of ['submitted', 'approved']) theirs = (await call(ctx.app, manager, 'POST', `/api/fund-applications/${theirs.id}/status`, { to, note: null, version: theirs.version })).json();
    expect(theirs.status).toBe('approved');
    expect((await place()).statusCode).toBe(400);

    let mine = (await call(ctx.app, manager, 'POST', `/api/cases/${c.caseId}/fund-applications`, draft({ ...c, programmeId: group.programmeId }))).json();
    mine = (await call(ctx.app, manager, 'POST', `/api/fund-applications/${mine.id}/status`, { to: 'submitted', note: null, version: mine.version })).json();
    const pending = await place();
    expect(pending.json().error.fields[0].message).toContain('(the application is submitted, not yet approved)');
    mine = (await call(ctx.app, manager, 'POST', `/api/fund-applications/${mine.id}/status`, { to: 'approved', note: null, version: mine.version })).json();
    const placed = await place();
    expect(placed.statusCode, placed.body).toBe(201);
    expect((await call(ctx.app, manager, 'GET', `/api/cases/${c.caseId}`)).json().stage).toBe('in_service');
  });

  it("checks the application against the group's programme, not the programme the case was accepted for", async () => {
    const referredFor = await smallGroup(ctx, org, manager, 7);
    const group = await smallGroup(ctx, org, manager, 8);
    await buyPlaces(ctx, org.id, { funderId: asf, groupId: group.id, places: 2, perParticipant: true });
    const c = await assessedCase(ctx, org, manager, { family: 'Crossover', heldDaysAgo: 20, programmeId: referredFor.programmeId });
    let detail = (await call(ctx.app, manager, 'GET', `/api/cases/${c.caseId}`)).json();
    expect(detail.programmeId).toBe(referredFor.programmeId);
    detail = (await call(ctx.app, manager, 'POST', `/api/cases/${c.caseId}/stage`, { to: 'awaiting_group', version: detail.version })).json();
    const place = () => call(ctx.app, manager, 'POST', `/api/groups/${group.id}/placements`, { caseId: c.caseId, caseVersion: detail.version });
    const approve = async (programmeId: string) => {
      let app = (await call(ctx.app, manager, 'POST', `/api/cases/${c.caseId}/fund-applications`, draft({ ...c, programmeId }))).json();
      for (const to of ['submitted', 'approved']) app = (await call(ctx.app, manager, 'POST', `/api/fund-applications/${app.id}/status`, { to, note: null, version: app.version })).json();
      expect(app.status).toBe('approved');
    };

    // Approved for the service the family was referred to, but placed on another programme's group: not funded.
    await approve(referredFor.programmeId);
    const refused = await place();
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.json().error.fields[0].message).toContain('no approved Adoption Support Fund application in the name of the Crossover family');

    await approve(group.programmeId);
    const placed = await place();
    expect(placed.statusCode, placed.body).toBe(201);
  });

  it('lets an unfunded place, or a contract without per-participant applications, start without one', async () => {
    const group = await smallGroup(ctx, org, manager, 5);
    const grant = await newFunder(ctx, org.id, 'Department for Families (grant)', 'government_department');
    await buyPlaces(ctx, org.id, { funderId: grant, groupId: group.id, places: 2, perParticipant: false });
    const c = await assessedCase(ctx, org, manager, { family: 'Granted', heldDaysAgo: 20 });
    let detail = (await call(ctx.app, manager, 'GET', `/api/cases/${c.caseId}`)).json();
    detail = (await call(ctx.app, manager, 'POST', `/api/cases/${c.caseId}/stage`, { to: 'awaiting_group', version: detail.version })).json();
    const placed = await call(ctx.app, manager, 'POST', `/api/groups/${group.id}/placements`, { caseId: c.caseId, caseVersion: detail.version });
    expect(placed.statusCode, placed.body).toBe(201);
  });

  it('shows commissioners applications per participant, without names; keeps other organisations out', async () => {
    const commissioner = await signIn(ctx.app, org.users.commissioner.email);
    const list = await call(ctx.app, commissioner, 'GET', '/api/fund-applications');
    expect(list.statusCode).toBe(200);
    const body = list.json();
    expect(body.applications.length).toBeGreaterThan(0);
    expect(body.applications[0]).toEqual(
      expect.objectContaining({ caseReference: expect.any(String), participant: expect.stringMatching(/^(child \d|family \(child [\d, ]+\))$/), funderName: 'Adoption Support Fund' }),
    );
    for (const word of ['Flowers', 'Limitson', 'Startwell', 'Alex', 'Sam', 'Lily', 'Ava', 'Ben', '2012-05-05']) expect(list.body).not.toContain(word);
    expect(body.totals.count).toBe(body.applications.length);
    // Commissioners cannot open the case's applications or an application itself.
    const any = body.applications[0].id as string;
    expect((await call(ctx.app, commissioner, 'GET', `/api/fund-applications/${any}`)).statusCode).toBe(403);

    const stranger = await signIn(ctx.app, other.users.service_manager.email);
    expect((await call(ctx.app, stranger, 'GET', `/api/fund-applications/${any}`)).statusCode).toBe(404);
    expect((await call(ctx.app, stranger, 'POST', `/api/fund-applications/${any}/status`, { to: 'withdrawn', note: null, version: 1 })).statusCode).toBe(404);
    expect((await call(ctx.app, stranger, 'PUT', `/api/fund-application-rules/${asf}`, { annualLimitPence: 1, assessmentValidMonths: 1, yearStartMonth: 1, version: 1 })).statusCode).toBe(404);
    expect((await call(ctx.app, stranger, 'GET', '/api/fund-applications')).json().applications).toEqual([]);
    // Their own case cannot name our funder or our children.
    const theirs = await assessedCase(ctx, other, stranger, { family: 'Elsewhere', heldDaysAgo: 5 });
    const crossed = await call(ctx.app, stranger, 'POST', `/api/cases/${theirs.caseId}/fund-applications`, {
      kind: 'child',
      childIds: theirs.childIds,
      funderId: asf,
      programmeId: theirs.programmeId,
      assessmentId: theirs.assessmentId,
      serviceFrom: daysAgo(0),
      amountPence: 100,
      matchFundingPence: 0,
      matchFunder: null,
      fundReference: null,
    });
    expect(crossed.statusCode).toBe(400);
    expect(crossed.json().error.fields[0]).toEqual({ path: 'body.funderId', message: 'is not a funder of this organisation' });
  });
});
