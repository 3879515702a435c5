import type { ReferralSubmission } from '../../../shared/contracts/journey.ts';
import type { Db } from '../../db.ts';
import { inScope } from '../../platform/db/scope.ts';
import type { Actor } from '../../platform/http/actor.ts';
import { changeStage, listCases } from '../cases/index.ts';
import { decideReferral, submitStaffReferral } from '../intake/index.ts';
import { bookCreche, getCreche, rosterCrecheStaff } from './creche.service.ts';
import { createGroup, placeFamily, updateGroup, withdrawPlacement } from './groups.service.ts';
import { getRegister, saveRegister } from './register.service.ts';
import { getSessionRecord, saveSessionRecord } from './session-record.service.ts';
import { addDays } from './schedule.ts';
import { bookSeries, recordOutcome, rescheduleAppointment } from './therapy.service.ts';

const todayIso = (): string => new Date().toISOString().slice(0, 10);
/** The Monday on or before a date, so demo groups meet on a weekday evening. */
const mondayOf = (date: string): string => addDays(date, -((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7));

/**
 * Demo groups for the synthetic provider, at three sites and in every state: a Parents as Partners group running
 * for five weeks (a half-term week skipped) with the families already in service placed and their past registers
 * taken; a group planned at another site with its places free for the families on the waiting list; and an 8-week
 * group that finished two months ago, its registers all taken, one family dropped out, the others completed. Then
 * a couple in therapy: a consultation, and a weekly series with attendance, a cancellation and a move.
 */
export const seedDemoGroups = async (db: Db, organisationId: string, papId: string): Promise<void> => {
  const staff = await inScope(db, { organisationId, userId: null }, (trx) =>
    trx
      .selectFrom('membership')
      .select(['userId', 'role', 'gender'])
      .where('organisationId', '=', organisationId)
      .where('active', '=', true)
      .where('role', 'in', ['service_manager', 'facilitator'])
      .execute(),
  );
  const manager = staff.find((s) => s.role === 'service_manager');
  const woman = staff.find((s) => s.role === 'facilitator' && s.gender === 'female');
  const man = staff.find((s) => s.role === 'facilitator' && s.gender === 'male');
  if (!manager || !woman || !man) return;
  const actor: Actor = { userId: manager.userId, sessionId: 'demo', organisationId, role: 'service_manager', csrfToken: '', ip: null };
  const facilitatorIds = [woman.userId, man.userId];

  const start = mondayOf(addDays(todayIso(), -42));
  const running = await createGroup(db, actor, {
    programmeId: papId,
    name: 'Parents as Partners – Northgate spring',
    site: 'Northgate',
    venue: 'Northgate Children’s Centre, family room',
    startDate: start,
    startTime: '18:00',
    closures: [{ from: addDays(start, 14), to: addDays(start, 18), reason: 'Half term' }],
    facilitatorIds,
  });
  await createGroup(db, actor, {
    programmeId: papId,
    name: 'Parents as Partners – Riverside summer',
    site: 'Riverside',
    venue: 'Riverside Community Hall',
    startDate: mondayOf(addDays(todayIso(), 28)),
    startTime: '10:00',
    closures: [],
    facilitatorIds,
  });

  const inService = await listCases(db, actor, { stage: 'in_service' });
  for (const c of inService) await placeFamily(db, actor, running.id, { caseId: c.id, caseVersion: c.version });

  // Past registers: mostly present, one late arrival and one week with apologies, so dose has something to show.
  const past = running.sessions.filter((s) => s.onDate < todayIso());
  for (const [index, session] of past.entries()) {
    const register = await getRegister(db, actor, session.id);
    await saveRegister(db, actor, session.id, {
      marks: register.participants.map((p, i) => ({ personId: p.personId, status: index === 2 && i === 1 ? 'apologies' : index === 1 && i === 0 ? 'late' : 'present' })),
      creche: register.children.map((child) => ({ personId: child.personId, present: true })),
      version: register.version,
    });
  }
  await updateGroup(db, actor, running.id, { status: 'running', version: running.version });

  // Session records of the past sessions: the curriculum mostly covered, one strand only partly, with notes.
  for (const [index, session] of past.entries()) {
    const blank = await getSessionRecord(db, actor, session.id);
    await saveSessionRecord(db, actor, session.id, {
      items: blank.items.map((item) => ({ key: item.key, status: index === 1 && item.key === 'strand' ? 'partly' : 'covered', note: index === 1 && item.key === 'strand' ? 'Ran out of time for the second exercise' : '' })),
      notes: index === 1 ? 'Lively discussion; the exercise on the couple we were is carried over to next week.' : 'Ran to plan.',
      version: blank.version,
    });
  }

  // The crèche from the next session on: a crèche worker rostered on every one, and the children booked in.
  const crecheWorker = staff.find((s) => s.role === 'facilitator' && s.gender === null);
  const coming = running.sessions.filter((s) => s.onDate >= todayIso());
  if (crecheWorker && coming[0]) {
    for (const session of coming) await rosterCrecheStaff(db, actor, session.id, { staffIds: [crecheWorker.userId] });
    const first = await getCreche(db, actor, coming[0].id);
    for (const child of first.unbooked) {
      await bookCreche(db, actor, coming[0].id, {
        personId: child.personId,
        needs: 'Likes the sand tray; settles best when a parent stays for the first ten minutes',
        allergies: 'Dairy (synthetic demo)',
        medicalNotes: 'Eczema cream in the bag if needed (synthetic demo)',
        consentGivenBy: 'Jade Clarke',
        consentOn: todayIso(),
        laterSessions: true,
      });
    }
  }

  await seedFinishedGroup(db, actor, facilitatorIds);
  await seedTherapy(db, actor, woman.userId);
};

/** A synthetic family referred by the demo's health visitor and moved along to `stages`; its case id and version. */
const demoFamily = async (
  db: Db,
  actor: Actor,
  f: { surname: string; mother: string; father: string; child: string; programmeId: string; adoptive: boolean },
  stages: readonly ('assessment_booked' | 'assessed' | 'awaiting_group')[],
): Promise<{ id: string; version: number }> => {
  const year = new Date().getUTCFullYear();
  const submission: ReferralSubmission = {
    referrer: { kind: 'professional', name: 'Health visitor (demo)', agency: 'Eastfield Family Hub (demo)', email: 'referrals@family-hub.example' },
    programmeId: f.programmeId,
    parents: [
      { givenName: f.mother, familyName: f.surname, dateOfBirth: `${year - 34}-05-12`, gender: 'female', relationship: f.adoptive ? 'adoptive_parent' : 'birth_parent', email: `${f.mother.toLowerCase()}.${f.surname.toLowerCase()}@family.example`, willingToAttend: true },
      { givenName: f.father, familyName: f.surname, dateOfBirth: `${year - 37}-09-03`, gender: 'male', relationship: f.adoptive ? 'adoptive_parent' : 'birth_parent', willingToAttend: true },
    ],
    children: [{ givenName: f.child, familyName: f.surname, dateOfBirth: `${year - 6}-02-20` }],
    reason: 'Arguments between the parents are affecting the children; both want help. (Synthetic demo family.)',
    circumstances: { activeCourtProceedings: 'no', adoptiveFamily: f.adoptive },
    consent: { toReferral: true, toShareInformation: true },
    contact: { preference: 'phone', safeTimes: 'Weekday mornings', safeToLeaveMessage: true },
  };
  const referral = await submitStaffReferral(db, actor, submission);
  const accepted = await decideReferral(db, actor, referral.id, { decision: 'accept', samePeople: [], version: referral.version });
  const caseId = accepted.caseId ?? '';
  let version = 1;
  for (const to of stages) version = (await changeStage(db, actor, caseId, { to, version })).version;
  return { id: caseId, version };
};

/** The 8-week variant at Eastfield, run on Wednesday mornings and finished: three couples, one dropped out. */
const seedFinishedGroup = async (db: Db, actor: Actor, facilitatorIds: string[]): Promise<void> => {
  const eightWeek = await inScope(db, { organisationId: actor.organisationId, userId: null }, (trx) =>
    trx.selectFrom('programme').select('id').where('organisationId', '=', actor.organisationId ?? '').where('name', '=', 'Parents as Partners (8 weeks)').executeTakeFirst(),
  );
  if (!eightWeek) return;
  const families: { id: string; version: number }[] = [];
  for (const [surname, mother, father, child] of [
    ['Ahmed', 'Samira', 'Yusuf', 'Layla'],
    ['Doyle', 'Kerry', 'Sean', 'Finn'],
    ['Fernandes', 'Lucia', 'Mateus', 'Rafa'],
  ] as const) {
    families.push(await demoFamily(db, actor, { surname, mother, father, child, programmeId: eightWeek.id, adoptive: false }, ['assessment_booked', 'assessed', 'awaiting_group']));
  }
  const group = await createGroup(db, actor, {
    programmeId: eightWeek.id,
    name: 'Parents as Partners (8 weeks) – Eastfield autumn',
    site: 'Eastfield',
    venue: 'Eastfield Family Hub, group room',
    startDate: addDays(mondayOf(addDays(todayIso(), -7 * 17)), 2),
    startTime: '10:00',
    closures: [],
    facilitatorIds,
  });
  const placements: { id: string; version: number }[] = [];
  for (const c of families) placements.push(await placeFamily(db, actor, group.id, { caseId: c.id, caseVersion: c.version }));
  const started = await updateGroup(db, actor, group.id, { status: 'running', version: group.version });
  for (const session of group.sessions) {
    if (session.number === 5) {
      // The Fernandes family stopped coming after session 4.
      const leaving = placements[2];
      if (leaving) await withdrawPlacement(db, actor, leaving.id, { on: addDays(session.onDate, -3), reason: 'Work shifts changed; could not attend mornings', version: leaving.version });
    }
    const register = await getRegister(db, actor, session.id);
    await saveRegister(db, actor, session.id, {
      marks: register.participants.map((p, i) => ({ personId: p.personId, status: session.number === 3 && i === 1 ? 'absent' : session.number === 6 && i === 2 ? 'apologies' : i === 4 ? 'absent' : 'present' })),
      creche: register.children.map((child) => ({ personId: child.personId, present: true })),
      version: register.version,
    });
  }
  await updateGroup(db, actor, group.id, { status: 'finished', version: started.version });
  const inService = await listCases(db, actor, { stage: 'in_service' });
  for (const c of inService.filter((x) => families.slice(0, 2).some((f) => f.id === x.id))) {
    await changeStage(db, actor, c.id, { to: 'completed', reason: 'Completed the 8-week group', version: c.version });
  }
};

/**
 * An adoptive couple in couple therapy with the female facilitator on Thursday afternoons: a consultation seven
 * weeks ago, then 20 weekly sessions from six weeks ago (a bank holiday skipped). The past ones have outcomes (one
 * cancelled by the service, one missed), and one to come has been moved.
 */
const seedTherapy = async (db: Db, actor: Actor, therapistId: string): Promise<void> => {
  const therapy = await inScope(db, { organisationId: actor.organisationId, userId: null }, (trx) =>
    trx.selectFrom('programme').select('id').where('organisationId', '=', actor.organisationId ?? '').where('name', '=', 'Couple therapy for adoptive parents').executeTakeFirst(),
  );
  if (!therapy) return;
  let c = await demoFamily(db, actor, { surname: 'Osei', mother: 'Abena', father: 'Daniel', child: 'Kwame', programmeId: therapy.id, adoptive: true }, ['assessment_booked']);
  const thursday = addDays(mondayOf(todayIso()), 3);
  const consultation = await bookSeries(db, actor, c.id, { therapistId, kind: 'consultation', firstDate: addDays(thursday, -49), startTime: '14:00', count: 1, venue: 'Therapy room 1', caseVersion: c.version });
  const first = consultation.appointments[0];
  if (first) await recordOutcome(db, actor, first.id, { outcome: 'attended', version: first.version });
  c = { id: c.id, version: (await changeStage(db, actor, c.id, { to: 'assessed', version: c.version })).version };
  const series = await bookSeries(db, actor, c.id, {
    therapistId,
    kind: 'therapy',
    firstDate: addDays(thursday, -42),
    startTime: '14:00',
    count: 20,
    venue: 'Therapy room 1',
    closures: [{ from: addDays(thursday, 14), to: addDays(thursday, 14), reason: 'Service closed for training' }],
    caseVersion: c.version,
  });
  const today = todayIso();
  for (const a of series.appointments.filter((x) => x.onDate < today)) {
    const outcome = a.number === 3 ? 'cancelled_by_service' : a.number === 5 ? 'did_not_attend' : 'attended';
    await recordOutcome(db, actor, a.id, { outcome, ...(a.number === 3 ? { note: 'Therapist unwell' } : {}), version: a.version });
  }
  const toMove = series.appointments.find((a) => a.onDate > addDays(today, 7));
  if (toMove) {
    await rescheduleAppointment(db, actor, toMove.id, { onDate: addDays(toMove.onDate, 1), startTime: '16:00', reason: 'The couple asked: a school event', version: toMove.version });
  }
};
