import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBuiltInInstrument, scoreAdministration } from '../../src/server/modules/measures/index.ts';
import { builtInProgrammes, createProgrammes } from '../../src/server/modules/programmes/index.ts';
import { engineName } from '../setup/engines.ts';
import { call, createOrgWithStaff, signIn, startTestApp, type Session, type TestContext, type TestOrg } from '../setup/harness.ts';
import { aReferral } from '../setup/referrals.ts';

/* Issue 4: cancelling a parent's link, and correcting a stored paper form (history kept, audited, rescored). */

type Member = { personId: string; givenName: string; isChild: boolean };
const core10 = (over: Record<string, number | null> = {}): Record<string, number | null> => ({ '1': 1, '2': 2, '3': 2, '4': 1, '5': 1, '6': 0, '7': 1, '8': 1, '9': 1, '10': 1, ...over });

describe(`cancelling links and correcting paper forms on ${engineName()}`, () => {
  let ctx: TestContext;
  let org: TestOrg;
  let papId: string;
  let worker: Session;
  let otherWorker: Session;

  const newCase = async (): Promise<{ id: string; mother: Member }> => {
    const r = (await call(ctx.app, worker, 'POST', '/api/referrals', { submission: aReferral({ programmeId: papId }) })).json();
    const accepted = (await call(ctx.app, worker, 'POST', `/api/referrals/${r.id}/decision`, { decision: 'accept', caseWorkerId: org.users.case_worker.id, version: r.version })).json();
    const c = (await call(ctx.app, worker, 'GET', `/api/cases/${accepted.caseId}`)).json() as { id: string; members: Member[] };
    const mother = c.members.find((m) => m.givenName === 'Dana');
    if (!mother) throw new Error('fixture: family');
    return { id: c.id, mother };
  };

  beforeAll(async () => {
    ctx = await startTestApp();
    org = await createOrgWithStaff(ctx, 'Corrections');
    const other = await createOrgWithStaff(ctx, 'Others');
    [papId] = (await createProgrammes(ctx.db.db, org.id, builtInProgrammes)) as [string];
    worker = await signIn(ctx.app, org.users.case_worker.email);
    otherWorker = await signIn(ctx.app, other.users.case_worker.email);
  });
  afterAll(async () => ctx?.close());

  it('a cancelled link works no more, and cannot be cancelled twice', async () => {
    const c = await newCase();
    const link = (await call(ctx.app, worker, 'POST', `/api/cases/${c.id}/questionnaire-links`, { personId: c.mother.personId, instrumentId: 'core-10', timepoint: 'pre' })).json() as { linkId: string; path: string };
    const token = link.path.slice(3);
    expect((await call(ctx.app, null, 'GET', `/api/public/questionnaires/${token}`)).statusCode).toBe(200);
    expect((await call(ctx.app, otherWorker, 'POST', `/api/cases/${c.id}/questionnaire-links/${link.linkId}/cancel`)).statusCode).toBe(404);
    const cancelled = await call(ctx.app, worker, 'POST', `/api/cases/${c.id}/questionnaire-links/${link.linkId}/cancel`);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toEqual({ linkId: link.linkId, status: 'cancelled' });
    expect((await call(ctx.app, null, 'GET', `/api/public/questionnaires/${token}`)).statusCode).toBe(404);
    expect((await call(ctx.app, worker, 'POST', `/api/cases/${c.id}/questionnaire-links/${link.linkId}/cancel`)).statusCode).toBe(409);
    const list = (await call(ctx.app, worker, 'GET', `/api/cases/${c.id}/questionnaires`)).json() as { links: { id: string; status: string }[] };
    expect(list.links.find((l) => l.id === link.linkId)?.status).toBe('cancelled');
    const audits = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_event WHERE entity_id = ${link.linkId} AND action = 'cancel:questionnaire_link'`.execute(ctx.db.db);
    expect(audits.rows[0]?.n).toBe(1);
  });

  it('a corrected paper form is rescored, keeps its previous answers with the reason, is audited, and raises a new alert', async () => {
    const c = await newCase();
    const first = await call(ctx.app, worker, 'POST', `/api/cases/${c.id}/paper-forms`, { personId: c.mother.personId, instrumentId: 'core-10', timepoint: 'pre', completedOn: '2024-01-15', responses: core10() });
    expect(first.statusCode, first.body).toBe(201);
    const id = first.json().id as string;
    expect(first.json().version).toBe(1);
    const path = `/api/cases/${c.id}/administrations/${id}`;
    const corrected = core10({ '1': 4, '6': 2 });

    const bad = await call(ctx.app, worker, 'PUT', path, { completedOn: '2024-01-15', responses: { ...corrected, '6': 9 }, reason: 'Wrong column', version: 1 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.map((f: { path: string }) => f.path)).toEqual(['body.responses.6']);
    const mismatch = await call(ctx.app, worker, 'PUT', path, { completedOn: '2024-01-15', responses: corrected, secondEntry: core10({ '1': 4 }), reason: 'Wrong column', version: 1 });
    expect(mismatch.json().error.fields.map((f: { path: string }) => f.path)).toEqual(['body.secondEntry.6']);
    expect((await call(ctx.app, worker, 'PUT', path, { completedOn: '2024-01-15', responses: corrected, reason: 'Wrong column', version: 2 })).statusCode).toBe(409);
    expect((await call(ctx.app, otherWorker, 'PUT', path, { completedOn: '2024-01-15', responses: corrected, reason: 'Wrong column', version: 1 })).statusCode).toBe(404);

    const ok = await call(ctx.app, worker, 'PUT', path, { completedOn: '2024-01-16', responses: corrected, reason: 'Items 1 and 6 keyed in the wrong column', version: 1 });
    expect(ok.statusCode, ok.body).toBe(200);
    const engine = scoreAdministration(getBuiltInInstrument('core-10')!, corrected);
    expect(ok.json()).toMatchObject({ id, version: 2, completedOn: '2024-01-16', scores: engine.scores, flags: engine.flags });
    expect(ok.json().alerts.length).toBe(1);

    const history = await sql<{ version: number; responses: Record<string, number>; reason: string }>`SELECT version, responses, reason FROM administration_revision WHERE administration_id = ${id}`.execute(ctx.db.db);
    expect(history.rows).toEqual([{ version: 1, responses: core10(), reason: 'Items 1 and 6 keyed in the wrong column' }]);
    const audits = await sql<{ detail: { itemsChanged: string[] } }>`SELECT detail FROM audit_event WHERE entity_id = ${id} AND action = 'correct:administration'`.execute(ctx.db.db);
    expect(audits.rows[0]?.detail.itemsChanged).toEqual(['1', '6']);

    // The administration's page: its answers as keyed now, and what the correction replaced, why and by whom.
    const read = await call(ctx.app, worker, 'GET', path);
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json()).toMatchObject({ administration: { id, version: 2 }, responses: corrected, form: { instrumentId: 'core-10' } });
    expect(read.json().revisions).toEqual([
      expect.objectContaining({ version: 1, completedOn: '2024-01-15', reason: 'Items 1 and 6 keyed in the wrong column', itemsChanged: ['1', '6'], dateChanged: true, replacedByName: expect.any(String) }),
    ]);
    expect(read.json().revisions[0].scores).toEqual(scoreAdministration(getBuiltInInstrument('core-10')!, core10()).scores);
    expect((await call(ctx.app, otherWorker, 'GET', path)).statusCode).toBe(404);
    const views = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_event WHERE entity_id = ${id} AND action = 'view:administration'`.execute(ctx.db.db);
    expect(views.rows[0]?.n).toBe(1);

    // What a parent sent through a link is not corrected by staff.
    const link = (await call(ctx.app, worker, 'POST', `/api/cases/${c.id}/questionnaire-links`, { personId: c.mother.personId, instrumentId: 'qmi', timepoint: 'pre' })).json() as { path: string };
    const qmi = Object.fromEntries(getBuiltInInstrument('qmi')!.items.map((i) => [i.key, 2]));
    expect((await call(ctx.app, null, 'POST', `/api/public/questionnaires/${link.path.slice(3)}`, { answers: qmi })).statusCode).toBe(200);
    const list = (await call(ctx.app, worker, 'GET', `/api/cases/${c.id}/questionnaires`)).json() as { administrations: { id: string; source: string; version: number }[] };
    const fromLink = list.administrations.find((a) => a.source === 'link');
    const refused = await call(ctx.app, worker, 'PUT', `/api/cases/${c.id}/administrations/${fromLink?.id}`, { completedOn: '2024-01-15', responses: qmi, reason: 'x', version: 1 });
    expect(refused.statusCode).toBe(409);
    // Another case's administration is not found through this case.
    const elsewhere = await newCase();
    expect((await call(ctx.app, worker, 'GET', `/api/cases/${elsewhere.id}/administrations/${id}`)).statusCode).toBe(404);
  });
});
