import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBuiltInInstrument, scoreAdministration } from '../../src/server/modules/measures/index.ts';
import { builtInProgrammes, createProgrammes } from '../../src/server/modules/programmes/index.ts';
import { engineName } from '../setup/engines.ts';
import { call, createOrgWithStaff, signIn, startTestApp, type Session, type TestContext, type TestOrg } from '../setup/harness.ts';
import { aReferral } from '../setup/referrals.ts';

/*
 * Issue 4 items 5–7: the measurement schedule's tasks, links for parents, paper entry with a double-entry check,
 * scores stored as the engine computes them, and questionnaire alerts.
 */

type Member = { personId: string; givenName: string; isChild: boolean };
type Flag = { kind: string; reason: string; status: string };

const dayFromToday = (days: number): string => {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};
const today = (): string => {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
};

const core10 = (over: Record<string, number | null> = {}): Record<string, number | null> => ({ '1': 1, '2': 2, '3': 2, '4': 1, '5': 1, '6': 0, '7': 1, '8': 1, '9': 1, '10': 1, ...over });
const allItems = (instrumentId: string, value: number): Record<string, number> =>
  Object.fromEntries((getBuiltInInstrument(instrumentId)?.items ?? []).map((item) => [item.key, item.options.some((o) => o.value === value) ? value : (item.options[0]?.value ?? 0)]));

describe(`questionnaires: schedule, links, paper entry and alerts on ${engineName()}`, () => {
  let ctx: TestContext;
  let org: TestOrg;
  let papId: string;
  let manager: Session;
  let worker: Session;

  const newCase = async (): Promise<{ id: string; reference: string; mother: Member; father: Member; child: Member }> => {
    const r = (await call(ctx.app, worker, 'POST', '/api/referrals', { submission: aReferral({ programmeId: papId }) })).json();
    const accepted = (await call(ctx.app, worker, 'POST', `/api/referrals/${r.id}/decision`, { decision: 'accept', caseWorkerId: org.users.case_worker.id, version: r.version })).json();
    const c = (await call(ctx.app, worker, 'GET', `/api/cases/${accepted.caseId}`)).json() as { id: string; reference: string; members: Member[] };
    const mother = c.members.find((m) => m.givenName === 'Dana');
    const father = c.members.find((m) => m.givenName === 'Marcus');
    const child = c.members.find((m) => m.isChild);
    if (!mother || !father || !child) throw new Error('fixture: family');
    return { id: c.id, reference: c.reference, mother, father, child };
  };
  const sendLink = (caseId: string, body: Record<string, unknown>) => call(ctx.app, worker, 'POST', `/api/cases/${caseId}/questionnaire-links`, body);
  const tokenOf = (path: string): string => path.replace(/^\/q\//, '');
  const publicCall = (method: 'GET' | 'PUT' | 'POST', token: string, body?: unknown) => call(ctx.app, null, method, `/api/public/questionnaires/${token}`, body);
  const paper = (caseId: string, body: Record<string, unknown>, session = worker) => call(ctx.app, session, 'POST', `/api/cases/${caseId}/paper-forms`, body);
  const flagsOf = async (caseId: string): Promise<Flag[]> => ((await call(ctx.app, manager, 'GET', `/api/cases/${caseId}`)).json() as { safeguardingFlags: Flag[] }).safeguardingFlags;
  const count = async (table: 'administration' | 'questionnaire_link' | 'safeguarding_flag'): Promise<number> =>
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE organisation_id = ${org.id}`.execute(ctx.db.db)).rows[0]?.n ?? 0;

  beforeAll(async () => {
    ctx = await startTestApp();
    org = await createOrgWithStaff(ctx, 'Measures');
    [papId] = (await createProgrammes(ctx.db.db, org.id, builtInProgrammes)) as [string];
    manager = await signIn(ctx.app, org.users.service_manager.email);
    worker = await signIn(ctx.app, org.users.case_worker.email);
  });
  afterAll(async () => ctx?.close());

  it('a link shows the questionnaire and nothing of the case, saves answers idempotently, submits once, and is then spent', async () => {
    const c = await newCase();
    const created = await sendLink(c.id, { personId: c.mother.personId, instrumentId: 'core-10', timepoint: 'pre' });
    expect(created.statusCode, created.body).toBe(201);
    const { path, expiresAt } = created.json() as { path: string; expiresAt: string };
    expect(path).toMatch(/^\/q\/[A-Za-z0-9_-]{43}$/);
    const days = (Date.parse(expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(13.9);
    expect(days).toBeLessThanOrEqual(14);
    const token = tokenOf(path);
    // Only the hash is stored.
    const stored = await sql<{ tokenHash: string }>`SELECT token_hash AS "tokenHash" FROM questionnaire_link WHERE case_id = ${c.id}`.execute(ctx.db.db);
    expect(stored.rows[0]?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored.rows)).not.toContain(token);

    const opened = await publicCall('GET', token);
    expect(opened.statusCode).toBe(200);
    const form = opened.json() as { form: { title: string; items: { key: string; text: string | null }[]; copyrightNotice: string | null }; answers: Record<string, number> };
    expect(form.form.title).toMatch(/^CORE-10 /);
    expect(form.form.items).toHaveLength(10);
    expect(form.form.items[5]?.text).toBeTruthy();
    expect(form.form.copyrightNotice).toBeTruthy();
    expect(form.answers).toEqual({});
    for (const secret of [c.id, c.reference, 'Dana', 'Marcus', 'Fielding', 'Lily', org.id, org.name, c.mother.personId, 'Parents as Partners']) {
      expect(opened.body.includes(secret), `the link revealed ${secret}`).toBe(false);
    }

    const first = await publicCall('PUT', token, { answers: { '1': 2 } });
    expect(first.statusCode).toBe(200);
    const again = await publicCall('PUT', token, { answers: { '1': 2 } });
    expect(again.json().answers).toEqual(first.json().answers);
    expect((await publicCall('PUT', token, { answers: { '2': 1, '3': null } })).json().answers).toEqual({ '1': 2, '2': 1, '3': null });

    const bad = await publicCall('PUT', token, { answers: { '4': 1, '6': 9, '99': 1, '7': 1.5 } });
    expect(bad.statusCode).toBe(400);
    expect((bad.json().error.fields as { path: string }[]).map((f) => f.path).sort()).toEqual(['body.answers.6', 'body.answers.7', 'body.answers.99']);
    expect((await publicCall('GET', token)).json().answers).toEqual({ '1': 2, '2': 1, '3': null });

    const responses = core10({ '1': 2, '2': 1, '3': 1 });
    const submitted = await publicCall('POST', token, { answers: responses });
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json()).toEqual({ status: 'submitted' });

    // Spent: it now answers exactly as an unknown token does.
    const unknown = await publicCall('GET', 'A'.repeat(43));
    expect(unknown.statusCode).toBe(404);
    for (const method of ['GET', 'PUT', 'POST'] as const) {
      const res = await publicCall(method, token, method === 'GET' ? undefined : { answers: { '1': 0 } });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.message).toBe(unknown.json().error.message);
    }
    expect((await publicCall('GET', 'not-a-token')).json().error.message).toBe(unknown.json().error.message);

    // Stored with the engine's scores, on the case, from the link.
    const list = (await call(ctx.app, worker, 'GET', `/api/cases/${c.id}/questionnaires`)).json() as {
      administrations: { instrumentId: string; source: string; scores: unknown; bands: unknown; flags: string[]; personName: string }[];
      links: { status: string }[];
    };
    const engine = scoreAdministration(getBuiltInInstrument('core-10')!, responses);
    expect(list.administrations).toHaveLength(1);
    expect(list.administrations[0]).toMatchObject({ instrumentId: 'core-10', source: 'link', scores: engine.scores, bands: engine.bands, flags: engine.flags, personName: 'Dana Fielding' });
    expect(list.links[0]?.status).toBe('submitted');
    // A second link for a questionnaire already given is refused.
    expect((await sendLink(c.id, { personId: c.mother.personId, instrumentId: 'core-10', timepoint: 'pre' })).statusCode).toBe(409);
  });

  it('an expired link and a replaced link look the same as an unknown one', async () => {
    const c = await newCase();
    const unknownMessage = (await publicCall('GET', 'B'.repeat(43))).json().error.message;
    const old = tokenOf((await sendLink(c.id, { personId: c.father.personId, instrumentId: 'qmi', timepoint: 'pre' })).json().path);
    const replacement = tokenOf((await sendLink(c.id, { personId: c.father.personId, instrumentId: 'qmi', timepoint: 'pre' })).json().path);
    const replaced = await publicCall('GET', old);
    expect(replaced.statusCode).toBe(404);
    expect(replaced.json().error.message).toBe(unknownMessage);
    expect((await publicCall('GET', replacement)).statusCode).toBe(200);
    await sql`UPDATE questionnaire_link SET expires_at = now() - interval '1 minute' WHERE case_id = ${c.id} AND status = 'open'`.execute(ctx.db.db);
    for (const method of ['GET', 'PUT', 'POST'] as const) {
      const res = await publicCall(method, replacement, method === 'GET' ? undefined : { answers: {} });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.message).toBe(unknownMessage);
    }
    const links = (await call(ctx.app, worker, 'GET', `/api/cases/${c.id}/questionnaires`)).json().links as { status: string }[];
    expect(links.map((l) => l.status).sort()).toEqual(['cancelled', 'expired']);
  });

  it('refuses bad link requests field by field and writes nothing', async () => {
    const c = await newCase();
    const before = await count('questionnaire_link');
    const cases: [Record<string, unknown>, string][] = [
      [{ personId: c.mother.personId, instrumentId: 'no-such', timepoint: 'pre' }, 'body.instrumentId'],
      [{ personId: c.child.personId, instrumentId: 'core-10', timepoint: 'pre' }, 'body.personId'],
      [{ personId: c.mother.personId, instrumentId: 'sdq-p4-17', timepoint: 'pre' }, 'body.subjectPersonId'],
      [{ personId: c.mother.personId, instrumentId: 'sdq-p4-17', timepoint: 'pre', subjectPersonId: c.father.personId }, 'body.subjectPersonId'],
      [{ personId: c.mother.personId, instrumentId: 'core-10', timepoint: 'pre', subjectPersonId: c.child.personId }, 'body.subjectPersonId'],
      [{ personId: c.mother.personId, instrumentId: 'core-10', timepoint: 'later' }, 'body.timepoint'],
    ];
    for (const [body, field] of cases) {
      const res = await sendLink(c.id, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect((res.json().error.fields as { path: string }[]).map((f) => f.path)).toContain(field);
    }
    expect(await count('questionnaire_link')).toBe(before);
  });

  it('paper entry: a double entry that differs lists the items and saves nothing; a matching one is scored as the engine scores it', async () => {
    const c = await newCase();
    const responses = allItems('sdq-p4-17', 1);
    const second = { ...responses, '3': 2, '7': 0 };
    const base = { personId: c.father.personId, instrumentId: 'sdq-p4-17', timepoint: 'pre', subjectPersonId: c.child.personId, completedOn: today(), responses };
    const before = await count('administration');
    const mismatch = await paper(c.id, { ...base, secondEntry: second });
    expect(mismatch.statusCode).toBe(400);
    const fields = mismatch.json().error.fields as { path: string; message: string }[];
    expect(fields.map((f) => f.path)).toEqual(['body.secondEntry.3', 'body.secondEntry.7']);
    expect(fields[0]?.message).toMatch(/item 3 was keyed as 1 the first time and 2 the second/);
    expect(await count('administration')).toBe(before);

    const saved = await paper(c.id, { ...base, secondEntry: { ...responses } });
    expect(saved.statusCode, saved.body).toBe(201);
    const engine = scoreAdministration(getBuiltInInstrument('sdq-p4-17')!, responses);
    expect(saved.json()).toMatchObject({ source: 'paper', status: engine.status, scores: engine.scores, bands: engine.bands, flags: engine.flags, subjectName: 'Lily Fielding' });
    const row = await sql<{ scores: unknown; responses: Record<string, unknown>; caseId: string; source: string }>`
      SELECT scores, responses, case_id AS "caseId", source FROM administration WHERE case_id = ${c.id}`.execute(ctx.db.db);
    expect(row.rows[0]).toMatchObject({ scores: engine.scores, caseId: c.id, source: 'paper' });
    expect(Object.keys(row.rows[0]?.responses ?? {})).toHaveLength(getBuiltInInstrument('sdq-p4-17')!.items.length);
    // The same form again is already recorded.
    expect((await paper(c.id, base)).statusCode).toBe(409);
  });

  it('paper entry: bad input is refused field by field, with nothing written', async () => {
    const c = await newCase();
    const before = { a: await count('administration'), f: await count('safeguarding_flag') };
    const base = { personId: c.mother.personId, instrumentId: 'core-10', timepoint: 'post', completedOn: today(), responses: core10({ '6': 2 }) };
    const cases: [Record<string, unknown>, string[]][] = [
      [{ ...base, completedOn: dayFromToday(3) }, ['body.completedOn']],
      [{ ...base, completedOn: '2026-02-30' }, ['body.completedOn']],
      [{ ...base, responses: core10({ '6': 5, '2': -1 }) }, ['body.responses.2', 'body.responses.6']],
      [{ ...base, responses: { ...core10(), '11': 1 } }, ['body.responses.11']],
      [{ ...base, responses: {} }, ['body.responses']],
      [{ ...base, secondEntry: { '1': 7 } }, ['body.secondEntry.1']],
      [{ ...base, personId: c.child.personId }, ['body.personId']],
      [{ ...base, instrumentId: 'psi-4-sf' }, ['body.instrumentId']],
    ];
    for (const [body, paths] of cases) {
      const res = await paper(c.id, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      const got = (res.json().error.fields as { path: string }[]).map((f) => f.path).sort();
      for (const path of paths) expect(got, JSON.stringify(body)).toContain(path);
    }
    expect({ a: await count('administration'), f: await count('safeguarding_flag') }).toEqual(before);
    // A facilitator may not key forms; another organisation's case is not found.
    const facilitator = await signIn(ctx.app, org.users.facilitator.email);
    expect((await paper(c.id, base, facilitator)).statusCode).toBe(403);
  });

  it('alerts: a CORE risk item, a BCAP at risk and a reliable deterioration raise one on the case for the case worker and managers', async () => {
    const c = await newCase();
    const flagsBefore = (await flagsOf(c.id)).length;
    // Calm forms raise nothing.
    expect((await paper(c.id, { personId: c.mother.personId, instrumentId: 'core-10', timepoint: 'pre', completedOn: today(), responses: core10() })).statusCode).toBe(201);
    expect((await paper(c.id, { personId: c.mother.personId, instrumentId: 'bcap', timepoint: 'pre', completedOn: today(), responses: allItems('bcap', 0) })).statusCode).toBe(201);
    expect((await flagsOf(c.id)).length).toBe(flagsBefore);

    // The risk item answered above 0.
    const risky = await paper(c.id, { personId: c.father.personId, instrumentId: 'core-10', timepoint: 'pre', completedOn: today(), responses: core10({ '6': 1 }) });
    expect(risky.statusCode).toBe(201);
    expect(risky.json().flags).toContain('risk');
    expect(risky.json().alerts).toHaveLength(1);
    let flags = (await flagsOf(c.id)).filter((f) => f.kind === 'questionnaire_alert');
    expect(flags).toHaveLength(1);
    expect(flags[0]?.reason).toMatch(/CORE-10 \(pre\): a risk item was answered above "Not at all", answered by Marcus Fielding/);
    expect(flags[0]?.status).toBe('open');

    // BCAP at risk: every risk item keyed.
    const bcap = Object.fromEntries(Object.entries(allItems('bcap', 0)).map(([k, v]) => [k, k.startsWith('R') && !k.startsWith('RR') ? 1 : v]));
    const atRisk = await paper(c.id, { personId: c.father.personId, instrumentId: 'bcap', timepoint: 'pre', completedOn: today(), responses: bcap });
    expect(atRisk.json().flags).toContain('at_risk');
    flags = (await flagsOf(c.id)).filter((f) => f.kind === 'questionnaire_alert');
    expect(flags.map((f) => f.reason).join('\n')).toMatch(/abuse-potential score is at or above the cut-off/);

    // Reliable deterioration: Dana's CORE-10 total rises by 10 (reliable change 6) from pre to post; an improvement does not alert.
    const worse = await paper(c.id, { personId: c.mother.personId, instrumentId: 'core-10', timepoint: 'post', completedOn: today(), responses: core10({ '1': 3, '4': 3, '5': 3, '7': 2, '8': 2 }) });
    expect(worse.statusCode).toBe(201);
    expect(worse.json().alerts.join('\n')).toMatch(/reliable deterioration in .* from pre to post/);
    const better = await paper(c.id, { personId: c.mother.personId, instrumentId: 'core-10', timepoint: 'followup', completedOn: today(), responses: core10({ '1': 0, '4': 0 }) });
    expect(better.json().alerts).toEqual([]);
    flags = (await flagsOf(c.id)).filter((f) => f.kind === 'questionnaire_alert');
    expect(flags).toHaveLength(3);
    // Reasons never quote answers.
    for (const f of flags) expect(f.reason).not.toMatch(/plans to end my life|item 6|: [0-4]\b/i);

    // The case worker and the managers are told, and it is on their My work until a manager decides.
    const mine = (await call(ctx.app, worker, 'GET', '/api/my-work')).json() as { tasks: { title: string; caseId: string }[]; notifications: { message: string }[] };
    expect(mine.notifications.filter((n) => n.message.startsWith('Questionnaire alert')).length).toBeGreaterThanOrEqual(3);
    expect(mine.tasks.filter((t) => t.caseId === c.id && t.title.startsWith('Questionnaire alert'))).toHaveLength(3);
    const managers = (await call(ctx.app, manager, 'GET', '/api/my-work')).json() as { tasks: { kind: string; caseId: string }[] };
    expect(managers.tasks.filter((t) => t.caseId === c.id && t.kind === 'safeguarding_decision').length).toBeGreaterThanOrEqual(3);
    const flagRows = (await call(ctx.app, manager, 'GET', `/api/cases/${c.id}`)).json().safeguardingFlags as { id: string; kind: string; version: number }[];
    for (const f of flagRows.filter((x) => x.kind === 'questionnaire_alert')) {
      expect((await call(ctx.app, manager, 'POST', `/api/safeguarding-flags/${f.id}/resolve`, { decision: 'Spoke with the parent; GP informed.', version: f.version })).statusCode).toBe(200);
    }
    const after = (await call(ctx.app, worker, 'GET', '/api/my-work')).json() as { tasks: { title: string; caseId: string }[] };
    expect(after.tasks.filter((t) => t.caseId === c.id && t.title.startsWith('Questionnaire alert'))).toHaveLength(0);
    // The administration that raised each alert is recorded.
    const raisedBy = await sql<{ n: number }>`SELECT count(*)::int AS n FROM safeguarding_flag WHERE case_id = ${c.id} AND kind = 'questionnaire_alert' AND administration_id IS NOT NULL`.execute(ctx.db.db);
    expect(raisedBy.rows[0]?.n).toBe(3);
  });

  it('a risk answered through the link raises the alert too', async () => {
    const c = await newCase();
    const token = tokenOf((await sendLink(c.id, { personId: c.mother.personId, instrumentId: 'core-10', timepoint: 'pre' })).json().path);
    for (const [key, value] of Object.entries(core10({ '6': 3 }))) expect((await publicCall('PUT', token, { answers: { [key]: value } })).statusCode).toBe(200);
    expect((await publicCall('POST', token, {})).statusCode).toBe(200);
    const flags = (await flagsOf(c.id)).filter((f) => f.kind === 'questionnaire_alert');
    expect(flags).toHaveLength(1);
    expect(flags[0]?.reason).toMatch(/risk item/);
  });

  it("schedule: Parents as Partners' pre questionnaires become due at the assessment and overdue after the window", async () => {
    const c = await newCase();
    const detail = (await call(ctx.app, manager, 'GET', `/api/cases/${c.id}`)).json() as { version: number };
    const booked = await call(ctx.app, manager, 'POST', `/api/cases/${c.id}/assessments`, {
      scheduledAt: `${dayFromToday(5)}T10:00:00Z`,
      facilitatorIds: [org.users.facilitator.id],
      ruleOverrideReason: 'One facilitator this month',
      caseVersion: detail.version,
    });
    expect(booked.statusCode, booked.body).toBe(201);
    const taskOf = async () =>
      ((await call(ctx.app, worker, 'GET', '/api/my-work')).json() as { tasks: { kind: string; caseId: string; title: string; dueOn: string; overdue: boolean }[] }).tasks.filter(
        (t) => t.caseId === c.id && t.kind === 'questionnaire_due',
      );
    // Two parents × (CORE-10, QMI, BCAP) + two parents × SDQ about the one child aged 4–17 = 8.
    let tasks = await taskOf();
    expect(tasks).toHaveLength(1);
    expect(tasks[0]?.title).toMatch(/^Pre questionnaires for .*: 8 to give$/);
    expect(tasks[0]).toMatchObject({ dueOn: dayFromToday(19), overdue: false });
    const expected = (await call(ctx.app, worker, 'GET', `/api/cases/${c.id}/questionnaires`)).json().expected as { state: string; timepoint: string }[];
    expect(expected).toHaveLength(8);
    expect(expected.every((x) => x.state === 'due' && x.timepoint === 'pre')).toBe(true);

    expect((await paper(c.id, { personId: c.mother.personId, instrumentId: 'qmi', timepoint: 'pre', completedOn: today(), responses: allItems('qmi', 5) })).statusCode).toBe(201);
    tasks = await taskOf();
    expect(tasks[0]?.title).toMatch(/: 7 to give$/);

    // The assessment was long ago: the window has closed.
    await sql`UPDATE assessment SET scheduled_at = now() - interval '30 days' WHERE case_id = ${c.id}`.execute(ctx.db.db);
    tasks = await taskOf();
    expect(tasks[0]).toMatchObject({ overdue: true });
    const states = ((await call(ctx.app, worker, 'GET', `/api/cases/${c.id}/questionnaires`)).json().expected as { state: string }[]).map((x) => x.state);
    expect(states.filter((s) => s === 'overdue')).toHaveLength(7);
    expect(states.filter((s) => s === 'done')).toHaveLength(1);

    // Not yet open: an assessment two months away puts nothing on My work.
    await sql`UPDATE assessment SET scheduled_at = now() + interval '60 days' WHERE case_id = ${c.id}`.execute(ctx.db.db);
    expect(await taskOf()).toHaveLength(0);
  });

  it('a withdrawn or un-scheduled family is not chased', async () => {
    const c = await newCase();
    // Triaged with no assessment: nothing is due yet.
    const tasks = ((await call(ctx.app, worker, 'GET', '/api/my-work')).json() as { tasks: { kind: string; caseId: string }[] }).tasks;
    expect(tasks.filter((t) => t.caseId === c.id && t.kind === 'questionnaire_due')).toHaveLength(0);
    expect(((await call(ctx.app, worker, 'GET', `/api/cases/${c.id}/questionnaires`)).json().expected as unknown[]).length).toBe(0);
  });

  it("schedule: a manager edits a programme's schedule, field by field, and the families' expectations follow it", async () => {
    const path = `/api/programmes/${papId}/measurement-schedule`;
    const read = await call(ctx.app, worker, 'GET', path);
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json()).toMatchObject({ programmeName: 'Parents as Partners', origin: 'built_in', version: null });
    expect(read.json().entries.map((e: { instrumentId: string }) => e.instrumentId)).toEqual(['core-10', 'qmi', 'sdq-p4-17', 'bcap']);

    const core10Pre = { instrumentId: 'core-10', respondents: 'each_parent', aboutEachChild: false, timepoints: [{ timepoint: 'pre', windowDays: 7 }] };
    expect((await call(ctx.app, worker, 'PUT', path, { entries: [core10Pre], version: null })).statusCode).toBe(403);
    const outOfRange = await call(ctx.app, manager, 'PUT', path, { entries: [{ ...core10Pre, timepoints: [{ timepoint: 'pre', windowDays: 400 }] }], version: null });
    expect(outOfRange.statusCode).toBe(400);
    expect(outOfRange.json().error.fields.map((f: { path: string }) => f.path)).toEqual(['body.entries.0.timepoints.0.windowDays']);
    const wrong = await call(ctx.app, manager, 'PUT', path, {
      entries: [core10Pre, { ...core10Pre, instrumentId: 'psi-4-sf' }, { ...core10Pre, instrumentId: 'sdq-p4-17' }, core10Pre],
      version: null,
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.fields.map((f: { path: string }) => f.path)).toEqual(['body.entries.1.instrumentId', 'body.entries.2.aboutEachChild', 'body.entries.3.instrumentId']);
    expect((await call(ctx.app, manager, 'GET', path)).json().origin).toBe('built_in');

    const saved = await call(ctx.app, manager, 'PUT', path, { entries: [core10Pre], version: null });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ origin: 'stored', version: 1, entries: [core10Pre] });
    expect((await call(ctx.app, manager, 'PUT', path, { entries: [], version: null })).statusCode).toBe(409);
    const audits = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_event WHERE entity_id = ${papId} AND action = 'update:measurement_schedule'`.execute(ctx.db.db);
    expect(audits.rows[0]?.n).toBe(1);

    // A family assessed in five days now owes only CORE-10, from each parent, within a week of it.
    const c = await newCase();
    const detail = (await call(ctx.app, manager, 'GET', `/api/cases/${c.id}`)).json() as { version: number };
    await call(ctx.app, manager, 'POST', `/api/cases/${c.id}/assessments`, { scheduledAt: `${dayFromToday(5)}T10:00:00Z`, facilitatorIds: [org.users.facilitator.id], ruleOverrideReason: 'One facilitator', caseVersion: detail.version });
    const expected = (await call(ctx.app, worker, 'GET', `/api/cases/${c.id}/questionnaires`)).json().expected as { instrumentId: string; dueOn: string }[];
    expect(expected.map((x) => [x.instrumentId, x.dueOn])).toEqual([
      ['core-10', dayFromToday(12)],
      ['core-10', dayFromToday(12)],
    ]);
    // Back to the built-in four for the tests after this one.
    expect((await call(ctx.app, manager, 'PUT', path, { entries: read.json().entries, version: 1 })).json().version).toBe(2);
  });

  it('reminders: an open link is re-sent by email with a new address, at most twice, keeping the answers', async () => {
    const { sendQuestionnaireReminders, MAX_REMINDERS } = await import('../../src/server/modules/measures/index.ts');
    // Links left open by the tests above go to the same fixture address: out of the way, so every reminder here is this one's.
    await sql`UPDATE questionnaire_link SET status = 'cancelled' WHERE organisation_id = ${org.id} AND status = 'open'`.execute(ctx.db.db);
    const c = await newCase();
    const link = await sendLink(c.id, { personId: c.mother.personId, instrumentId: 'core-10', timepoint: 'pre' });
    expect(link.statusCode, link.body).toBe(201);
    const first = tokenOf(link.json().path);
    expect((await publicCall('PUT', first, { answers: { '1': 2 } })).statusCode).toBe(200);
    const outbox = async () =>
      (await sql<{ body: string }>`SELECT body FROM email_outbox WHERE to_address = 'dana.fielding@family.example' AND subject = 'A reminder: your questionnaire' ORDER BY created_at`.execute(ctx.db.db)).rows;
    const before = (await outbox()).length;
    const at = (days: number) => new Date(Date.now() + days * 86_400_000);
    const ours = (sent: { linkId: string }[]) => sent.filter((s) => s.linkId === link.json().linkId);

    expect(ours(await sendQuestionnaireReminders(ctx.db.db, { baseUrl: 'https://tandem.example/', now: at(1) }))).toHaveLength(0);
    expect(ours(await sendQuestionnaireReminders(ctx.db.db, { baseUrl: 'https://tandem.example/', now: at(4) }))).toHaveLength(1);
    const mails = (await outbox()).slice(before);
    expect(mails).toHaveLength(1);
    const second = /https:\/\/tandem\.example\/q\/([A-Za-z0-9_-]{43})/.exec(mails[0]?.body ?? '')?.[1] ?? '';
    expect(mails[0]?.body).not.toMatch(/Fielding|Parents as Partners/);
    // The first address no longer works; the new one opens the same questionnaire with the answer already given.
    expect((await publicCall('GET', first)).statusCode).toBe(404);
    const reopened = await publicCall('GET', second);
    expect(reopened.statusCode, reopened.body).toBe(200);
    expect(reopened.json().answers).toEqual({ '1': 2 });

    // Not again within three days; once more after; never more than the limit.
    expect(ours(await sendQuestionnaireReminders(ctx.db.db, { baseUrl: 'https://tandem.example', now: at(5) }))).toHaveLength(0);
    expect(ours(await sendQuestionnaireReminders(ctx.db.db, { baseUrl: 'https://tandem.example', now: at(8) }))).toHaveLength(1);
    expect(ours(await sendQuestionnaireReminders(ctx.db.db, { baseUrl: 'https://tandem.example', now: at(12) }))).toHaveLength(0);
    expect((await outbox()).length - before).toBe(MAX_REMINDERS);
    const audits = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_event WHERE entity_id = ${link.json().linkId} AND action = 'remind:questionnaire_link'`.execute(ctx.db.db);
    expect(audits.rows[0]?.n).toBe(MAX_REMINDERS);

    // A sent questionnaire is not chased.
    const other = await sendLink(c.id, { personId: c.mother.personId, instrumentId: 'qmi', timepoint: 'pre' });
    expect((await publicCall('POST', tokenOf(other.json().path), { answers: allItems('qmi', 5) })).statusCode).toBe(200);
    expect((await sendQuestionnaireReminders(ctx.db.db, { baseUrl: 'https://tandem.example', now: at(4) })).filter((s) => s.linkId === other.json().linkId)).toHaveLength(0);
  });

  it('rate-limits the public link per address', async () => {
    let last = 0;
    for (let i = 0; i < 260 && last !== 429; i += 1) last = (await publicCall('GET', 'C'.repeat(43))).statusCode;
    expect(last).toBe(429);
  });
});
