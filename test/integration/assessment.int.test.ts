import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserWithPassword } from '../../src/server/modules/identity/index.ts';
import { builtInProgrammes, createProgrammes } from '../../src/server/modules/programmes/index.ts';
import { engineName } from '../setup/engines.ts';
import { call, createOrgWithStaff, signIn, startTestApp, TEST_PASSWORD, type Session, type TestContext, type TestOrg } from '../setup/harness.ts';
import { aReferral } from '../setup/referrals.ts';

const calm = { riskToChild: 'low', domesticAbuse: 'none', domesticAbuseIndicated: false, mentalHealth: 'low', substanceUse: 'none' } as const;

describe(`assessment, safeguarding and private disclosures on ${engineName()}`, () => {
  let ctx: TestContext;
  let org: TestOrg;
  let papId: string;
  let manager: Session;
  let worker: Session;
  let female: { id: string; session: Session };
  let male: { id: string; session: Session };
  let otherWorker: Session;

  const newCase = async (): Promise<{ id: string; version: number; adults: { personId: string; givenName: string }[] }> => {
    const r = (await call(ctx.app, worker, 'POST', '/api/referrals', { submission: aReferral({ programmeId: papId }) })).json();
    const accepted = (await call(ctx.app, worker, 'POST', `/api/referrals/${r.id}/decision`, { decision: 'accept', caseWorkerId: org.users.case_worker.id, version: r.version })).json();
    const c = (await call(ctx.app, worker, 'GET', `/api/cases/${accepted.caseId}`)).json();
    return { id: c.id, version: c.version, adults: c.members.filter((m: { isChild: boolean }) => !m.isChild) };
  };
  const book = (caseId: string, version: number, facilitatorIds: string[], session = worker, ruleOverrideReason?: string) =>
    call(ctx.app, session, 'POST', `/api/cases/${caseId}/assessments`, {
      scheduledAt: '2026-12-01T10:00:00Z',
      location: 'Family centre, room 2',
      facilitatorIds,
      caseVersion: version,
      ...(ruleOverrideReason ? { ruleOverrideReason } : {}),
    });

  beforeAll(async () => {
    ctx = await startTestApp();
    org = await createOrgWithStaff(ctx, 'Assess');
    [papId] = (await createProgrammes(ctx.db.db, org.id, builtInProgrammes)) as [string];
    const make = async (local: string, gender: 'female' | 'male', role: 'facilitator' | 'case_worker' = 'facilitator') => {
      const email = `${local}.${org.slug}@test.example`;
      const user = await createUserWithPassword(ctx.db.db, { organisationId: org.id, email, name: `${local} ${org.slug}`, role, password: TEST_PASSWORD, gender });
      return { id: user.id, session: await signIn(ctx.app, email) };
    };
    female = await make('fern', 'female');
    male = await make('milo', 'male');
    otherWorker = (await make('otto', 'male', 'case_worker')).session;
    manager = await signIn(ctx.app, org.users.service_manager.email);
    worker = await signIn(ctx.app, org.users.case_worker.email);
  });
  afterAll(async () => ctx?.close());

  it('books with a male and a female facilitator; a booking that breaks the pair rule needs a manager and a reason', async () => {
    const c = await newCase();
    const twoWomen = await book(c.id, c.version, [female.id, org.users.facilitator.id]);
    expect(twoWomen.statusCode).toBe(400);
    expect(twoWomen.json().error.fields[0]).toMatchObject({ path: 'body.facilitatorIds' });
    expect(twoWomen.json().error.fields[0].message).toMatch(/one male and one female/);
    const notByWorker = await book(c.id, c.version, [female.id], worker, 'Only one facilitator free this month');
    expect(notByWorker.statusCode).toBe(403);
    const overridden = await book(c.id, c.version, [female.id], manager, 'Only one facilitator free this month');
    expect(overridden.statusCode).toBe(201);
    expect(overridden.json().ruleOverrideReason).toBe('Only one facilitator free this month');
    const stale = await book(c.id, c.version, [female.id, male.id]);
    expect(stale.statusCode).toBe(409);
    const current = (await call(ctx.app, worker, 'GET', `/api/cases/${c.id}`)).json();
    expect(current.stage).toBe('assessment_booked');
    const proper = await book(c.id, current.version, [female.id, male.id]);
    expect(proper.statusCode).toBe(201);
    expect(proper.json().facilitators.map((f: { gender: string }) => f.gender).sort()).toEqual(['female', 'male']);
    const after = (await call(ctx.app, worker, 'GET', `/api/cases/${c.id}`)).json();
    expect(after.assessments.map((a: { status: string }) => a.status)).toEqual(['booked', 'cancelled']);
    // The facilitators now see the case they will assess, and were told about it.
    expect((await call(ctx.app, male.session, 'GET', `/api/cases/${c.id}`)).statusCode).toBe(200);
    const work = (await call(ctx.app, male.session, 'GET', '/api/my-work')).json();
    expect(work.notifications.some((n: { message: string }) => n.message.includes('Assessment for'))).toBe(true);
  });

  it('a high risk raises a safeguarding flag, tells the managers, marks the family, and blocks couple work until resolved', async () => {
    const c = await newCase();
    const assessment = (await book(c.id, c.version, [female.id, male.id])).json();
    const [dana, marcus] = c.adults as unknown as [{ personId: string }, { personId: string }];
    const risk = await call(ctx.app, female.session, 'PUT', `/api/assessments/${assessment.id}/risk/${marcus.personId}`, {
      ...calm,
      domesticAbuse: 'high',
      domesticAbuseIndicated: true,
      domesticAbuseNotes: 'Describes pushing during arguments.',
      version: 0,
    });
    expect(risk.statusCode, risk.body).toBe(200);
    const detail = (await call(ctx.app, worker, 'GET', `/api/cases/${c.id}`)).json();
    expect(detail.safeguarding).toBe(true);
    expect(detail.safeguardingFlags.map((f: { kind: string }) => f.kind).sort()).toEqual(['domestic_abuse', 'high_risk']);
    const list = (await call(ctx.app, worker, 'GET', '/api/cases')).json().cases;
    expect(list.find((x: { id: string }) => x.id === c.id).safeguarding).toBe(true);
    const managerWork = (await call(ctx.app, manager, 'GET', '/api/my-work')).json();
    expect(managerWork.tasks.some((t: { kind: string; caseId: string }) => t.kind === 'safeguarding_decision' && t.caseId === c.id)).toBe(true);
    expect(managerWork.notifications.some((n: { message: string }) => n.message.startsWith('Safeguarding:'))).toBe(true);

    // The outcome cannot offer couple work while domestic abuse is indicated, nor can the case go to a group.
    await call(ctx.app, female.session, 'PUT', `/api/assessments/${assessment.id}/risk/${dana.personId}`, { ...calm, version: 0 });
    const a = (await call(ctx.app, worker, 'GET', `/api/assessments/${assessment.id}`)).json();
    const blocked = await call(ctx.app, female.session, 'POST', `/api/assessments/${assessment.id}/outcome`, { outcome: 'suitable', version: a.version });
    expect(blocked.statusCode).toBe(400);
    expect(blocked.json().error.fields[0].path).toBe('body.outcome');

    // Only a manager resolves a flag, with a recorded decision.
    const flags = (await call(ctx.app, manager, 'GET', '/api/safeguarding-flags?status=open')).json().flags.filter((f: { caseId: string }) => f.caseId === c.id);
    for (const flag of flags) {
      expect((await call(ctx.app, worker, 'POST', `/api/safeguarding-flags/${flag.id}/resolve`, { decision: 'x', version: flag.version })).statusCode).toBe(403);
      expect((await call(ctx.app, manager, 'POST', `/api/safeguarding-flags/${flag.id}/resolve`, { decision: '', version: flag.version })).statusCode).toBe(400);
      const resolved = await call(ctx.app, manager, 'POST', `/api/safeguarding-flags/${flag.id}/resolve`, {
        decision: 'Discussed with the local authority; individual work offered first, couple work reviewed in 3 months.',
        version: flag.version,
      });
      expect(resolved.json()).toMatchObject({ status: 'resolved', resolvedByName: org.users.service_manager.name });
    }
    const outcome = await call(ctx.app, female.session, 'POST', `/api/assessments/${assessment.id}/outcome`, {
      outcome: 'suitable_with_conditions',
      conditions: 'Individual sessions first',
      version: a.version,
    });
    expect(outcome.statusCode, outcome.body).toBe(200);
    const done = (await call(ctx.app, worker, 'GET', `/api/cases/${c.id}`)).json();
    expect(done.stage).toBe('assessed');
    expect(done.safeguarding).toBe(false);
    // The decided assessment is not rewritten afterwards.
    const late = await call(ctx.app, female.session, 'PUT', `/api/assessments/${assessment.id}/risk/${dana.personId}`, { ...calm, version: 1 });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.message).toMatch(/complete/);
  });

  it("keeps one parent's private disclosure from staff without a need to know", async () => {
    const c = await newCase();
    const assessment = (await book(c.id, c.version, [female.id, male.id])).json();
    const [dana] = c.adults as unknown as [{ personId: string }];
    const secret = 'I am planning to leave and have not told my partner.';
    const saved = await call(ctx.app, female.session, 'PUT', `/api/assessments/${assessment.id}/risk/${dana.personId}`, { ...calm, privateDisclosure: secret, version: 0 });
    expect(saved.statusCode).toBe(200);
    // Need to know: the assessing facilitators, the allocated case worker, the managers.
    for (const session of [female.session, male.session, worker, manager]) {
      const res = await call(ctx.app, session, 'GET', `/api/cases/${c.id}`);
      expect(res.body).toContain(secret);
    }
    // Another case worker, once the case is theirs to see? Give it no case worker: they may see the case but not the disclosure.
    const current = (await call(ctx.app, manager, 'GET', `/api/cases/${c.id}`)).json();
    await call(ctx.app, manager, 'PUT', `/api/cases/${c.id}/case-worker`, { caseWorkerId: null, version: current.version });
    const seenByOther = await call(ctx.app, otherWorker, 'GET', `/api/cases/${c.id}`);
    expect(seenByOther.statusCode).toBe(200);
    expect(seenByOther.body).not.toContain(secret);
    expect(seenByOther.json().assessments[0].riskAssessments[0].privateDisclosures).toBeUndefined();
    const direct = await call(ctx.app, otherWorker, 'GET', `/api/assessments/${assessment.id}`);
    expect(direct.body).not.toContain(secret);
    // And the flag's reason never quotes it.
    const flagged = await call(ctx.app, female.session, 'PUT', `/api/assessments/${assessment.id}/risk/${dana.personId}`, {
      ...calm,
      privateDisclosure: 'He checks my phone and controls the money.',
      disclosureIsSafeguardingConcern: true,
      version: 1,
    });
    expect(flagged.statusCode).toBe(200);
    const flags = (await call(ctx.app, otherWorker, 'GET', `/api/cases/${c.id}`)).json().safeguardingFlags;
    expect(flags.some((f: { kind: string }) => f.kind === 'disclosure')).toBe(true);
    expect(JSON.stringify(flags)).not.toContain('controls the money');
  });

  it('refuses bad assessment input field by field', async () => {
    const c = await newCase();
    const bad = await call(ctx.app, worker, 'POST', `/api/cases/${c.id}/assessments`, { scheduledAt: 'next tuesday', facilitatorIds: [], caseVersion: c.version });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.map((f: { path: string }) => f.path)).toEqual(expect.arrayContaining(['body.scheduledAt', 'body.facilitatorIds']));
    const notStaff = await book(c.id, c.version, [org.users.evaluator.id, male.id]);
    expect(notStaff.statusCode).toBe(400);
    const assessment = (await book(c.id, c.version, [female.id, male.id])).json();
    const badRisk = await call(ctx.app, female.session, 'PUT', `/api/assessments/${assessment.id}/risk/${c.adults[0]?.personId}`, { ...calm, riskToChild: 'extreme', version: 0 });
    expect(badRisk.json().error.fields[0].path).toBe('body.riskToChild');
    const child = (await call(ctx.app, worker, 'GET', `/api/cases/${c.id}`)).json().members.find((m: { isChild: boolean }) => m.isChild);
    expect((await call(ctx.app, female.session, 'PUT', `/api/assessments/${assessment.id}/risk/${child.personId}`, { ...calm, version: 0 })).statusCode).toBe(404);
    const early = await call(ctx.app, female.session, 'POST', `/api/assessments/${assessment.id}/outcome`, { outcome: 'suitable', version: assessment.version });
    expect(early.json().error.message).toMatch(/each parent/);
    const noOnward = await call(ctx.app, female.session, 'POST', `/api/assessments/${assessment.id}/outcome`, { outcome: 'not_suitable', version: assessment.version });
    expect(noOnward.json().error.fields[0].path).toBe('body.onwardReferral');
  });
});
