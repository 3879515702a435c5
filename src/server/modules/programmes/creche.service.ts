import { sql } from 'kysely';
import type { z } from 'zod';
import type { bookCrecheBody, crecheRegisterBody, crecheSession, crecheStaffBody, updateCrecheBookingBody } from '../../../shared/contracts/creche.ts';
import type { Db, Trx } from '../../db.ts';
import { inScope } from '../../platform/db/scope.ts';
import { scopeOf, type Actor } from '../../platform/http/actor.ts';
import { AppError, badField, notFound, staleVersion, type FieldProblem } from '../../platform/http/app-error.ts';
import { recordAudit } from '../audit/index.ts';
import { caseLabels, peopleOfFamilies } from '../cases/index.ts';
import { ageInMonths, checkRatio, defaultCrecheRatios, describeMix } from './creche-ratio.ts';
import { facilitatorsById, orgOf } from './group-access.ts';

type CrecheView = z.infer<typeof crecheSession>;
type SessionRow = { id: string; groupId: string; number: number; onDate: string; startTime: string; minutes: number; creche: boolean; crecheVersion: number };
type GroupRow = { id: string; name: string; status: string };

const today = (): string => new Date().toISOString().slice(0, 10);

/**
 * A session's crèche, if the actor may open it: managers and case workers (who book children in) any of their
 * organisation's; a facilitator those of groups they run a session of or whose crèche they staff on any session.
 * Anyone else, and any other organisation's session, gets "not found".
 */
const loadCrecheSession = async (trx: Trx, actor: Actor, sessionId: string, lock = false): Promise<{ session: SessionRow; group: GroupRow; rostered: boolean }> => {
  const organisationId = orgOf(actor);
  let q = trx
    .selectFrom('groupSession')
    .select(['id', 'groupId', 'number', 'onDate', 'startTime', 'minutes', 'creche', 'crecheVersion'])
    .where('organisationId', '=', organisationId)
    .where('id', '=', sessionId);
  if (lock) q = q.forUpdate();
  const session = await q.executeTakeFirst();
  if (!session) throw notFound('Session');
  const group = await trx.selectFrom('programmeGroup').select(['id', 'name', 'status']).where('organisationId', '=', organisationId).where('id', '=', session.groupId).executeTakeFirstOrThrow();
  const rostered = Boolean(await trx.selectFrom('crecheStaff').select('userId').where('sessionId', '=', sessionId).where('userId', '=', actor.userId).executeTakeFirst());
  if (actor.role === 'service_manager' || actor.role === 'case_worker') return { session, group, rostered };
  if (actor.role === 'facilitator') {
    const works = await trx
      .selectFrom('groupSession')
      .select('groupSession.id')
      .where('groupSession.groupId', '=', group.id)
      .where((eb) =>
        eb.or([
          eb.exists(eb.selectFrom('sessionFacilitator').select('userId').whereRef('sessionFacilitator.sessionId', '=', 'groupSession.id').where('sessionFacilitator.userId', '=', actor.userId)),
          eb.exists(eb.selectFrom('crecheStaff').select('userId').whereRef('crecheStaff.sessionId', '=', 'groupSession.id').where('crecheStaff.userId', '=', actor.userId)),
        ]),
      )
      .executeTakeFirst();
    if (works) return { session, group, rostered };
  }
  throw notFound('Session');
};

/** The children of the families in a group on a day (placed, or withdrawn after it), with their family's label. */
const childrenOfGroup = async (trx: Trx, organisationId: string, groupId: string, onDate: string) => {
  const placements = await trx
    .selectFrom('placement')
    .select(['id', 'caseId', 'familyId', 'status'])
    .where('organisationId', '=', organisationId)
    .where('groupId', '=', groupId)
    .where((eb) => eb.or([eb('status', '=', 'placed'), eb('withdrawnOn', '>', onDate)]))
    .orderBy('placedAt')
    .execute();
  const people = await peopleOfFamilies(trx, organisationId, [...new Set(placements.map((p) => p.familyId))]);
  const labels = await caseLabels(trx, organisationId, placements.map((p) => p.caseId));
  return placements.flatMap((p) =>
    people
      .filter((q) => q.familyId === p.familyId && q.isChild)
      .map((q) => ({ personId: q.personId, name: q.name, dateOfBirth: q.dateOfBirth, placementId: p.id, placed: p.status === 'placed', familyLabel: labels.get(p.caseId)?.familyLabel ?? '' })),
  );
};

const liveBookings = async (trx: Trx, sessionIds: readonly string[]) =>
  sessionIds.length === 0
    ? []
    : trx
        .selectFrom('crecheBooking')
        .innerJoin('person', 'person.id', 'crecheBooking.personId')
        .select([
          'crecheBooking.id',
          'crecheBooking.sessionId',
          'crecheBooking.personId',
          'crecheBooking.placementId',
          'crecheBooking.needs',
          'crecheBooking.allergies',
          'crecheBooking.medicalNotes',
          'crecheBooking.consentGivenBy',
          'crecheBooking.consentOn',
          'crecheBooking.version',
          'person.givenName',
          'person.familyName',
          'person.dateOfBirth',
        ])
        .where('crecheBooking.sessionId', 'in', [...sessionIds])
        .where('crecheBooking.status', '=', 'booked')
        .orderBy('person.givenName')
        .execute();

const staffOf = async (trx: Trx, sessionIds: readonly string[]) =>
  sessionIds.length === 0
    ? []
    : trx
        .selectFrom('crecheStaff')
        .innerJoin('appUser', 'appUser.id', 'crecheStaff.userId')
        .select(['crecheStaff.sessionId', 'crecheStaff.userId as id', 'appUser.name'])
        .where('crecheStaff.sessionId', 'in', [...sessionIds])
        .orderBy('appUser.name')
        .execute();

// A booked child always has a date of birth (booking refuses one without); the fallback only guards old rows.
const monthsOn = (dateOfBirth: string | null, on: string): number => (dateOfBirth ? ageInMonths(dateOfBirth, on) : 0);

const buildView = async (trx: Trx, organisationId: string, actor: Actor, session: SessionRow, group: GroupRow, rostered: boolean): Promise<CrecheView> => {
  const [bookings, staff, marks, children] = [
    await liveBookings(trx, [session.id]),
    await staffOf(trx, [session.id]),
    await trx.selectFrom('crecheAttendance').select(['personId', 'present', 'collectedBy', 'recordedAt']).where('sessionId', '=', session.id).execute(),
    await childrenOfGroup(trx, organisationId, group.id, session.onDate),
  ];
  const ratio = checkRatio(bookings.map((b) => monthsOn(b.dateOfBirth, session.onDate)), staff.length, defaultCrecheRatios);
  const booked = new Set(bookings.map((b) => b.personId));
  const savedAt = marks.reduce<Date | null>((latest, m) => (latest && latest > m.recordedAt ? latest : m.recordedAt), null);
  return {
    sessionId: session.id,
    groupId: group.id,
    groupName: group.name,
    number: session.number,
    onDate: session.onDate,
    startTime: session.startTime,
    minutes: session.minutes,
    creche: session.creche,
    staff: staff.map((s) => ({ id: s.id, name: s.name })),
    ratio,
    medicalNotesVisible: rostered,
    canTakeRegister: rostered || actor.role === 'service_manager',
    bookings: bookings.map((b) => {
      const mark = marks.find((m) => m.personId === b.personId);
      return {
        id: b.id,
        personId: b.personId,
        name: `${b.givenName} ${b.familyName}`,
        familyLabel: children.find((c) => c.personId === b.personId)?.familyLabel ?? '',
        placementId: b.placementId,
        ageMonths: monthsOn(b.dateOfBirth, session.onDate),
        needs: b.needs,
        allergies: rostered ? b.allergies : null,
        medicalNotes: rostered ? b.medicalNotes : null,
        consentGivenBy: b.consentGivenBy,
        consentOn: b.consentOn,
        present: mark?.present ?? null,
        collectedBy: mark?.collectedBy ?? null,
        version: b.version,
      };
    }),
    unbooked: children
      .filter((c) => c.placed && !booked.has(c.personId))
      .map((c) => ({ personId: c.personId, name: c.name, familyLabel: c.familyLabel, ageMonths: c.dateOfBirth ? ageInMonths(c.dateOfBirth, session.onDate) : null })),
    registerSavedAt: savedAt?.toISOString() ?? null,
    registerVersion: session.crecheVersion,
  };
};

const auditView = async (trx: Trx, actor: Actor, organisationId: string, view: CrecheView): Promise<void> => {
  // Reading allergies and medical notes is recorded as such, naming the children, so a data protection lead can
  // see who read a child's health information.
  await recordAudit(trx, {
    organisationId,
    actorUserId: actor.userId,
    action: view.medicalNotesVisible ? 'view:creche_medical' : 'view:creche',
    entityType: 'session',
    entityId: view.sessionId,
    ip: actor.ip,
    detail: { groupId: view.groupId, children: view.bookings.map((b) => b.personId) },
  });
};

/** Every answer shows the crèche's children (and, to its staff, their health notes): each one is audited. */
const viewed = async (trx: Trx, actor: Actor, organisationId: string, view: CrecheView): Promise<CrecheView> => {
  await auditView(trx, actor, organisationId, view);
  return view;
};

export const getCreche = async (db: Db, actor: Actor, sessionId: string): Promise<CrecheView> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const { session, group, rostered } = await loadCrecheSession(trx, actor, sessionId);
    return viewed(trx, actor, organisationId, await buildView(trx, organisationId, actor, session, group, rostered));
  });

const overRatio = (number: number, onDate: string, check: ReturnType<typeof checkRatio>, what: string): AppError =>
  new AppError(
    'conflict',
    `${what} would put the crèche of session ${number} on ${onDate} over ratio: ${describeMix(check)} needs ${check.staffNeeded} crèche staff and ${check.staffRostered} ${check.staffRostered === 1 ? 'is' : 'are'} rostered. Roster more crèche staff for that session first.`,
  );

/**
 * Books a child into a session's crèche (and, when asked, every later crèche session of the group). Each
 * session's ratio is checked with the child added, under a lock on the session rows so two bookings at once
 * cannot both take the last place; one session over ratio refuses the whole booking.
 */
export const bookCreche = async (db: Db, actor: Actor, sessionId: string, body: z.infer<typeof bookCrecheBody>): Promise<CrecheView> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const { session, group } = await loadCrecheSession(trx, actor, sessionId, true);
    if (!session.creche) throw new AppError('conflict', `Session ${session.number} of ${group.name} has no crèche`);
    if (group.status === 'finished' || group.status === 'cancelled') throw new AppError('conflict', `${group.name} is ${group.status}; its crèche takes no bookings`);
    if (session.onDate < today()) throw new AppError('conflict', `Session ${session.number} was on ${session.onDate}; book the crèche of a session still to come`);
    if (body.consentOn > today()) throw badField('body.consentOn', 'cannot be in the future');
    const child = (await childrenOfGroup(trx, organisationId, group.id, session.onDate)).find((c) => c.personId === body.personId && c.placed);
    if (!child) throw badField('body.personId', 'is not a child of a family placed in this group');
    if (!child.dateOfBirth) throw badField('body.personId', "has no date of birth on the case; record it first, as the crèche ratio depends on the child's age");

    let targets: SessionRow[] = [session];
    if (body.laterSessions) {
      const later = await trx
        .selectFrom('groupSession')
        .select(['id', 'groupId', 'number', 'onDate', 'startTime', 'minutes', 'creche', 'crecheVersion'])
        .where('groupId', '=', group.id)
        .where('number', '>', session.number)
        .where('creche', '=', true)
        .orderBy('number')
        .forUpdate()
        .execute();
      targets = [session, ...later];
    }
    const bookings = await liveBookings(trx, targets.map((t) => t.id));
    if (bookings.some((b) => b.sessionId === session.id && b.personId === body.personId)) throw new AppError('conflict', `${child.name} is already booked into this crèche`);
    // Later sessions the child is already booked into are left as they are.
    targets = targets.filter((t) => t === session || !bookings.some((b) => b.sessionId === t.id && b.personId === body.personId));
    const staff = await staffOf(trx, targets.map((t) => t.id));
    for (const t of targets) {
      const ages = [...bookings.filter((b) => b.sessionId === t.id).map((b) => monthsOn(b.dateOfBirth, t.onDate)), ageInMonths(child.dateOfBirth, t.onDate)];
      const check = checkRatio(ages, staff.filter((s) => s.sessionId === t.id).length, defaultCrecheRatios);
      if (!check.ok) throw overRatio(t.number, t.onDate, check, `Booking ${child.name}`);
    }
    await trx
      .insertInto('crecheBooking')
      .values(
        targets.map((t) => ({
          organisationId,
          sessionId: t.id,
          placementId: child.placementId,
          personId: child.personId,
          needs: body.needs,
          allergies: body.allergies,
          medicalNotes: body.medicalNotes,
          consentGivenBy: body.consentGivenBy,
          consentOn: body.consentOn,
          bookedBy: actor.userId,
        })),
      )
      .execute();
    await recordAudit(trx, {
      organisationId,
      actorUserId: actor.userId,
      action: 'create:creche_booking',
      entityType: 'person',
      entityId: child.personId,
      ip: actor.ip,
      detail: { groupId: group.id, sessions: targets.map((t) => t.number) },
    });
    const rostered = staff.some((s) => s.sessionId === session.id && s.id === actor.userId);
    return viewed(trx, actor, organisationId, await buildView(trx, organisationId, actor, session, group, rostered));
  });

/** Corrects what the crèche must know about a booked child, or cancels the booking. */
export const updateCrecheBooking = async (db: Db, actor: Actor, bookingId: string, body: z.infer<typeof updateCrecheBookingBody>): Promise<CrecheView> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const booking = await trx.selectFrom('crecheBooking').select(['id', 'sessionId', 'personId', 'status', 'version']).where('organisationId', '=', organisationId).where('id', '=', bookingId).executeTakeFirst();
    if (!booking) throw notFound('Crèche booking');
    const { session, group, rostered } = await loadCrecheSession(trx, actor, booking.sessionId).catch((error: unknown) => {
      if (error instanceof AppError && error.code === 'not_found') throw notFound('Crèche booking');
      throw error;
    });
    if (booking.status !== 'booked') throw new AppError('conflict', 'This booking has been cancelled; book the child again instead');
    const changes = {
      ...(body.needs === undefined ? {} : { needs: body.needs }),
      ...(body.allergies === undefined ? {} : { allergies: body.allergies }),
      ...(body.medicalNotes === undefined ? {} : { medicalNotes: body.medicalNotes }),
      ...(body.consentGivenBy === undefined ? {} : { consentGivenBy: body.consentGivenBy }),
      ...(body.cancel ? { status: 'cancelled' as const } : {}),
    };
    const updated = await trx
      .updateTable('crecheBooking')
      .set({ ...changes, version: sql<number>`version + 1` })
      .where('id', '=', bookingId)
      .where('version', '=', body.version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw staleVersion('This booking');
    await recordAudit(trx, {
      organisationId,
      actorUserId: actor.userId,
      action: body.cancel ? 'cancel:creche_booking' : 'update:creche_booking',
      entityType: 'person',
      entityId: booking.personId,
      ip: actor.ip,
      // Which fields changed, never their contents: the notes are health information.
      detail: { sessionId: session.id, fields: Object.keys(changes) },
    });
    return viewed(trx, actor, organisationId, await buildView(trx, organisationId, actor, session, group, rostered));
  });

/**
 * Rosters a session's crèche staff (replacing whoever was on it). Fewer staff than the booked children need is
 * refused; so is someone who runs the session itself, who cannot be in the crèche at the same time.
 */
export const rosterCrecheStaff = async (db: Db, actor: Actor, sessionId: string, body: z.infer<typeof crecheStaffBody>): Promise<CrecheView> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const { session, group } = await loadCrecheSession(trx, actor, sessionId, true);
    if (!session.creche) throw new AppError('conflict', `Session ${session.number} of ${group.name} has no crèche`);
    const people = await facilitatorsById(trx, organisationId, body.staffIds, 'body.staffIds');
    const running = await trx.selectFrom('sessionFacilitator').select('userId').where('sessionId', '=', sessionId).execute();
    const busy = people.find((p) => running.some((r) => r.userId === p.id));
    if (busy) throw badField('body.staffIds', `${busy.name} runs this session and cannot staff its crèche at the same time`);
    const bookings = await liveBookings(trx, [sessionId]);
    const check = checkRatio(bookings.map((b) => monthsOn(b.dateOfBirth, session.onDate)), people.length, defaultCrecheRatios);
    if (!check.ok) throw overRatio(session.number, session.onDate, check, 'This roster');
    await trx.deleteFrom('crecheStaff').where('sessionId', '=', sessionId).execute();
    if (people.length > 0) await trx.insertInto('crecheStaff').values(people.map((p) => ({ organisationId, sessionId, userId: p.id }))).execute();
    await recordAudit(trx, { organisationId, actorUserId: actor.userId, action: 'update:creche_staff', entityType: 'session', entityId: sessionId, ip: actor.ip, detail: { staffIds: body.staffIds } });
    return viewed(trx, actor, organisationId, await buildView(trx, organisationId, actor, session, group, body.staffIds.includes(actor.userId)));
  });

/**
 * The crèche register: who came and who collected them, for the booked children only, saved as a whole with its
 * version. Taken by the staff rostered on this crèche or a service manager (the route needs take:attendance), on or after the day.
 */
export const saveCrecheRegister = async (db: Db, actor: Actor, sessionId: string, body: z.infer<typeof crecheRegisterBody>): Promise<CrecheView> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const { session, group, rostered } = await loadCrecheSession(trx, actor, sessionId);
    if (!rostered && actor.role !== 'service_manager') throw new AppError('forbidden', "Only the staff rostered on this crèche, or a service manager, take its register");
    if (!session.creche) throw new AppError('conflict', `Session ${session.number} of ${group.name} has no crèche`);
    if (session.onDate > today()) {
      throw new AppError('bad_request', `The crèche register for session ${session.number} opens on ${session.onDate}`, {
        fields: [{ path: 'body.marks', message: `the session is on ${session.onDate}; the register is taken on or after the day` }],
      });
    }
    if (session.crecheVersion !== body.version) throw staleVersion('This crèche register');
    const bookings = await liveBookings(trx, [sessionId]);
    const problems: FieldProblem[] = [];
    body.marks.forEach((m, i) => {
      if (!bookings.some((b) => b.personId === m.personId)) problems.push({ path: `body.marks.${i}.personId`, message: 'is not booked into this crèche' });
    });
    if (problems.length > 0) throw new AppError('bad_request', problems.map((p) => `${p.path}: ${p.message}`).join('; '), { fields: problems });
    const bumped = await trx
      .updateTable('groupSession')
      .set({ crecheVersion: sql<number>`creche_version + 1` })
      .where('id', '=', sessionId)
      .where('crecheVersion', '=', body.version)
      .executeTakeFirst();
    if (Number(bumped.numUpdatedRows) !== 1) throw staleVersion('This crèche register');
    if (body.marks.length > 0) {
      await trx.deleteFrom('crecheAttendance').where('sessionId', '=', sessionId).where('personId', 'in', body.marks.map((m) => m.personId)).execute();
      await trx
        .insertInto('crecheAttendance')
        .values(
          body.marks.map((m) => ({
            organisationId,
            sessionId,
            placementId: bookings.find((b) => b.personId === m.personId)?.placementId ?? '',
            personId: m.personId,
            present: m.present,
            collectedBy: m.collectedBy,
            recordedBy: actor.userId,
          })),
        )
        .execute();
    }
    await recordAudit(trx, {
      organisationId,
      actorUserId: actor.userId,
      action: 'record:creche_attendance',
      entityType: 'session',
      entityId: sessionId,
      ip: actor.ip,
      detail: { groupId: group.id, marks: body.marks.length },
    });
    const fresh = { ...session, crecheVersion: session.crecheVersion + 1 };
    return viewed(trx, actor, organisationId, await buildView(trx, organisationId, actor, fresh, group, rostered));
  });
