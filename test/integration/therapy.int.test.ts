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

type Appointment = { id: string; number: number; onDate: string; startTime: string; status: string; changes: { fromDate: string; toDate: string; reason: string }[]; version: number };

describe(`therapy appointments on ${engineName()}`, () => {
  let ctx: TestContext;
  let org: TestOrg;
  let therapyId: string;
  let papId: string;
  let manager: Session;
  let worker: Session;
  let ann: { id: string; session: Session };
  let ben: { id: string; session: Session };
  const counts = async () => ({ series: await count(ctx, 'therapy_series'), appointments: await count(ctx, 'therapy_appointment'), changes: await count(ctx, 'therapy_appointment_change') });

  const adoptive = () =>
    aReferral({
      programmeId: therapyId,
      parents: [
        { givenName: 'Dana', familyName: 'Fielding', dateOfBirth: '1987-03-14', gender: 'female', relationship: 'adoptive_parent', email: 'dana@family.example', willingToAttend: true },
        { givenName: 'Marcus', familyName: 'Fielding', dateOfBirth: '1985-07-02', gender: 'male', relationship: 'adoptive_parent', phone: '07700 900123', willingToAttend: true },
      ],
    });
  const newCase = async (to: readonly string[] = ['assessment_booked', 'assessed']): Promise<{ id: string; version: number }> => {
    const r = await call(ctx.app, worker, 'POST', '/api/referrals', { submission: adoptive() });
    if (r.statusCode !== 201) throw new Error(r.body);
    const accepted = (await call(ctx.app, worker, 'POST', `/api/referrals/${r.json().id}/decision`, { decision: 'accept', caseWorkerId: org.users.case_worker.id, version: r.json().version })).json();
    let c = (await call(ctx.app, worker, 'GET', `/api/cases/${accepted.caseId}`)).json();
    for (const stage of to) {
      const moved = await call(ctx.app, worker, 'POST', `/api/cases/${c.id}/stage`, { to: stage, version: c.version });
      if (moved.statusCode !== 200) throw new Error(moved.body);
      c = moved.json();
    }
    return { id: c.id, version: c.version };
  };
  const caseOf = async (id: string) => (await call(ctx.app, worker, 'GET', `/api/cases/${id}`)).json();
  const book = (c: { id: string; version: number }, body: Record<string, unknown>) =>
    call(ctx.app, manager, 'POST', `/api/cases/${c.id}/therapy-series`, { therapistId: ann.id, kind: 'therapy', startTime: '10:00', count: 20, caseVersion: c.version, ...body });

  beforeAll(async () => {
    ctx = await startTestApp();
    org = await createOrgWithStaff(ctx, 'Therapy');
    const ids = await createProgrammes(ctx.db.db, org.id, builtInProgrammes);
    papId = ids[0] ?? '';
    therapyId = ids[1] ?? '';
    const make = async (local: string, gender: 'female' | 'male') => {
      const email = `${local}.${org.slug}@test.example`;
      const user = await createUserWithPassword(ctx.db.db, { organisationId: org.id, email, name: `${local} ${org.slug}`, role: 'facilitator', password: TEST_PASSWORD, gender });
      return { id: user.id, session: await signIn(ctx.app, email) };
    };
    ann = await make('ann', 'female');
    ben = await make('ben', 'male');
    manager = await signIn(ctx.app, org.users.service_manager.email);
    worker = await signIn(ctx.app, org.users.case_worker.email);
  });
  afterAll(async () => ctx?.close());

  let seriesId = '';
  let appointments: Appointment[] = [];

  it('books 20 weekly appointments for a couple, skipping the closure, and the case goes into service', async () => {
    const c = await newCase();
    const closure = { from: day(21), to: day(27), reason: 'Easter closure' };
    const res = await book(c, { firstDate: day(7), closures: [closure], venue: 'Therapy room 2' });
    expect(res.statusCode, res.body).toBe(201);
    const series = res.json();
    seriesId = series.id;
    appointments = series.appointments;
    expect(appointments).toHaveLength(20);
    expect(appointments.map((a) => a.onDate)).not.toContain(day(21));
    expect(appointments.slice(0, 3).map((a) => a.onDate)).toEqual([day(7), day(14), day(28)]);
    expect(appointments.at(-1)?.onDate).toBe(day(7 + 20 * 7));
    expect(appointments.every((a) => a.status === 'booked' && a.startTime === '10:00')).toBe(true);
    expect(series).toMatchObject({ kind: 'therapy', therapistId: ann.id, minutes: 50, appointmentCount: 20, nextAppointment: day(7), familyLabel: expect.stringContaining('Fielding') });
    expect(series.dose).toMatchObject({ booked: 20, attended: 0, attendanceRate: null, completer: false });
    expect((await caseOf(c.id)).stage).toBe('in_service');
    // The therapist is told, sees it in their diary and in their list; another therapist does not see it.
    const work = (await call(ctx.app, ann.session, 'GET', '/api/my-work')).json();
    expect(work.notifications.some((n: { message: string }) => n.message.startsWith('20 weekly appointments booked with you'))).toBe(true);
    const diary = (await call(ctx.app, ann.session, 'GET', `/api/diary?from=${day(0)}&to=${day(30)}`)).json();
    expect(diary.entries.map((e: { onDate: string }) => e.onDate)).toEqual([day(7), day(14), day(28)]);
    expect((await call(ctx.app, ann.session, 'GET', '/api/therapy-series')).json().series.map((s: { id: string }) => s.id)).toEqual([seriesId]);
    expect((await call(ctx.app, ben.session, 'GET', `/api/therapy-series/${seriesId}`)).statusCode).toBe(404);
    expect((await call(ctx.app, ben.session, 'GET', '/api/therapy-series')).json().series).toEqual([]);
    expect((await call(ctx.app, ben.session, 'GET', `/api/diary?therapistId=${ann.id}`)).statusCode).toBe(404);
    expect((await call(ctx.app, worker, 'GET', `/api/therapy-series/${seriesId}`)).statusCode).toBe(200);
    // The therapist's calendar feed carries the appointments, by number, never the family.
    const feed = (await call(ctx.app, ann.session, 'POST', '/api/me/calendar-feed')).json();
    const ics = (await call(ctx.app, null, 'GET', feed.path)).body;
    expect(ics.match(/SUMMARY:Therapy: appointment/g)).toHaveLength(20);
    expect(ics).toContain(`DTSTART;TZID=Europe/London:${day(7).replaceAll('-', '')}T100000`);
    expect(ics).not.toContain('Fielding');
  });

  it('refuses a series that clashes with a group session or another appointment, naming the date, and writes nothing', async () => {
    const group = await call(ctx.app, manager, 'POST', '/api/groups', {
      programmeId: papId,
      name: 'Thursday group',
      site: 'Northgate',
      startDate: day(30),
      startTime: '09:30',
      facilitatorIds: [ann.id, ben.id],
    });
    expect(group.statusCode, group.body).toBe(201);
    const c = await newCase();
    const before = await counts();
    const withGroup = await book(c, { firstDate: day(2), startTime: '11:00' });
    expect(withGroup.statusCode).toBe(400);
    expect(withGroup.json().error.fields[0]).toMatchObject({ path: 'body.firstDate' });
    expect(withGroup.json().error.fields[0].message).toBe(`appointment 5 on ${day(30)} at 11:00–11:50 clashes with the therapist's session 1 of Thursday group (09:30–11:30)`);
    const withAppointment = await book(c, { firstDate: day(-7), startTime: '10:30', count: 4 });
    expect(withAppointment.statusCode).toBe(400);
    expect(withAppointment.json().error.fields[0].message).toMatch(new RegExp(`^appointment 3 on ${day(7)} at 10:30–11:20 clashes with the therapist's appointment 1 for case `));
    const fields = await book(c, { firstDate: day(7), count: 21, minutes: 5, therapistId: org.users.case_worker.id });
    expect(fields.statusCode).toBe(400);
    expect(fields.json().error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['body.count', 'body.minutes']);
    const notTherapist = await book(c, { firstDate: day(3), therapistId: org.users.case_worker.id });
    expect(notTherapist.json().error.fields[0]).toMatchObject({ path: 'body.therapistId' });
    const consultation = await book(c, { firstDate: day(3), kind: 'consultation', count: 2 });
    expect(consultation.json().error.fields[0]).toMatchObject({ path: 'body.count', message: 'a consultation is a single appointment' });
    const closed = await book(c, { firstDate: day(3), closures: [{ from: day(3), to: day(3), reason: 'Bank holiday' }] });
    expect(closed.json().error.fields[0]).toMatchObject({ path: 'body.firstDate' });
    expect(closed.json().error.fields[0].message).toMatch(/falls in a closure \(Bank holiday/);
    const family = (await caseOf(c.id)).familyId as string;
    await sql`INSERT INTO safeguarding_flag (organisation_id, family_id, case_id, kind, reason) VALUES (${org.id}, ${family}, ${c.id}, 'domestic_abuse', 'Domestic abuse indicated')`.execute(ctx.db.db);
    const flagged = await book(c, { firstDate: day(3), startTime: '15:00' });
    expect(flagged.json().error.fields[0].message).toMatch(/domestic abuse/);
    expect(await counts()).toEqual(before);
    expect((await caseOf(c.id)).stage).toBe('assessed');
  });

  it('books a consultation before the assessment, and the other therapist at the same time', async () => {
    const c = await newCase([]);
    const res = await call(ctx.app, manager, 'POST', `/api/cases/${c.id}/therapy-series`, { therapistId: ben.id, kind: 'consultation', firstDate: day(7), startTime: '10:00', count: 1, caseVersion: c.version });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().appointments).toMatchObject([{ kind: 'consultation', onDate: day(7) }]);
    expect((await caseOf(c.id)).stage).toBe('triaged');
    const early = await call(ctx.app, manager, 'POST', `/api/cases/${c.id}/therapy-series`, { therapistId: ben.id, kind: 'therapy', firstDate: day(70), startTime: '10:00', count: 2, caseVersion: (await caseOf(c.id)).version });
    expect(early.json().error.fields[0]).toMatchObject({ path: 'body.kind' });
  });

  it('reschedules one appointment, clash- and closure-checked, keeping its history', async () => {
    const fifth = appointments[4] as Appointment;
    const before = await counts();
    const onGroup = await call(ctx.app, manager, 'POST', `/api/therapy-appointments/${fifth.id}/reschedule`, { onDate: day(30), reason: 'Therapist training', version: fifth.version });
    expect(onGroup.statusCode).toBe(400);
    expect(onGroup.json().error.fields[0]).toMatchObject({ path: 'body.onDate' });
    expect(onGroup.json().error.fields[0].message).toMatch(new RegExp(`on ${day(30)} .*session 1 of Thursday group`));
    const inClosure = await call(ctx.app, manager, 'POST', `/api/therapy-appointments/${fifth.id}/reschedule`, { onDate: day(22), reason: 'x', version: fifth.version });
    expect(inClosure.json().error.fields[0].message).toMatch(/falls in a closure \(Easter closure/);
    const past = await call(ctx.app, manager, 'POST', `/api/therapy-appointments/${fifth.id}/reschedule`, { onDate: day(-1), reason: 'x', version: fifth.version });
    expect(past.json().error.fields[0].message).toBe('cannot be in the past');
    expect(await counts()).toEqual(before);
    // The therapist moves it herself to the afternoon of the day after.
    const moved = await call(ctx.app, ann.session, 'POST', `/api/therapy-appointments/${fifth.id}/reschedule`, { onDate: day(36), startTime: '14:00', reason: 'The couple asked: school play', version: fifth.version });
    expect(moved.statusCode, moved.body).toBe(200);
    const after = moved.json().appointments.find((a: Appointment) => a.id === fifth.id);
    expect(after).toMatchObject({ onDate: day(36), startTime: '14:00', status: 'booked', version: fifth.version + 1 });
    expect(after.changes).toMatchObject([{ fromDate: fifth.onDate, toDate: day(36), reason: 'The couple asked: school play' }]);
    expect((await call(ctx.app, manager, 'POST', `/api/therapy-appointments/${fifth.id}/reschedule`, { onDate: day(37), reason: 'x', version: fifth.version })).statusCode).toBe(409);
    // Only the therapist of the series (or a manager) may move it.
    expect((await call(ctx.app, ben.session, 'POST', `/api/therapy-appointments/${fifth.id}/reschedule`, { onDate: day(38), reason: 'x', version: after.version })).statusCode).toBe(404);
    expect((await call(ctx.app, worker, 'POST', `/api/therapy-appointments/${fifth.id}/reschedule`, { onDate: day(38), reason: 'x', version: after.version })).statusCode).toBe(403);
  });

  it('records attendance, did-not-attend and cancellations into the dose; two missed in a row tell the case worker', async () => {
    const c = await newCase();
    const res = await call(ctx.app, manager, 'POST', `/api/cases/${c.id}/therapy-series`, { therapistId: ben.id, kind: 'therapy', firstDate: day(-21), startTime: '16:00', count: 6, caseVersion: c.version });
    expect(res.statusCode, res.body).toBe(201);
    const [a1, a2, a3, a4, a5, a6] = res.json().appointments as Appointment[];
    const outcome = (a: Appointment | undefined, body: Record<string, unknown>) => call(ctx.app, ben.session, 'POST', `/api/therapy-appointments/${a?.id}/outcome`, { version: a?.version, ...body });
    const early = await outcome(a5, { outcome: 'attended' });
    expect(early.statusCode).toBe(400);
    expect(early.json().error.fields[0]).toMatchObject({ path: 'body.outcome', message: `cannot be recorded before the appointment on ${a5?.onDate}` });
    expect((await outcome(a1, { outcome: 'attended' })).statusCode).toBe(200);
    expect((await outcome(a2, { outcome: 'cancelled_by_service', note: 'Therapist ill' })).statusCode).toBe(200);
    expect((await outcome(a3, { outcome: 'did_not_attend' })).json().dose.missedInARow).toBe(1);
    const second = await outcome(a4, { outcome: 'cancelled_by_family', note: 'Rang on the morning' });
    expect(second.statusCode, second.body).toBe(200);
    const detail = second.json();
    expect(detail.appointments.map((a: Appointment) => a.status)).toEqual(['attended', 'cancelled_by_service', 'did_not_attend', 'late_cancellation', 'booked', 'booked']);
    expect(detail.dose).toMatchObject({ attended: 1, didNotAttend: 1, lateCancellations: 1, cancelledByService: 1, booked: 2, attendanceRate: 1 / 3, missedInARow: 2 });
    const work = (await call(ctx.app, worker, 'GET', '/api/my-work')).json();
    expect(work.notifications.filter((n: { message: string }) => /has missed 2 therapy appointments in a row/.test(n.message))).toHaveLength(1);
    // A cancellation well ahead is not late.
    const ahead = await outcome(a6, { outcome: 'cancelled_by_family' });
    expect(ahead.json().appointments[5].status).toBe('cancelled_by_family');
    // A cancelled appointment frees the slot and cannot itself be moved.
    expect((await call(ctx.app, manager, 'POST', `/api/therapy-appointments/${a6?.id}/reschedule`, { onDate: day(30), reason: 'x', version: (a6?.version ?? 0) + 1 })).json().error.fields[0].message).toMatch(
      /cancelled by family cannot be moved/,
    );
    expect((await call(ctx.app, ann.session, 'POST', `/api/therapy-appointments/${a1?.id}/outcome`, { outcome: 'attended', version: 2 })).statusCode).toBe(404);
  });

  it("refuses a group session that would clash with a therapist's appointment", async () => {
    const before = await count(ctx, 'group_session');
    const clash = await call(ctx.app, manager, 'POST', '/api/groups', { programmeId: papId, name: 'Clashing group', site: 'Riverside', startDate: day(7), startTime: '09:30', facilitatorIds: [ann.id, ben.id] });
    expect(clash.statusCode).toBe(400);
    expect(clash.json().error.fields[0]).toMatchObject({ path: 'body.facilitatorIds' });
    // Both have a 10:00 appointment that day (Ann's series, Ben's consultation): either is named.
    expect(clash.json().error.fields[0].message).toMatch(new RegExp(`^(ann|ben) ${org.slug} has a therapy appointment on ${day(7)} at 10:00$`));
    expect(await count(ctx, 'group_session')).toBe(before);
  });

  it("gives a manager any therapist's diary with group sessions, and refuses a bad range", async () => {
    const diary = await call(ctx.app, manager, 'GET', `/api/diary?therapistId=${ann.id}&from=${day(28)}&to=${day(36)}`);
    expect(diary.statusCode, diary.body).toBe(200);
    expect(diary.json().entries.map((e: { kind: string; onDate: string }) => `${e.kind} ${e.onDate}`)).toEqual([
      `appointment ${day(28)}`,
      `group_session ${day(30)}`,
      `appointment ${day(35)}`,
      `appointment ${day(36)}`,
    ]);
    expect((await call(ctx.app, manager, 'GET', `/api/diary?from=${day(10)}&to=${day(1)}`)).json().error.fields[0].path).toBe('query.to');
    expect((await call(ctx.app, manager, 'GET', `/api/diary?therapistId=00000000-0000-4000-8000-000000000000`)).statusCode).toBe(404);
  });

  it("gives a service manager the overview across sites: groups by state, waiting list, uncovered sessions, facilitators' load", async () => {
    await newCase(['assessment_booked', 'assessed', 'awaiting_group']);
    const uncovered = await call(ctx.app, manager, 'POST', '/api/groups', { programmeId: papId, name: 'No facilitators yet', site: 'Eastfield', startDate: day(3), startTime: '07:00' });
    expect(uncovered.statusCode, uncovered.body).toBe(201);
    const res = await call(ctx.app, manager, 'GET', '/api/programmes-overview');
    expect(res.statusCode, res.body).toBe(200);
    const o = res.json();
    expect(o.sites.map((x: { site: string }) => x.site)).toEqual(['Eastfield', 'Northgate']);
    expect(o.sites[1]).toMatchObject({ site: 'Northgate', planned: 1, running: 0, finished: 0 });
    expect(o.sites[1].groups[0]).toMatchObject({ name: 'Thursday group', placesFilled: 0, capacity: 6 });
    expect(o.waitingList).toMatchObject({ families: 1, longestWaitDays: 0, medianWaitDays: 0, placesFree: 12 });
    expect(o.sessionsWithoutFacilitators.map((x: { onDate: string }) => x.onDate)).toEqual([day(3), day(10), day(17), day(24)]);
    expect(o.sessionsWithoutFacilitators[0].problem).toMatch(/male and one female/);
    const annLoad = o.facilitatorLoad.find((u: { userId: string }) => u.userId === ann.id);
    expect(annLoad).toMatchObject({ groupSessions: 0, therapyAppointments: 3 });
    expect(o.dropOutRisk).toEqual([]);
    expect((await call(ctx.app, worker, 'GET', '/api/programmes-overview')).statusCode).toBe(403);
  });
  it("keeps a therapist's weekly availability, refuses bookings and moves outside it unless a reason is given, and 409s a stale week", async () => {
    const cleo = await (async () => {
      const email = `cleo.${org.slug}@test.example`;
      const user = await createUserWithPassword(ctx.db.db, { organisationId: org.id, email, name: `cleo ${org.slug}`, role: 'facilitator', password: TEST_PASSWORD, gender: 'female' });
      return { id: user.id, session: await signIn(ctx.app, email) };
    })();
    const path = `/api/therapists/${cleo.id}/availability`;
    const isoWeekday = (date: string): number => new Date(`${date}T00:00:00Z`).getUTCDay() || 7;
    const workDay = day(50);
    const otherWeekday = (isoWeekday(workDay) % 7) + 1;
    // No availability declared: version 0, nothing restricted.
    expect((await call(ctx.app, cleo.session, 'GET', path)).json()).toMatchObject({ therapistId: cleo.id, windows: [], version: 0 });
    const overlapping = await call(ctx.app, cleo.session, 'PUT', path, {
      windows: [
        { weekday: isoWeekday(workDay), startTime: '09:00', endTime: '12:00' },
        { weekday: isoWeekday(workDay), startTime: '11:00', endTime: '13:00' },
      ],
      version: 0,
    });
    expect(overlapping.statusCode).toBe(400);
    expect(overlapping.json().error.fields[0]).toMatchObject({ path: 'body.windows.1.startTime' });
    const backwards = await call(ctx.app, cleo.session, 'PUT', path, { windows: [{ weekday: 1, startTime: '12:00', endTime: '09:00' }], version: 0 });
    expect(backwards.json().error.fields[0]).toMatchObject({ path: 'body.windows.0.endTime' });
    expect(await count(ctx, 'therapist_availability')).toBe(0);
    // The therapist declares her own week; another therapist may not, nor a case worker.
    const week = { windows: [{ weekday: isoWeekday(workDay), startTime: '09:00', endTime: '12:00' }, { weekday: otherWeekday, startTime: '14:00', endTime: '18:00' }], version: 0 };
    expect((await call(ctx.app, ben.session, 'PUT', path, week)).statusCode).toBe(404);
    expect((await call(ctx.app, worker, 'PUT', path, week)).statusCode).toBe(403);
    const set = await call(ctx.app, cleo.session, 'PUT', path, week);
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ version: 1, windows: week.windows.sort((a, b) => a.weekday - b.weekday) });
    expect((await call(ctx.app, manager, 'PUT', path, week)).statusCode).toBe(409);
    expect((await call(ctx.app, manager, 'GET', path)).json().windows).toHaveLength(2);

    const consultation = async (startTime: string, extra: Record<string, unknown> = {}) => {
      const c = await newCase([]);
      return call(ctx.app, manager, 'POST', `/api/cases/${c.id}/therapy-series`, { therapistId: cleo.id, kind: 'consultation', firstDate: workDay, startTime, count: 1, caseVersion: c.version, ...extra });
    };
    const before = await counts();
    const outside = await consultation('11:30');
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error.fields[0]).toMatchObject({ path: 'body.firstDate' });
    expect(outside.json().error.fields[0].message).toMatch(new RegExp(`${workDay} at 11:30–12:20 is outside the therapist's availability \\(.*09:00–12:00`));
    expect(await counts()).toEqual(before);
    const inside = await consultation('10:00');
    expect(inside.statusCode, inside.body).toBe(201);
    const overridden = await consultation('16:00', { outsideAvailabilityReason: 'Only evening the couple can do' });
    expect(overridden.statusCode, overridden.body).toBe(201);

    // A move outside the week is refused, and accepted with a reason.
    const appointment = inside.json().appointments[0] as Appointment;
    const late = await call(ctx.app, manager, 'POST', `/api/therapy-appointments/${appointment.id}/reschedule`, { onDate: workDay, startTime: '19:00', reason: 'Asked', version: appointment.version });
    expect(late.statusCode).toBe(400);
    expect(late.json().error.fields[0]).toMatchObject({ path: 'body.onDate' });
    const withReason = await call(ctx.app, manager, 'POST', `/api/therapy-appointments/${appointment.id}/reschedule`, {
      onDate: workDay,
      startTime: '19:00',
      reason: 'Asked',
      outsideAvailabilityReason: 'Agreed with the therapist',
      version: appointment.version,
    });
    expect(withReason.statusCode, withReason.body).toBe(200);
    // Clearing the week lifts the restriction.
    expect((await call(ctx.app, manager, 'PUT', path, { windows: [], version: 1 })).json()).toMatchObject({ windows: [], version: 2 });
    expect((await consultation('21:00')).statusCode).toBe(201);
  });
});
