import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserWithPassword } from '../../src/server/modules/identity/index.ts';
import { builtInProgrammes, createProgrammes } from '../../src/server/modules/programmes/index.ts';
import { engineName } from '../setup/engines.ts';
import { call, createOrgWithStaff, signIn, startTestApp, TEST_PASSWORD, type Session, type TestContext, type TestOrg } from '../setup/harness.ts';
import { aReferral } from '../setup/referrals.ts';

const count = async (ctx: TestContext, table: string): Promise<number> =>
  (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(ctx.db.db)).rows[0]?.n ?? 0;

const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

type GroupSession = { id: string; number: number; onDate: string; splitByGender: boolean; childrenJoin: boolean; facilitatorProblem: string | null; version: number };
type Register = { version: number; participants: { personId: string; name: string; status: string | null }[]; children: { personId: string; present: boolean | null }[] };

describe(`groups, placements and the attendance register on ${engineName()}`, () => {
  let ctx: TestContext;
  let org: TestOrg;
  let papId: string;
  let manager: Session;
  let worker: Session;
  let facilitator: Session;
  let female: { id: string; session: Session };
  let male: { id: string; session: Session };
  let female2: { id: string; session: Session };
  let male2: { id: string; session: Session };
  // The first session three weeks ago, the next week closed for half term: sessions 1 and 2 are in the past.
  const start = day(-21);
  const closure = { from: day(-14), to: day(-14), reason: 'Half term' };

  const newCase = async (stage: 'awaiting_group' | 'triaged' = 'awaiting_group'): Promise<{ id: string; version: number }> => {
    const r = (await call(ctx.app, worker, 'POST', '/api/referrals', { submission: aReferral({ programmeId: papId }) })).json();
    const accepted = (await call(ctx.app, worker, 'POST', `/api/referrals/${r.id}/decision`, { decision: 'accept', caseWorkerId: org.users.case_worker.id, version: r.version })).json();
    let c = (await call(ctx.app, worker, 'GET', `/api/cases/${accepted.caseId}`)).json();
    if (stage === 'awaiting_group') {
      for (const to of ['assessment_booked', 'assessed', 'awaiting_group']) {
        const moved = await call(ctx.app, worker, 'POST', `/api/cases/${c.id}/stage`, { to, version: c.version });
        if (moved.statusCode !== 200) throw new Error(moved.body);
        c = moved.json();
      }
    }
    return { id: c.id, version: c.version };
  };
  const caseOf = async (id: string) => (await call(ctx.app, worker, 'GET', `/api/cases/${id}`)).json();
  const newGroup = async (name: string, extra: Record<string, unknown> = {}) =>
    call(ctx.app, manager, 'POST', '/api/groups', {
      programmeId: papId,
      name,
      site: 'Northgate',
      venue: "Children's centre, hall",
      startDate: start,
      startTime: '18:00',
      closures: [closure],
      facilitatorIds: [female.id, male.id],
      ...extra,
    });
  const place = async (groupId: string, c: { id: string; version: number }) => call(ctx.app, manager, 'POST', `/api/groups/${groupId}/placements`, { caseId: c.id, caseVersion: c.version });

  beforeAll(async () => {
    ctx = await startTestApp();
    org = await createOrgWithStaff(ctx, 'Groups');
    [papId] = (await createProgrammes(ctx.db.db, org.id, builtInProgrammes)) as [string];
    const make = async (local: string, gender: 'female' | 'male') => {
      const email = `${local}.${org.slug}@test.example`;
      const user = await createUserWithPassword(ctx.db.db, { organisationId: org.id, email, name: `${local} ${org.slug}`, role: 'facilitator', password: TEST_PASSWORD, gender });
      return { id: user.id, session: await signIn(ctx.app, email) };
    };
    female = await make('freya', 'female');
    male = await make('mark', 'male');
    female2 = await make('fiona', 'female');
    male2 = await make('max', 'male');
    manager = await signIn(ctx.app, org.users.service_manager.email);
    worker = await signIn(ctx.app, org.users.case_worker.email);
    facilitator = await signIn(ctx.app, org.users.facilitator.email);
  });
  afterAll(async () => ctx?.close());

  it('gives Parents as Partners as a template; a manager copies and adjusts it, bad input is refused field by field', async () => {
    const pap = (await call(ctx.app, worker, 'GET', `/api/programmes/${papId}`)).json();
    expect(pap).toMatchObject({ sessionCount: 16, sessionMinutes: 120, creche: true, capacityUnit: 'couples', facilitatorRule: 'male_female_pair' });
    expect(pap.curriculum.filter((s: { splitByGender: boolean }) => s.splitByGender)).toHaveLength(2);
    expect((await call(ctx.app, worker, 'POST', `/api/programmes/${papId}/copy`, { name: 'PaP copy' })).statusCode).toBe(403);
    const copy = await call(ctx.app, manager, 'POST', `/api/programmes/${papId}/copy`, { name: 'PaP (Thursday evenings)' });
    expect(copy.statusCode, copy.body).toBe(201);
    expect(copy.json()).toMatchObject({ copiedFrom: papId, acceptsReferrals: false, sessionCount: 16 });
    const { id, version, copiedFrom: _c, ...template } = copy.json();
    const relabelled = template.attendanceStatuses.map((s: { code: string; label: string }) => (s.code === 'apologies' ? { ...s, label: 'Sent apologies' } : s));
    const bad = await call(ctx.app, manager, 'PUT', `/api/programmes/${id}`, { ...template, sessionCount: 12, completionMinSessions: 14, version });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['body.completionMinSessions', 'body.curriculum']);
    const ok = await call(ctx.app, manager, 'PUT', `/api/programmes/${id}`, { ...template, attendanceStatuses: relabelled, completionMinSessions: 12, version });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().completionMinSessions).toBe(12);
    expect((await call(ctx.app, manager, 'PUT', `/api/programmes/${id}`, { ...template, version })).statusCode).toBe(409);
    // The built-in is untouched.
    expect((await call(ctx.app, manager, 'GET', `/api/programmes/${papId}`)).json().completionMinSessions).toBe(pap.completionMinSessions);
  });

  it('plans a group of 16 weekly sessions that skip the closure, with the split-gender sessions marked and the pair checked', async () => {
    const res = await newGroup('Spring group');
    expect(res.statusCode, res.body).toBe(201);
    const g = res.json();
    expect(g.sessions).toHaveLength(16);
    expect(g.sessions[0].onDate).toBe(start);
    expect(g.sessions.map((s: GroupSession) => s.onDate)).not.toContain(closure.from);
    expect(g.sessions[1].onDate).toBe(day(-7));
    expect(g.sessions.filter((s: GroupSession) => s.splitByGender).map((s: GroupSession) => s.number)).toEqual([6, 12]);
    expect(g.sessions.every((s: GroupSession) => s.facilitatorProblem === null)).toBe(true);
    expect(g).toMatchObject({ status: 'planned', capacity: 6, placesFree: 6, sessionsWithoutValidFacilitators: 0, endDate: day(-21 + 16 * 7) });
    const list = (await call(ctx.app, worker, 'GET', '/api/groups')).json().groups;
    expect(list.map((x: { id: string }) => x.id)).toContain(g.id);
  });

  it('refuses bad groups with a clear message and writes nothing', async () => {
    const groups = await count(ctx, 'programme_group');
    const sessions = await count(ctx, 'group_session');
    const inClosure = await newGroup('Closed start', { startDate: closure.from });
    expect(inClosure.statusCode).toBe(400);
    expect(inClosure.json().error.fields[0]).toMatchObject({ path: 'body.startDate' });
    const twoWomen = await newGroup('Two women', { facilitatorIds: [female.id, org.users.facilitator.id], startTime: '10:00' });
    expect(twoWomen.statusCode).toBe(400);
    expect(twoWomen.json().error.fields[0].message).toMatch(/one male and one female/);
    // The same facilitators at the same time in another group: they cannot be in two places at once.
    const clash = await newGroup('Clash', { startTime: '19:00' });
    expect(clash.statusCode).toBe(400);
    expect(clash.json().error.fields[0]).toMatchObject({ path: 'body.facilitatorIds' });
    expect(clash.json().error.fields[0].message).toMatch(/already runs session 1 of Spring group/);
    const fields = await call(ctx.app, manager, 'POST', '/api/groups', { programmeId: papId, name: '', site: 'x', startDate: '2027-02-30', startTime: '25:00', capacity: 0 });
    expect(fields.statusCode).toBe(400);
    expect(fields.json().error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['body.capacity', 'body.name', 'body.startDate', 'body.startTime']);
    expect(await count(ctx, 'programme_group')).toBe(groups);
    expect(await count(ctx, 'group_session')).toBe(sessions);
    const overridden = await newGroup('Single-gender cover', { facilitatorIds: [female2.id], startTime: '10:00', ruleOverrideReason: 'Mothers-only pilot' });
    expect(overridden.statusCode, overridden.body).toBe(201);
    expect(overridden.json().sessions[0].ruleOverrideReason).toBe('Mothers-only pilot');
  });

  it('assigns facilitators per session with the pair rule, and moves a session with or without the rest', async () => {
    const g = (await newGroup('Autumn group', { facilitatorIds: [female2.id, male2.id], startTime: '12:00', startDate: day(7), closures: [] })).json();
    const s3: GroupSession = g.sessions[2];
    const broken = await call(ctx.app, manager, 'PUT', `/api/sessions/${s3.id}/facilitators`, { facilitatorIds: [female2.id], version: s3.version });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.fields[0]).toMatchObject({ path: 'body.facilitatorIds' });
    const cover = await call(ctx.app, manager, 'PUT', `/api/sessions/${s3.id}/facilitators`, { facilitatorIds: [female2.id], ruleOverrideReason: 'Max off sick; cover agreed', version: s3.version });
    expect(cover.statusCode, cover.body).toBe(200);
    expect(cover.json().sessions[2]).toMatchObject({ facilitatorProblem: null, ruleOverrideReason: 'Max off sick; cover agreed' });
    const cleared = await call(ctx.app, manager, 'PUT', `/api/sessions/${s3.id}/facilitators`, { facilitatorIds: [], version: s3.version + 1 });
    expect(cleared.json().sessions[2].facilitatorProblem).toMatch(/pair/);
    expect(cleared.json().sessionsWithoutValidFacilitators).toBe(1);

    const s5: GroupSession = g.sessions[4];
    const before = g.sessions.map((s: GroupSession) => s.onDate);
    const alone = await call(ctx.app, manager, 'POST', `/api/sessions/${s5.id}/move`, { onDate: day(7 + 4 * 7 + 2), rescheduleRest: false, version: s5.version });
    expect(alone.statusCode, alone.body).toBe(200);
    expect(alone.json().sessions.map((s: GroupSession) => s.onDate)).toEqual([...before.slice(0, 4), day(7 + 4 * 7 + 2), ...before.slice(5)]);
    const tooLate = await call(ctx.app, manager, 'POST', `/api/sessions/${s5.id}/move`, { onDate: day(7 + 6 * 7), rescheduleRest: false, version: s5.version + 1 });
    expect(tooLate.statusCode).toBe(400);
    expect(tooLate.json().error.fields[0].path).toBe('body.onDate');
    const rest = await call(ctx.app, manager, 'POST', `/api/sessions/${s5.id}/move`, { onDate: day(7 + 5 * 7), rescheduleRest: true, version: s5.version + 1 });
    expect(rest.statusCode, rest.body).toBe(200);
    const after = rest.json().sessions.map((s: GroupSession) => s.onDate);
    expect(after.slice(0, 4)).toEqual(before.slice(0, 4));
    expect(after.slice(4)).toEqual(before.slice(4).map((_d: string, i: number) => day(7 + (5 + i) * 7)));
    expect((await call(ctx.app, manager, 'POST', `/api/sessions/${s5.id}/move`, { onDate: day(60), rescheduleRest: true, version: s5.version })).statusCode).toBe(409);
    // A date in a closure period is refused, naming the closure, and nothing moves.
    const planned = (await newGroup('Closure move group', { facilitatorIds: [], startTime: '07:00', startDate: day(7), closures: [{ from: day(30), to: day(34), reason: 'Half term' }] })).json();
    const s2: GroupSession = planned.sessions[1];
    const intoClosure = await call(ctx.app, manager, 'POST', `/api/sessions/${s2.id}/move`, { onDate: day(31), rescheduleRest: true, version: s2.version });
    expect(intoClosure.statusCode).toBe(400);
    expect(intoClosure.json().error.fields[0]).toMatchObject({ path: 'body.onDate', message: `falls in a closure (Half term, ${day(30)} to ${day(34)})` });
    const unchanged = (await call(ctx.app, manager, 'GET', `/api/groups/${planned.id}`)).json();
    expect(unchanged.sessions.map((s: GroupSession) => s.onDate)).toEqual(planned.sessions.map((s: GroupSession) => s.onDate));
  });

  it('places couples from the waiting list within capacity, never while domestic abuse is open', async () => {
    const g = (await newGroup('Small group', { facilitatorIds: [], capacity: 2, startTime: '09:00' })).json();
    const a = await newCase();
    const placed = await place(g.id, a);
    expect(placed.statusCode, placed.body).toBe(201);
    expect(placed.json().participants.map((p: { gender: string }) => p.gender).sort()).toEqual(['female', 'male']);
    expect((await caseOf(a.id)).stage).toBe('in_service');
    const again = await place(g.id, { id: a.id, version: (await caseOf(a.id)).version });
    expect(again.statusCode).toBe(400);
    expect(again.json().error.fields[0].message).toMatch(/already placed/);

    const flagged = await newCase();
    const family = (await caseOf(flagged.id)).familyId as string;
    await sql`INSERT INTO safeguarding_flag (organisation_id, family_id, case_id, kind, reason) VALUES (${org.id}, ${family}, ${flagged.id}, 'domestic_abuse', 'Domestic abuse indicated')`.execute(ctx.db.db);
    const placements = await count(ctx, 'placement');
    const blocked = await place(g.id, flagged);
    expect(blocked.statusCode).toBe(400);
    expect(blocked.json().error.fields[0]).toMatchObject({ path: 'body.caseId' });
    expect(blocked.json().error.fields[0].message).toMatch(/domestic abuse/);
    expect((await caseOf(flagged.id)).stage).toBe('awaiting_group');

    const notWaiting = await newCase('triaged');
    expect((await place(g.id, notWaiting)).json().error.fields[0].message).toMatch(/only a case awaiting a group/);

    const b = await newCase();
    expect((await place(g.id, b)).statusCode).toBe(201);
    const c = await newCase();
    const full = await place(g.id, c);
    expect(full.statusCode).toBe(409);
    expect(full.json().error.message).toMatch(/full: 2 of 2 couples/);
    expect((await caseOf(c.id)).stage).toBe('awaiting_group');
    expect(await count(ctx, 'placement')).toBe(placements + 1);
    const detail = (await call(ctx.app, manager, 'GET', `/api/groups/${g.id}`)).json();
    expect(detail).toMatchObject({ placesFilled: 2, placesFree: 0 });
    const lower = await call(ctx.app, manager, 'PATCH', `/api/groups/${g.id}`, { capacity: 1, version: detail.version });
    expect(lower.json().error.fields[0]).toMatchObject({ path: 'body.capacity' });

    // A drop-out is recorded with its date and reason, the case is withdrawn, and the place is free again.
    const p = placed.json();
    expect((await call(ctx.app, worker, 'POST', `/api/placements/${p.id}/withdraw`, { on: day(3), reason: 'Moved away', version: p.version })).json().error.fields[0].path).toBe('body.on');
    const withdrawn = await call(ctx.app, worker, 'POST', `/api/placements/${p.id}/withdraw`, { on: day(0), reason: 'Moved out of the area', version: p.version });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(withdrawn.json()).toMatchObject({ status: 'withdrawn', withdrawnOn: day(0), withdrawalReason: 'Moved out of the area' });
    expect((await caseOf(a.id)).stage).toBe('withdrawn');
    expect((await place(g.id, { id: c.id, version: (await caseOf(c.id)).version })).statusCode).toBe(201);
  });

  it('takes the whole register in one call, refuses bad marks field by field, and answers 409 on a stale register', async () => {
    const g = (await newGroup('Register group', { facilitatorIds: [female2.id, male2.id], startTime: '14:00' })).json();
    for (let i = 0; i < 2; i += 1) expect((await place(g.id, await newCase())).statusCode).toBe(201);
    const s1: GroupSession = g.sessions[0];
    // A facilitator who does not run the group does not see it.
    expect((await call(ctx.app, facilitator, 'GET', `/api/sessions/${s1.id}/register`)).statusCode).toBe(404);
    expect((await call(ctx.app, worker, 'GET', `/api/sessions/${s1.id}/register`)).statusCode).toBe(403);
    const reg: Register = (await call(ctx.app, female2.session, 'GET', `/api/sessions/${s1.id}/register`)).json();
    expect(reg.participants).toHaveLength(4);
    expect(reg.children).toHaveLength(2);
    expect(reg.participants.every((p) => p.status === null)).toBe(true);

    const before = await count(ctx, 'attendance');
    const bad = await call(ctx.app, female2.session, 'PUT', `/api/sessions/${s1.id}/register`, {
      marks: [
        { personId: reg.participants[0]?.personId, status: 'present' },
        { personId: '00000000-0000-4000-8000-000000000000', status: 'present' },
        { personId: reg.participants[1]?.personId, status: 'asleep' },
      ],
      version: reg.version,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.map((f: { path: string }) => f.path)).toEqual(['body.marks.1.personId', 'body.marks.2.status']);
    expect(bad.json().error.fields[0].message).toBe('is not a participant of this group');
    expect(await count(ctx, 'attendance')).toBe(before);

    const marks = reg.participants.map((p, i) => ({ personId: p.personId, status: ['present', 'late', 'apologies', 'absent'][i] }));
    const saved = await call(ctx.app, male2.session, 'PUT', `/api/sessions/${s1.id}/register`, { marks, creche: reg.children.map((c) => ({ personId: c.personId, present: true })), version: reg.version });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().participants.map((p: { status: string }) => p.status)).toEqual(['present', 'late', 'apologies', 'absent']);
    expect(saved.json().children.every((c: { present: boolean }) => c.present)).toBe(true);
    expect(saved.json().version).toBe(reg.version + 1);
    const stale = await call(ctx.app, female2.session, 'PUT', `/api/sessions/${s1.id}/register`, { marks: [{ personId: marks[0]?.personId, status: 'absent' }], version: reg.version });
    expect(stale.statusCode).toBe(409);
    const after: Register = (await call(ctx.app, female2.session, 'GET', `/api/sessions/${s1.id}/register`)).json();
    expect(after.participants[0]?.status).toBe('present');

    const future: GroupSession = g.sessions[5];
    const early = await call(ctx.app, female2.session, 'PUT', `/api/sessions/${future.id}/register`, { marks, version: 1 });
    expect(early.statusCode).toBe(400);
    expect(early.json().error.message).toMatch(/opens on/);
    // A session with a register cannot be moved.
    expect((await call(ctx.app, manager, 'POST', `/api/sessions/${s1.id}/move`, { onDate: day(-20), rescheduleRest: false, version: s1.version })).statusCode).toBe(400);
  });

  it("computes dose, and two absences in a row tell the case worker once", async () => {
    const g = (await newGroup('Dose group', { facilitatorIds: [female2.id, male2.id], startTime: '16:00' })).json();
    const c = await newCase();
    expect((await place(g.id, c)).statusCode).toBe(201);
    const [s1, s2] = g.sessions as [GroupSession, GroupSession];
    const take = async (s: GroupSession, status: (name: string) => string) => {
      const reg: Register = (await call(ctx.app, manager, 'GET', `/api/sessions/${s.id}/register`)).json();
      return call(ctx.app, manager, 'PUT', `/api/sessions/${s.id}/register`, { marks: reg.participants.map((p) => ({ personId: p.personId, status: status(p.name) })), version: reg.version });
    };
    const absentDad = (name: string) => (name.startsWith('Marcus') ? 'absent' : 'present');
    const first = await take(s1, absentDad);
    expect(first.json().followUps).toEqual([]);
    const second = await take(s2, (name) => (name.startsWith('Marcus') ? 'apologies' : 'late'));
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json().followUps).toMatchObject([{ name: 'Marcus Fielding', consecutiveAbsences: 2 }]);
    const work = (await call(ctx.app, worker, 'GET', '/api/my-work')).json();
    const alerts = work.notifications.filter((n: { message: string }) => n.message.includes('Marcus Fielding has missed 2 sessions in a row of Dose group'));
    expect(alerts).toHaveLength(1);
    expect(alerts[0].link).toBe(`/cases/${c.id}`);
    // Saving the same register again does not tell the case worker twice.
    expect((await take(s2, (name) => (name.startsWith('Marcus') ? 'absent' : 'late'))).json().followUps).toEqual([]);

    const dose = (await call(ctx.app, worker, 'GET', `/api/groups/${g.id}/dose`)).json();
    expect(dose.sessionsHeld).toBe(2);
    const dad = dose.participants.find((p: { name: string }) => p.name === 'Marcus Fielding');
    const mum = dose.participants.find((p: { name: string }) => p.name === 'Dana Fielding');
    expect(dad).toMatchObject({ sessionsMarked: 2, sessionsAttended: 0, attendanceRate: 0, consecutiveAbsences: 2, completer: false });
    expect(mum).toMatchObject({ sessionsMarked: 2, sessionsAttended: 2, attendanceRate: 1, consecutiveAbsences: 0 });
    // Another case worker's view leaves out families that are not theirs.
    const other = await createUserWithPassword(ctx.db.db, { organisationId: org.id, email: `otto.${org.slug}@test.example`, name: 'Otto', role: 'case_worker', password: TEST_PASSWORD });
    const otherSession = await signIn(ctx.app, `otto.${org.slug}@test.example`);
    expect(other.id).toBeTruthy();
    expect((await call(ctx.app, otherSession, 'GET', `/api/groups/${g.id}/dose`)).json().participants).toEqual([]);
    expect((await call(ctx.app, otherSession, 'GET', `/api/groups/${g.id}`)).json().placements).toEqual([]);
  });

  it("gives a facilitator their sessions as an iCalendar feed, naming no family", async () => {
    const res = await call(ctx.app, female.session, 'GET', '/api/me/calendar.ics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/calendar/);
    expect(res.body.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(res.body).toContain(`DTSTART;TZID=Europe/London:${start.replaceAll('-', '')}T180000`);
    expect(res.body).toContain('SUMMARY:Spring group: session 1');
    expect(res.body).not.toContain('Fielding');
    expect((await call(ctx.app, null, 'GET', '/api/me/calendar.ics')).statusCode).toBe(401);
    // A calendar app has no cookie: the secret feed URL gives the same sessions.
    expect((await call(ctx.app, female.session, 'GET', '/api/me/calendar-feed')).json()).toEqual({ active: false, createdAt: null });
    const feed = (await call(ctx.app, female.session, 'POST', '/api/me/calendar-feed')).json();
    const byUrl = await call(ctx.app, null, 'GET', feed.path);
    expect(byUrl.statusCode).toBe(200);
    expect(byUrl.body).toContain('SUMMARY:Spring group: session 1');
    expect(byUrl.body).not.toContain('Fielding');
    expect((await call(ctx.app, female.session, 'GET', '/api/me/calendar-feed')).json().active).toBe(true);
  });
  it("hangs a placed family's post questionnaires on the group's last session, not on the day the case completes", async () => {
    const g = (await newGroup('Post anchor group', { facilitatorIds: [], startTime: '20:30', startDate: day(7), closures: [] })).json();
    const c = await newCase();
    const before = (await call(ctx.app, worker, 'GET', `/api/cases/${c.id}/questionnaires`)).json();
    expect(before.expected.filter((x: { timepoint: string }) => x.timepoint === 'post')).toEqual([]);
    expect((await place(g.id, (await caseOf(c.id)))).statusCode).toBe(201);
    const last = (g.sessions as GroupSession[]).map((x) => x.onDate).sort().at(-1) as string;
    const after = (await call(ctx.app, worker, 'GET', `/api/cases/${c.id}/questionnaires`)).json();
    const post = after.expected.filter((x: { timepoint: string }) => x.timepoint === 'post') as { opensOn: string; dueOn: string }[];
    expect(post.length).toBeGreaterThan(0);
    for (const x of post) expect(x.opensOn <= last && last <= x.dueOn, `${x.opensOn}..${x.dueOn} around ${last}`).toBe(true);
  });
});
