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
const monthsAgo = (months: number): string => {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.toISOString().slice(0, 10);
};

type Booking = { id: string; personId: string; name: string; allergies: string | null; medicalNotes: string | null; present: boolean | null; collectedBy: string | null; version: number };
type Creche = {
  staff: { id: string; name: string }[];
  ratio: { staffNeeded: number; staffRostered: number; ok: boolean };
  medicalNotesVisible: boolean;
  canTakeRegister: boolean;
  bookings: Booking[];
  unbooked: { personId: string; name: string; ageMonths: number | null }[];
  registerVersion: number;
};

describe(`the crèche and the session record on ${engineName()}`, () => {
  let ctx: TestContext;
  let org: TestOrg;
  let manager: Session;
  let worker: Session;
  let outsider: Session;
  let lead: { id: string; session: Session };
  let cara: { id: string; session: Session };
  let colin: { id: string; session: Session };
  let today: string;
  let nextWeek: string;
  let children: Record<string, string>;
  let caseIds: string[];
  let lastWeek: string;

  const creche = async (session: Session, sessionId: string) => call(ctx.app, session, 'GET', `/api/sessions/${sessionId}/creche`);
  const book = (sessionId: string, personId: string, extra: Record<string, unknown> = {}) =>
    call(ctx.app, worker, 'POST', `/api/sessions/${sessionId}/creche/bookings`, {
      personId,
      needs: 'Settles with her blanket',
      allergies: 'Peanuts (EpiPen in the bag)',
      medicalNotes: 'Mild asthma; inhaler before outdoor play',
      consentGivenBy: 'Parent at booking',
      consentOn: day(0),
      laterSessions: false,
      ...extra,
    });
  const roster = (sessionId: string, staffIds: string[]) => call(ctx.app, manager, 'PUT', `/api/sessions/${sessionId}/creche/staff`, { staffIds });

  beforeAll(async () => {
    ctx = await startTestApp();
    org = await createOrgWithStaff(ctx, 'Creche');
    const [papId] = (await createProgrammes(ctx.db.db, org.id, builtInProgrammes)) as [string];
    const make = async (local: string, gender: 'female' | 'male') => {
      const email = `${local}.${org.slug}@test.example`;
      const user = await createUserWithPassword(ctx.db.db, { organisationId: org.id, email, name: `${local} ${org.slug}`, role: 'facilitator', password: TEST_PASSWORD, gender });
      return { id: user.id, session: await signIn(ctx.app, email) };
    };
    lead = await make('freya', 'female');
    const male = await make('mark', 'male');
    cara = await make('cara', 'female');
    colin = await make('colin', 'male');
    manager = await signIn(ctx.app, org.users.service_manager.email);
    worker = await signIn(ctx.app, org.users.case_worker.email);
    outsider = await signIn(ctx.app, org.users.facilitator.email);
    const group = await call(ctx.app, manager, 'POST', '/api/groups', {
      programmeId: papId,
      name: 'Crèche group',
      site: 'Northgate',
      startDate: day(-7),
      startTime: '18:00',
      facilitatorIds: [lead.id, male.id],
    });
    expect(group.statusCode, group.body).toBe(201);
    const sessions = group.json().sessions as { id: string }[];
    lastWeek = sessions[0]?.id ?? '';
    today = sessions[1]?.id ?? '';
    nextWeek = sessions[2]?.id ?? '';
    // Two families: babies of 10 and 18 months; a toddler of 20 months and a four-year-old.
    children = {};
    caseIds = [];
    const families = [
      [
        { givenName: 'Ada', months: 10 },
        { givenName: 'Ben', months: 18 },
      ],
      [
        { givenName: 'Cleo', months: 20 },
        { givenName: 'Dev', months: 48 },
      ],
    ];
    for (const kids of families) {
      const r = (
        await call(ctx.app, worker, 'POST', '/api/referrals', {
          submission: aReferral({ programmeId: papId, children: kids.map((k) => ({ givenName: k.givenName, familyName: 'Fielding', dateOfBirth: monthsAgo(k.months) })) }),
        })
      ).json();
      const accepted = (await call(ctx.app, worker, 'POST', `/api/referrals/${r.id}/decision`, { decision: 'accept', caseWorkerId: org.users.case_worker.id, version: r.version })).json();
      let c = (await call(ctx.app, worker, 'GET', `/api/cases/${accepted.caseId}`)).json();
      for (const to of ['assessment_booked', 'assessed', 'awaiting_group']) c = (await call(ctx.app, worker, 'POST', `/api/cases/${c.id}/stage`, { to, version: c.version })).json();
      const placed = await call(ctx.app, manager, 'POST', `/api/groups/${group.json().id}/placements`, { caseId: c.id, caseVersion: c.version });
      expect(placed.statusCode, placed.body).toBe(201);
      caseIds.push(c.id);
      for (const m of c.members as { personId: string; givenName?: string; name?: string; isChild: boolean }[]) {
        if (m.isChild) children[(m.givenName ?? m.name ?? '').split(' ')[0] ?? ''] = m.personId;
      }
    }
    expect(Object.keys(children).sort()).toEqual(['Ada', 'Ben', 'Cleo', 'Dev']);
  });
  afterAll(async () => ctx?.close());

  it('refuses a booking over ratio with a clear message and writes nothing, until more crèche staff are rostered', async () => {
    const none = await book(today, children.Ada ?? '');
    expect(none.statusCode).toBe(409);
    expect(none.json().error.message).toMatch(/session 2 .* over ratio: 1 under 2 \(1:3\) needs 1 crèche staff and 0 are rostered/);
    expect((await roster(today, [cara.id])).statusCode).toBe(200);
    for (const name of ['Ada', 'Ben', 'Cleo']) {
      const res = await book(today, children[name] ?? '');
      expect(res.statusCode, res.body).toBe(201);
    }
    const bookings = await count(ctx, 'creche_booking');
    const fourth = await book(today, children.Dev ?? '');
    expect(fourth.statusCode).toBe(409);
    expect(fourth.json().error.message).toContain('3 under 2 (1:3), 1 3 to 5 (1:8) needs 2 crèche staff and 1 is rostered. Roster more crèche staff');
    expect(await count(ctx, 'creche_booking')).toBe(bookings);
    // Every later session must be staffed too: one unstaffed week refuses the whole booking.
    const later = await book(today, children.Dev ?? '', { laterSessions: true });
    expect(later.statusCode).toBe(409);
    expect(await count(ctx, 'creche_booking')).toBe(bookings);

    expect((await roster(today, [cara.id, colin.id])).statusCode).toBe(200);
    const ok = await book(today, children.Dev ?? '');
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().ratio).toMatchObject({ staffNeeded: 2, staffRostered: 2, ok: true });
    // Taking a member of staff away now would leave the children over ratio.
    const fewer = await roster(today, [cara.id]);
    expect(fewer.statusCode).toBe(409);
    expect((await creche(manager, today)).json().staff).toHaveLength(2);
  });

  it('refuses bad bookings and rosters field by field', async () => {
    const stranger = await book(today, org.users.case_worker.id);
    expect(stranger.statusCode).toBe(400);
    expect(stranger.json().error.fields[0]).toMatchObject({ path: 'body.personId', message: 'is not a child of a family placed in this group' });
    const twice = await book(today, children.Ada ?? '');
    expect(twice.statusCode).toBe(409);
    const future = await book(nextWeek, children.Ada ?? '', { consentOn: day(3) });
    expect(future.json().error.fields[0]).toMatchObject({ path: 'body.consentOn' });
    const noConsent = await book(nextWeek, children.Ada ?? '', { consentGivenBy: ' ' });
    expect(noConsent.json().error.fields[0]).toMatchObject({ path: 'body.consentGivenBy' });
    const runner = await roster(nextWeek, [lead.id]);
    expect(runner.statusCode).toBe(400);
    expect(runner.json().error.message).toContain('runs this session and cannot staff its crèche');
    expect((await call(ctx.app, worker, 'PUT', `/api/sessions/${nextWeek}/creche/staff`, { staffIds: [cara.id] })).statusCode).toBe(403);
  });

  it("shows allergies and medical notes to the session's crèche staff only, and audits who read them", async () => {
    const staff = (await creche(cara.session, today)).json() as Creche;
    expect(staff.medicalNotesVisible).toBe(true);
    expect(staff.bookings.find((b) => b.personId === children.Ada)).toMatchObject({ allergies: 'Peanuts (EpiPen in the bag)', medicalNotes: 'Mild asthma; inhaler before outdoor play' });
    for (const session of [worker, manager, lead.session]) {
      const res = await creche(session, today);
      expect(res.statusCode).toBe(200);
      expect(res.json().medicalNotesVisible).toBe(false);
      expect(res.body).not.toContain('Peanuts');
      expect(res.body).not.toContain('asthma');
      expect(res.json().bookings[0].needs).toBe('Settles with her blanket');
    }
    // A facilitator who neither runs the group nor staffs its crèche does not see it at all.
    expect((await creche(outsider, today)).statusCode).toBe(404);
    // Cara staffs session 2 only: in session 3 she is not crèche staff and reads no notes.
    expect((await creche(cara.session, nextWeek)).json().medicalNotesVisible).toBe(false);
    const audit = await sql<{ action: string; actor: string }>`SELECT action, actor_user_id::text AS actor FROM audit_event WHERE entity_id = ${today} AND action LIKE 'view:creche%'`.execute(ctx.db.db);
    expect(audit.rows.filter((r) => r.action === 'view:creche_medical').map((r) => r.actor)).toContain(cara.id);
    expect(audit.rows.filter((r) => r.action === 'view:creche_medical').map((r) => r.actor)).not.toContain(lead.id);
  });

  it('corrects and cancels a booking with its version', async () => {
    const view = (await creche(cara.session, today)).json() as Creche;
    const ben = view.bookings.find((b) => b.personId === children.Ben);
    const changed = await call(ctx.app, worker, 'PATCH', `/api/creche-bookings/${ben?.id}`, { allergies: 'None known', version: ben?.version });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().bookings.find((b: Booking) => b.personId === children.Ben).allergies).toBeNull();
    expect((await call(ctx.app, worker, 'PATCH', `/api/creche-bookings/${ben?.id}`, { cancel: true, version: ben?.version })).statusCode).toBe(409);
    const after = (await creche(cara.session, today)).json() as Creche;
    expect(after.bookings.find((b) => b.personId === children.Ben)?.allergies).toBe('None known');
    expect((await call(ctx.app, outsider, 'PATCH', `/api/creche-bookings/${ben?.id}`, { cancel: true, version: 2 })).statusCode).toBe(403);
  });

  it("takes the crèche register: the crèche's staff or a manager, booked children only, with its version", async () => {
    const view = (await creche(cara.session, today)).json() as Creche;
    const marks = view.bookings.map((b) => ({ personId: b.personId, present: b.personId !== children.Cleo, collectedBy: b.personId === children.Ada ? 'Dana Fielding' : null }));
    expect((await call(ctx.app, worker, 'PUT', `/api/sessions/${today}/creche/register`, { marks, version: view.registerVersion })).statusCode).toBe(403);
    expect((await call(ctx.app, lead.session, 'PUT', `/api/sessions/${today}/creche/register`, { marks, version: view.registerVersion })).statusCode).toBe(403);
    const stranger = await call(ctx.app, cara.session, 'PUT', `/api/sessions/${today}/creche/register`, { marks: [...marks, { personId: lead.id, present: true, collectedBy: null }], version: view.registerVersion });
    expect(stranger.statusCode).toBe(400);
    expect(stranger.json().error.fields[0]).toMatchObject({ path: `body.marks.${marks.length}.personId`, message: 'is not booked into this crèche' });
    const saved = await call(ctx.app, cara.session, 'PUT', `/api/sessions/${today}/creche/register`, { marks, version: view.registerVersion });
    expect(saved.statusCode, saved.body).toBe(200);
    const ada = (saved.json() as Creche).bookings.find((b) => b.personId === children.Ada);
    expect(ada).toMatchObject({ present: true, collectedBy: 'Dana Fielding' });
    expect((saved.json() as Creche).bookings.find((b) => b.personId === children.Cleo)?.present).toBe(false);
    expect((await call(ctx.app, manager, 'PUT', `/api/sessions/${today}/creche/register`, { marks, version: view.registerVersion })).statusCode).toBe(409);
    // The group's own register shows the same crèche marks.
    const register = (await call(ctx.app, manager, 'GET', `/api/sessions/${today}/register`)).json();
    expect(register.children.find((c: { personId: string }) => c.personId === children.Cleo).present).toBe(false);
    // Saving the group's register (with its crèche ticks) keeps who collected each child.
    const groupSave = await call(ctx.app, manager, 'PUT', `/api/sessions/${today}/register`, {
      marks: register.participants.map((p: { personId: string }) => ({ personId: p.personId, status: register.statuses[0].code })),
      creche: [{ personId: children.Ada, present: true }],
      version: register.version,
    });
    expect(groupSave.statusCode, groupSave.body).toBe(200);
    expect(((await creche(cara.session, today)).json() as Creche).bookings.find((b) => b.personId === children.Ada)?.collectedBy).toBe('Dana Fielding');
    // Next week's crèche register opens on the day.
    const next = (await creche(manager, nextWeek)).json() as Creche;
    const early = await call(ctx.app, manager, 'PUT', `/api/sessions/${nextWeek}/creche/register`, { marks: [], version: next.registerVersion });
    expect(early.statusCode).toBe(400);
  });
  it('records a session against its curriculum: the checklist, the notes, versions', async () => {
    const path = `/api/sessions/${lastWeek}/record`;
    const blank = (await call(ctx.app, lead.session, 'GET', path)).json();
    expect(blank).toMatchObject({ number: 1, version: 0, notes: '', adherence: { rated: 0, of: 2, percent: null } });
    expect(blank.items.map((i: { key: string }) => i.key)).toEqual(['topic', 'strand']);
    expect(blank.items[0].label).toContain('Welcome: hopes for ourselves');
    const bad = await call(ctx.app, lead.session, 'PUT', path, { items: [{ key: 'split_groups', status: 'covered', note: '' }], notes: '', version: 0 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0]).toMatchObject({ path: 'body.items.0.key' });
    const body = { items: [{ key: 'topic', status: 'covered', note: '' }, { key: 'strand', status: 'partly', note: 'Ran short of time' }], notes: 'Good energy; one couple quiet.', version: 0 };
    const saved = await call(ctx.app, lead.session, 'PUT', path, body);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ version: 1, notes: 'Good energy; one couple quiet.', adherence: { rated: 2, of: 2, percent: 75 }, updatedBy: `freya ${org.slug}` });
    // Both facilitators opened version 0; the second save is stale.
    expect((await call(ctx.app, manager, 'PUT', path, { ...body, notes: 'Overwrite' })).statusCode).toBe(409);
    expect((await call(ctx.app, manager, 'PUT', path, { ...body, notes: 'Added after supervision', version: 1 })).json().version).toBe(2);
    // Not before the day; not for a facilitator outside the group; not for a case worker.
    const early = await call(ctx.app, lead.session, 'PUT', `/api/sessions/${nextWeek}/record`, { ...body, version: 0 });
    expect(early.statusCode).toBe(400);
    expect((await call(ctx.app, outsider, 'GET', path)).statusCode).toBe(404);
    expect((await call(ctx.app, worker, 'GET', path)).statusCode).toBe(403);
  });

  it("raises a safeguarding concern from a session into the family's safeguarding flow", async () => {
    const path = `/api/sessions/${lastWeek}/concerns`;
    const flags = await count(ctx, 'safeguarding_flag');
    const stranger = await call(ctx.app, lead.session, 'POST', path, { caseId: org.users.case_worker.id, reason: 'x' });
    expect(stranger.statusCode).toBe(400);
    expect(stranger.json().error.fields[0]).toMatchObject({ path: 'body.caseId' });
    expect((await call(ctx.app, lead.session, 'POST', path, { caseId: caseIds[0], reason: '' })).statusCode).toBe(400);
    expect(await count(ctx, 'safeguarding_flag')).toBe(flags);

    const raised = await call(ctx.app, lead.session, 'POST', path, { caseId: caseIds[0], reason: 'A child said she is scared when her parents shout at night.' });
    expect(raised.statusCode, raised.body).toBe(201);
    const concern = raised.json().concerns[0];
    expect(concern).toMatchObject({ caseId: caseIds[0], flagStatus: 'open', reason: null, raisedBy: `freya ${org.slug}` });
    // The journey's flow: the family is flagged on its case, the case worker is told, a manager decides.
    const c = (await call(ctx.app, worker, 'GET', `/api/cases/${caseIds[0]}`)).json();
    expect(c.safeguarding).toBe(true);
    const work = (await call(ctx.app, worker, 'GET', '/api/my-work')).json();
    expect(JSON.stringify(work)).toContain('Safeguarding concern raised in session 1 of Crèche group');
    const managerView = (await call(ctx.app, manager, 'GET', `/api/sessions/${lastWeek}/record`)).json();
    expect(managerView.concerns[0].reason).toContain('scared');
    const flag = (await call(ctx.app, manager, 'GET', `/api/safeguarding-flags`)).json();
    const found = (flag.flags ?? flag).find((f: { id: string }) => f.id === concern.flagId);
    expect(found).toMatchObject({ kind: 'session_concern' });
    const resolved = await call(ctx.app, manager, 'POST', `/api/safeguarding-flags/${concern.flagId}/resolve`, { decision: 'Spoke with both parents; referred to early help.', version: found.version });
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect((await call(ctx.app, lead.session, 'GET', `/api/sessions/${lastWeek}/record`)).json().concerns[0].flagStatus).toBe('resolved');
  });
});
