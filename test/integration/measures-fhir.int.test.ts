import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toQuestionnaire } from '../../src/server/modules/measures/fhir.ts';
import { getBuiltInInstrument, scoreAdministration } from '../../src/server/modules/measures/index.ts';
import { builtInProgrammes, createProgrammes } from '../../src/server/modules/programmes/index.ts';
import { engineName } from '../setup/engines.ts';
import { call, createOrgWithStaff, signIn, startTestApp, type Session, type TestContext, type TestOrg } from '../setup/harness.ts';
import { aReferral } from '../setup/referrals.ts';

/*
 * Issue 4 items 1–2: instruments as FHIR Questionnaires, an organisation's own instruments (imported from FHIR,
 * versioned, used for paper entry and links), and administrations as QuestionnaireResponse.
 */

type Member = { personId: string; givenName: string; isChild: boolean };

const ownQuestionnaire = (labels = ['Never', 'Sometimes', 'Often']) => ({
  resourceType: 'Questionnaire',
  id: 'Home-Calm',
  title: 'Home calm check',
  status: 'active',
  item: [
    {
      linkId: 'g',
      type: 'group',
      item: ['1', '2', '3'].map((linkId, i) => ({
        linkId,
        type: 'choice',
        text: `Statement ${linkId}`,
        answerOption: labels.map((display, code) => ({
          valueCoding: { code: String(code), display },
          extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/itemWeight', valueDecimal: i === 1 ? 2 - code : code }],
        })),
      })),
    },
  ],
});

describe(`FHIR and own instruments on ${engineName()}`, () => {
  let ctx: TestContext;
  let org: TestOrg;
  let other: TestOrg;
  let papId: string;
  let manager: Session;
  let worker: Session;
  let admin: Session;
  let otherManager: Session;

  const fhirPost = (session: Session, body: unknown, query = '', contentType = 'application/fhir+json') =>
    ctx.app.inject({
      method: 'POST',
      url: `/api/measures/instruments/fhir${query}`,
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, 'content-type': contentType },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    });

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
    org = await createOrgWithStaff(ctx, 'Fhir');
    other = await createOrgWithStaff(ctx, 'Elsewhere');
    [papId] = (await createProgrammes(ctx.db.db, org.id, builtInProgrammes)) as [string];
    manager = await signIn(ctx.app, org.users.service_manager.email);
    worker = await signIn(ctx.app, org.users.case_worker.email);
    admin = await signIn(ctx.app, org.users.org_admin.email);
    otherManager = await signIn(ctx.app, other.users.service_manager.email);
  });
  afterAll(async () => ctx?.close());

  it('exports every built-in as a Questionnaire, SDQ and BCAP without wording', async () => {
    const core = await call(ctx.app, worker, 'GET', '/api/measures/instruments/core-10/fhir');
    expect(core.statusCode, core.body).toBe(200);
    expect(core.json()).toEqual(JSON.parse(JSON.stringify(toQuestionnaire(getBuiltInInstrument('core-10')!))));
    const sdq = (await call(ctx.app, worker, 'GET', '/api/measures/instruments/sdq-p4-17/fhir')).json() as { item: { linkId: string; text?: string; prefix?: string }[] };
    expect(sdq.item.filter((i) => !i.linkId.startsWith('score.')).every((i) => i.text === undefined && i.prefix === i.linkId)).toBe(true);
    expect((await call(ctx.app, worker, 'GET', '/api/measures/instruments/core-10/fhir?version=2')).statusCode).toBe(404);
    expect((await call(ctx.app, worker, 'GET', '/api/measures/instruments/nope/fhir')).statusCode).toBe(404);
  });

  it("imports a Questionnaire as the organisation's own instrument, versioned, refusing bad ones by path, and keeps it to the organisation", async () => {
    const created = await fhirPost(admin, ownQuestionnaire());
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toEqual({ instrumentId: 'home-calm', version: 1, created: true, title: 'Home calm check', itemCount: 3, scales: ['total'] });
    // The same again stores nothing; a change is the next version.
    const same = await fhirPost(manager, ownQuestionnaire(), '', 'application/json');
    expect(same.statusCode).toBe(200);
    expect(same.json()).toMatchObject({ version: 1, created: false });
    const changed = await fhirPost(manager, ownQuestionnaire(['Never', 'At times', 'Often']));
    expect(changed.json()).toMatchObject({ version: 2, created: true });

    const list = (await call(ctx.app, worker, 'GET', '/api/measures/instruments')).json() as { instruments: { instrumentId: string; origin: string; version: string }[] };
    expect(list.instruments.find((i) => i.instrumentId === 'home-calm')).toMatchObject({ origin: 'own', version: '2' });
    expect(list.instruments.filter((i) => i.origin === 'built_in')).toHaveLength(11);

    // Its export, as stored, and an earlier version.
    const v1 = (await call(ctx.app, worker, 'GET', '/api/measures/instruments/home-calm/fhir?version=1')).json() as { version: string; item: { answerOption?: { valueCoding: { display: string } }[] }[] };
    expect(v1.version).toBe('1');
    expect(v1.item[0]?.answerOption?.[1]?.valueCoding.display).toBe('Sometimes');

    // Problems named by their path in the resource; nothing stored.
    const broken = ownQuestionnaire();
    (broken.item[0]?.item[1]?.answerOption[0] as { valueCoding: { code: string } }).valueCoding.code = 'never';
    const refused = await fhirPost(admin, { ...broken, id: 'broken' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fields).toEqual([{ path: 'Questionnaire.item[0].item[1].answerOption[0].valueCoding.code', message: expect.stringContaining('"never" is not a whole number') }]);
    expect((await fhirPost(admin, { resourceType: 'Patient' })).json().error.fields[0].path).toBe('resourceType');
    expect((await fhirPost(admin, '{not json')).statusCode).toBe(400);
    // A built-in id is reserved; re-importing a built-in's export under a new id gives the same scoring.
    const clash = await fhirPost(admin, toQuestionnaire(getBuiltInInstrument('core-10')!));
    expect(clash.statusCode).toBe(400);
    expect(clash.json().error.fields[0].path).toBe('Questionnaire.id');
    const copy = await fhirPost(admin, toQuestionnaire(getBuiltInInstrument('core-10')!), '?id=core-10-local');
    expect(copy.statusCode, copy.body).toBe(201);
    const stored = await sql<{ n: number }>`SELECT count(*)::int AS n FROM organisation_instrument WHERE organisation_id = ${org.id}`.execute(ctx.db.db);
    expect(stored.rows[0]?.n).toBe(3);

    // Case workers may not import; another organisation does not see it.
    expect((await fhirPost(worker, ownQuestionnaire())).statusCode).toBe(403);
    expect((await call(ctx.app, otherManager, 'GET', '/api/measures/instruments/home-calm/fhir')).statusCode).toBe(404);
    const theirs = (await call(ctx.app, otherManager, 'GET', '/api/measures/instruments')).json() as { instruments: { instrumentId: string }[] };
    expect(theirs.instruments.some((i) => i.instrumentId === 'home-calm')).toBe(false);
    // The other organisation may use the same id for its own instrument.
    expect((await fhirPost(otherManager, ownQuestionnaire())).json()).toMatchObject({ instrumentId: 'home-calm', version: 1 });
    // Audited.
    const audits = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_event WHERE organisation_id = ${org.id} AND action = 'import:instrument'`.execute(ctx.db.db);
    expect(audits.rows[0]?.n).toBe(3);
  });

  it('an own instrument is keyed on paper and by link, scored by its version, and exported as a QuestionnaireResponse (audited, scoped)', async () => {
    const c = await newCase();
    const forms = (await call(ctx.app, worker, 'GET', '/api/measures/questionnaire-forms')).json() as { forms: { instrumentId: string; items: { text: string | null }[] }[] };
    expect(forms.forms.find((f) => f.instrumentId === 'home-calm')?.items[0]?.text).toBe('Statement 1');

    const paper = await call(ctx.app, worker, 'POST', `/api/cases/${c.id}/paper-forms`, {
      personId: c.mother.personId,
      instrumentId: 'home-calm',
      timepoint: 'pre',
      completedOn: '2024-02-01',
      responses: { '1': 2, '2': 0, '3': 1 },
    });
    expect(paper.statusCode, paper.body).toBe(201);
    // Item 2 is reversed by its weights: 2 + (2 − 0) + 1.
    expect(paper.json()).toMatchObject({ instrumentId: 'home-calm', instrumentTitle: 'HOME-CALM', status: 'scored', scores: { total: 5 } });
    const id = paper.json().id as string;
    const version = await sql<{ v: number }>`SELECT instrument_version AS v FROM administration WHERE id = ${id}`.execute(ctx.db.db);
    expect(version.rows[0]?.v).toBe(2);

    const link = await call(ctx.app, worker, 'POST', `/api/cases/${c.id}/questionnaire-links`, { personId: c.mother.personId, instrumentId: 'home-calm', timepoint: 'post' });
    expect(link.statusCode, link.body).toBe(201);
    const opened = await call(ctx.app, null, 'GET', `/api/public/questionnaires/${(link.json().path as string).slice(3)}`);
    expect(opened.json().form.items).toHaveLength(3);

    const qr = await call(ctx.app, worker, 'GET', `/api/measures/administrations/${id}/fhir`);
    expect(qr.statusCode, qr.body).toBe(200);
    expect(qr.json()).toMatchObject({
      resourceType: 'QuestionnaireResponse',
      questionnaire: 'https://tandem.invalid/fhir/Questionnaire/home-calm|2',
      status: 'completed',
      authored: '2024-02-01',
      item: expect.arrayContaining([{ linkId: '2', answer: [{ valueCoding: { system: expect.any(String), code: '0', display: 'Never' } }] }, { linkId: 'score.total', answer: [{ valueDecimal: 5 }] }]),
    });
    const audits = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_event WHERE entity_id = ${id} AND action = 'export:administration'`.execute(ctx.db.db);
    expect(audits.rows[0]?.n).toBe(1);

    // Built-in administrations too; another organisation and roles without the case get 404 / 403.
    const core = await call(ctx.app, worker, 'POST', `/api/cases/${c.id}/paper-forms`, {
      personId: c.mother.personId,
      instrumentId: 'core-10',
      timepoint: 'pre',
      completedOn: '2024-02-01',
      responses: { '1': 1, '2': 2, '3': 2, '4': 1, '5': 1, '6': 0, '7': 1, '8': 1, '9': 1, '10': null },
    });
    const coreQr = (await call(ctx.app, manager, 'GET', `/api/measures/administrations/${core.json().id}/fhir`)).json() as { item: { linkId: string; answer: { valueDecimal?: number }[] }[] };
    const expected = scoreAdministration(getBuiltInInstrument('core-10')!, { '1': 1, '2': 2, '3': 2, '4': 1, '5': 1, '6': 0, '7': 1, '8': 1, '9': 1, '10': null });
    expect(coreQr.item.find((i) => i.linkId === 'score.total')?.answer[0]?.valueDecimal).toBeCloseTo(expected.scores.total ?? 0, 9);
    expect((await call(ctx.app, otherManager, 'GET', `/api/measures/administrations/${id}/fhir`)).statusCode).toBe(404);
    expect((await call(ctx.app, admin, 'GET', `/api/measures/administrations/${id}/fhir`)).statusCode).toBe(403);

    // The outcomes report's narrow copy (outcome_score, migration 0011's triggers) is written for an own instrument as
    // for a built-in: its shape names the instrument and its score keys, its values are the stored scores.
    const derived = await sql<{ timepoint: number; vals: number[]; shape: string }>`
      SELECT o.timepoint, o.vals, l.label AS shape FROM outcome_score o
      JOIN administration a ON a.id = o.administration_id
      JOIN outcome_label l ON l.organisation_id = o.organisation_id AND l.kind = 'shape' AND l.code = o.shape
      WHERE a.case_id = ${c.id} AND a.instrument_id = 'home-calm' ORDER BY o.timepoint`.execute(ctx.db.db);
    const stored = await sql<{ timepoint: string; total: number }>`
      SELECT timepoint, (scores->>'total')::float8 AS total FROM administration WHERE case_id = ${c.id} AND instrument_id = 'home-calm' ORDER BY timepoint DESC`.execute(ctx.db.db);
    expect(stored.rows.length).toBeGreaterThan(0);
    expect(derived.rows).toEqual(stored.rows.map((r) => ({ timepoint: ['pre', 'post', 'followup'].indexOf(r.timepoint), vals: [r.total], shape: 'home-calm:total' })));

    // …and the outcomes report reports it like a built-in (its latest version's scales), n as stored.
    const report = (await call(ctx.app, manager, 'GET', '/api/evaluation/report')).json() as {
      measures: { instrument: string; scale: string; by_role: { all: Record<string, { n: number | null } | undefined> } }[];
      unknown_instruments: string[];
    };
    expect(report.unknown_instruments).not.toContain('home-calm');
    const own = report.measures.find((m) => m.instrument === 'home-calm' && m.scale === 'total');
    expect(own).toBeDefined();
    for (const timepoint of ['pre', 'post'] as const) {
      expect(own?.by_role.all[timepoint]?.n).toBe(stored.rows.filter((r) => r.timepoint === timepoint).length);
    }
    // Another organisation's report knows nothing of it.
    const theirReport = (await call(ctx.app, otherManager, 'GET', '/api/evaluation/report')).json() as { measures: { instrument: string }[] };
    expect(theirReport.measures.some((m) => m.instrument === 'home-calm')).toBe(false);
  });

  it('a schedule may name an own instrument; an unknown one is refused', async () => {
    const { setMeasurementSchedule } = await import('../../src/server/modules/measures/index.ts');
    const { inScope } = await import('../../src/server/platform/db/scope.ts');
    const entry = { instrumentId: 'home-calm', respondents: 'each_parent' as const, aboutEachChild: false, timepoints: [{ timepoint: 'pre' as const, windowDays: 14 }] };
    await inScope(ctx.db.db, { organisationId: org.id, userId: null }, (trx) => setMeasurementSchedule(trx, org.id, papId, [entry], null));
    await expect(
      inScope(ctx.db.db, { organisationId: org.id, userId: null }, (trx) => setMeasurementSchedule(trx, org.id, papId, [{ ...entry, instrumentId: 'not-ours' }], null)),
    ).rejects.toThrow(/is not a known instrument/);
    // Back to the built-in schedule for the other tests' sake.
    await sql`DELETE FROM measurement_schedule WHERE organisation_id = ${org.id}`.execute(ctx.db.db);
  });

  it('licensed SDQ wording and a BCAP key: shown and used by their organisation only, never exported, audited', async () => {
    const wording = { licenceReference: 'youthinmind agreement 42', wording: { stem: 'Licensed stem', items: { '1': 'Licensed item one' } } };
    expect((await call(ctx.app, worker, 'PUT', '/api/measures/licences/sdq-p4-17', wording)).statusCode).toBe(403);
    const saved = await call(ctx.app, admin, 'PUT', '/api/measures/licences/sdq-p4-17', wording);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toEqual({ instrumentId: 'sdq-p4-17', licenceReference: 'youthinmind agreement 42', wordingItems: 1, keyEntries: 0, version: 1 });
    // Read back for the page that replaces it; only this organisation's; instruments that ship wording have none.
    expect((await call(ctx.app, admin, 'GET', '/api/measures/licences/sdq-p4-17')).json()).toMatchObject({
      instrumentId: 'sdq-p4-17',
      takesKey: false,
      loaded: { licenceReference: 'youthinmind agreement 42', wording: wording.wording, scoringKey: null, version: 1 },
    });
    expect((await call(ctx.app, otherManager, 'GET', '/api/measures/licences/sdq-p4-17')).json().loaded).toBeNull();
    expect((await call(ctx.app, admin, 'GET', '/api/measures/licences/core-10')).statusCode).toBe(404);
    expect((await call(ctx.app, worker, 'GET', '/api/measures/licences/sdq-p4-17')).statusCode).toBe(403);
    // Stale version → 409; problems named by field; built-ins with wording take none.
    expect((await call(ctx.app, admin, 'PUT', '/api/measures/licences/sdq-p4-17', { ...wording, version: 7 })).statusCode).toBe(409);
    const bad = await call(ctx.app, admin, 'PUT', '/api/measures/licences/sdq-p4-17', { licenceReference: 'x', wording: { items: { '99': 'No' } } });
    expect(bad.json().error.fields).toEqual([{ path: 'body.wording.items.99', message: 'is not an item of sdq-p4-17' }]);
    expect((await call(ctx.app, admin, 'PUT', '/api/measures/licences/core-10', wording)).json().error.fields[0].path).toBe('params.instrument');

    const formsOf = async (session: Session) =>
      ((await call(ctx.app, session, 'GET', '/api/measures/questionnaire-forms')).json() as { forms: { instrumentId: string; wordingShown: boolean; instructions: string | null; items: { key: string; text: string | null }[] }[] }).forms;
    const ours = (await formsOf(worker)).find((f) => f.instrumentId === 'sdq-p4-17');
    expect(ours).toMatchObject({ wordingShown: true, instructions: 'Licensed stem' });
    expect(ours?.items[0]?.text).toBe('Licensed item one');
    const theirs = (await formsOf(otherManager)).find((f) => f.instrumentId === 'sdq-p4-17');
    expect(theirs?.wordingShown).toBe(false);
    expect(JSON.stringify(theirs)).not.toContain('Licensed');
    expect((await call(ctx.app, worker, 'GET', '/api/measures/instruments/sdq-p4-17/fhir')).body).not.toContain('Licensed');

    // BCAP: the form is keyed as printed and mapped through the key to roles.
    const roles = getBuiltInInstrument('bcap')!.items.map((i) => i.key);
    const scoringKey = roles.map((role, i) => ({ formItem: String(33 - i), role, keyedAnswer: i % 3 === 0 ? 'disagree' : 'agree' }));
    const keyed = await call(ctx.app, manager, 'PUT', '/api/measures/licences/bcap', { licenceReference: 'BCAP authors, letter of 2024-01-01', scoringKey });
    expect(keyed.statusCode, keyed.body).toBe(200);
    const bcapForm = (await formsOf(worker)).find((f) => f.instrumentId === 'bcap');
    expect(bcapForm?.items.map((i) => i.key).slice(0, 3)).toEqual(['1', '2', '3']);
    const c = await newCase();
    // Agree (1) to every printed item: a role is keyed when its keyed answer is "agree".
    const formAnswers = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [String(i + 1), 1]));
    const paper = await call(ctx.app, worker, 'POST', `/api/cases/${c.id}/paper-forms`, { personId: c.mother.personId, instrumentId: 'bcap', timepoint: 'pre', completedOn: '2024-02-01', responses: formAnswers });
    expect(paper.statusCode, paper.body).toBe(201);
    const roleAnswers = Object.fromEntries(scoringKey.map((e) => [e.role, e.keyedAnswer === 'agree' ? 1 : 0]));
    expect(paper.json().scores).toEqual(scoreAdministration(getBuiltInInstrument('bcap')!, roleAnswers).scores);
    const stored = await sql<{ responses: Record<string, number> }>`SELECT responses FROM administration WHERE id = ${paper.json().id}`.execute(ctx.db.db);
    expect(stored.rows[0]?.responses).toEqual(roleAnswers);
    // Keying by role still works for an organisation without a key.
    const audits = await sql<{ detail: unknown }>`SELECT detail FROM audit_event WHERE organisation_id = ${org.id} AND action = 'update:instrument_licence'`.execute(ctx.db.db);
    expect(audits.rows).toHaveLength(2);
    expect(JSON.stringify(audits.rows)).not.toContain('Licensed item one');
  });
});
