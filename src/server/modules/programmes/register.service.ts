import { sql } from 'kysely';
import type { z } from 'zod';
import type { groupDose, register as registerSchema, registerSaved, saveRegisterBody } from '../../../shared/contracts/programmes.ts';
import type { Db, Trx } from '../../db.ts';
import { inScope } from '../../platform/db/scope.ts';
import { scopeOf, type Actor } from '../../platform/http/actor.ts';
import { AppError, staleVersion, type FieldProblem } from '../../platform/http/app-error.ts';
import { recordAudit } from '../audit/index.ts';
import { caseLabels, managersOf, notify, peopleOfFamilies } from '../cases/index.ts';
import { doseOf, needsAbsenceFollowUp, type Dose } from './dose.ts';
import { loadGroup, loadSession, orgOf, type GroupRow } from './group-access.ts';
import { loadTemplate } from './templates.service.ts';

type Register = z.infer<typeof registerSchema>;
type SessionRow = Awaited<ReturnType<typeof loadSession>>['session'];

const today = (): string => new Date().toISOString().slice(0, 10);

const ageOn = (dateOfBirth: string | null, on: string): number | null => {
  if (!dateOfBirth) return null;
  const years = Number(on.slice(0, 4)) - Number(dateOfBirth.slice(0, 4));
  return on.slice(5) < dateOfBirth.slice(5) ? years - 1 : years;
};

/**
 * Who belongs on a session's register: families placed in the group, and those who withdrew after that day
 * (their earlier sessions still count towards their dose).
 */
const registerPeople = async (trx: Trx, organisationId: string, groupId: string, onDate: string) => {
  const placements = await trx
    .selectFrom('placement')
    .select(['id', 'caseId', 'familyId', 'status', 'withdrawnOn'])
    .where('organisationId', '=', organisationId)
    .where('groupId', '=', groupId)
    .where((eb) => eb.or([eb('status', '=', 'placed'), eb('withdrawnOn', '>', onDate)]))
    .orderBy('placedAt')
    .execute();
  const ids = placements.map((p) => p.id);
  const participants = ids.length === 0 ? [] : await trx.selectFrom('placementParticipant').select(['placementId', 'personId']).where('placementId', 'in', ids).execute();
  const people = await peopleOfFamilies(trx, organisationId, [...new Set(placements.map((p) => p.familyId))]);
  const labels = await caseLabels(trx, organisationId, placements.map((p) => p.caseId));
  // Family by family in the order they were placed, each family's adults in name order: the register reads the same every week.
  const adults = placements.flatMap((p) =>
    people
      .filter((q) => participants.some((x) => x.placementId === p.id && x.personId === q.personId))
      .map((q) => ({ personId: q.personId, name: q.name, gender: q.gender, placementId: p.id, familyLabel: labels.get(p.caseId)?.familyLabel ?? '' })),
  );
  const children = placements.flatMap((p) =>
    people
      .filter((q) => q.familyId === p.familyId && q.isChild)
      .map((q) => ({ personId: q.personId, name: q.name, ageYears: ageOn(q.dateOfBirth, onDate), placementId: p.id, familyLabel: labels.get(p.caseId)?.familyLabel ?? '' })),
  );
  return { placements, adults, children, labels };
};

const buildRegister = async (trx: Trx, organisationId: string, group: GroupRow, session: SessionRow): Promise<Register & { adultsIds: Set<string>; childIds: Set<string> }> => {
  const programme = await loadTemplate(trx, organisationId, group.programmeId);
  const { adults, children } = await registerPeople(trx, organisationId, group.id, session.onDate);
  const marks = await trx.selectFrom('attendance').select(['personId', 'statusCode']).where('sessionId', '=', session.id).execute();
  const creche = session.creche ? await trx.selectFrom('crecheAttendance').select(['personId', 'present']).where('sessionId', '=', session.id).execute() : [];
  return {
    sessionId: session.id,
    groupId: group.id,
    groupName: group.name,
    number: session.number,
    onDate: session.onDate,
    startTime: session.startTime,
    topic: session.topic,
    splitByGender: session.splitByGender,
    childrenJoin: session.childrenJoin,
    creche: session.creche,
    statuses: programme.attendanceStatuses,
    participants: adults.map((a) => ({ ...a, status: marks.find((m) => m.personId === a.personId)?.statusCode ?? null })),
    children: session.creche ? children.map((c) => ({ ...c, present: creche.find((m) => m.personId === c.personId)?.present ?? null })) : [],
    savedAt: session.registerSavedAt?.toISOString() ?? null,
    version: session.registerVersion,
    adultsIds: new Set(adults.map((a) => a.personId)),
    childIds: new Set(children.map((c) => c.personId)),
  };
};

const strip = ({ adultsIds: _a, childIds: _c, ...rest }: Register & { adultsIds: Set<string>; childIds: Set<string> }): Register => rest;

export const getRegister = async (db: Db, actor: Actor, sessionId: string): Promise<Register> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const { session, group } = await loadSession(trx, actor, sessionId);
    const register = strip(await buildRegister(trx, organisationId, group, session));
    await recordAudit(trx, {
      organisationId,
      actorUserId: actor.userId,
      action: 'view:register',
      entityType: 'session',
      entityId: sessionId,
      ip: actor.ip,
      detail: { groupId: group.id, people: register.participants.length + register.children.length },
    });
    return register;
  });

/** Every participant's marks in the group, by person, in session order, with the meaning that rates are computed from. */
const marksOfGroup = async (trx: Trx, groupId: string) =>
  trx
    .selectFrom('attendance')
    .innerJoin('groupSession', 'groupSession.id', 'attendance.sessionId')
    .select(['attendance.personId', 'attendance.placementId', 'attendance.meaning', 'groupSession.number'])
    .where('groupSession.groupId', '=', groupId)
    .orderBy('groupSession.number')
    .execute();

/**
 * Saves a session's register in one go: every mark is checked first (the person is in the group, the status is
 * one of the programme's), and any problem is reported field by field with nothing written. Two absences in a
 * row tell the family's case worker (or the managers, when the case has none), once per run of absences.
 */
export const saveRegister = async (db: Db, actor: Actor, sessionId: string, body: z.infer<typeof saveRegisterBody>): Promise<z.infer<typeof registerSaved>> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const { session, group } = await loadSession(trx, actor, sessionId);
    if (session.onDate > today()) {
      throw new AppError('bad_request', `The register for session ${session.number} opens on ${session.onDate}`, {
        fields: [{ path: 'body.marks', message: `the session is on ${session.onDate}; attendance is taken on or after the day` }],
      });
    }
    if (session.registerVersion !== body.version) throw staleVersion('This register');
    const current = await buildRegister(trx, organisationId, group, session);
    const problems: FieldProblem[] = [];
    const statuses = new Map(current.statuses.map((s) => [s.code, s]));
    body.marks.forEach((m, i) => {
      if (!current.adultsIds.has(m.personId)) problems.push({ path: `body.marks.${i}.personId`, message: 'is not a participant of this group' });
      if (!statuses.has(m.status)) problems.push({ path: `body.marks.${i}.status`, message: `must be one of ${[...statuses.keys()].join(', ')}` });
    });
    const creche = body.creche ?? [];
    if (creche.length > 0 && !session.creche) problems.push({ path: 'body.creche', message: 'this session has no crèche' });
    else {
      creche.forEach((m, i) => {
        if (!current.childIds.has(m.personId)) problems.push({ path: `body.creche.${i}.personId`, message: 'is not a child of a family in this group' });
      });
    }
    if (problems.length > 0) throw new AppError('bad_request', problems.map((p) => `${p.path}: ${p.message}`).join('; '), { fields: problems });

    const updated = await trx
      .updateTable('groupSession')
      .set({ registerVersion: sql<number>`register_version + 1`, registerSavedAt: new Date() })
      .where('id', '=', sessionId)
      .where('registerVersion', '=', body.version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw staleVersion('This register');
    const placementOf = new Map(current.participants.map((p) => [p.personId, p.placementId]));
    if (body.marks.length > 0) {
      await trx.deleteFrom('attendance').where('sessionId', '=', sessionId).where('personId', 'in', body.marks.map((m) => m.personId)).execute();
      await trx
        .insertInto('attendance')
        .values(
          body.marks.map((m) => ({
            organisationId,
            sessionId,
            placementId: placementOf.get(m.personId) ?? '',
            personId: m.personId,
            statusCode: m.status,
            meaning: statuses.get(m.status)?.meaning ?? 'absent',
            recordedBy: actor.userId,
          })),
        )
        .execute();
    }
    if (creche.length > 0) {
      const childPlacement = new Map(current.children.map((c) => [c.personId, c.placementId]));
      // An upsert, not delete-and-insert: who collected each child is the crèche register's (creche.service.ts) and
      // must survive the group register being saved.
      await trx
        .insertInto('crecheAttendance')
        .values(creche.map((m) => ({ organisationId, sessionId, placementId: childPlacement.get(m.personId) ?? '', personId: m.personId, present: m.present, recordedBy: actor.userId })))
        .onConflict((oc) =>
          oc.columns(['sessionId', 'personId']).doUpdateSet((eb) => ({
            placementId: eb.ref('excluded.placementId'),
            present: eb.ref('excluded.present'),
            recordedBy: eb.ref('excluded.recordedBy'),
            recordedAt: sql<Date>`now()`,
          })),
        )
        .execute();
    }

    // Follow-ups: recompute the dose of everyone on this register.
    const programme = await loadTemplate(trx, organisationId, group.programmeId);
    const allMarks = await marksOfGroup(trx, group.id);
    const followUps: { personId: string; name: string; consecutiveAbsences: number; placementId: string; streakStart: number }[] = [];
    for (const p of current.participants) {
      const dose = doseOf(allMarks.filter((m) => m.personId === p.personId), programme.completionMinSessions);
      if (!needsAbsenceFollowUp(dose) || dose.absenceRunStart === null) continue;
      const inserted = await trx
        .insertInto('absenceAlert')
        .values({ organisationId, placementId: p.placementId, personId: p.personId, streakStart: dose.absenceRunStart })
        .onConflict((oc) => oc.doNothing())
        .returning('personId')
        .executeTakeFirst();
      if (inserted) followUps.push({ personId: p.personId, name: p.name, consecutiveAbsences: dose.consecutiveAbsences, placementId: p.placementId, streakStart: dose.absenceRunStart });
    }
    if (followUps.length > 0) {
      const placements = await trx.selectFrom('placement').select(['id', 'caseId']).where('id', 'in', [...new Set(followUps.map((f) => f.placementId))]).execute();
      const labels = await caseLabels(trx, organisationId, placements.map((p) => p.caseId));
      const managers = await managersOf(trx, organisationId);
      for (const placement of placements) {
        const label = labels.get(placement.caseId);
        const names = followUps.filter((f) => f.placementId === placement.id);
        await notify(trx, {
          organisationId,
          userIds: label?.caseWorkerId ? [label.caseWorkerId] : managers,
          kind: 'absence_follow_up',
          message: `Follow up ${label?.familyLabel ?? 'a family'} (${label?.reference ?? ''}): ${names.map((n) => `${n.name} has missed ${n.consecutiveAbsences} sessions in a row`).join('; ')} of ${group.name}`,
          link: `/cases/${placement.caseId}`,
        });
      }
    }
    await recordAudit(trx, {
      organisationId,
      actorUserId: actor.userId,
      action: 'record:attendance',
      entityType: 'session',
      entityId: sessionId,
      ip: actor.ip,
      detail: { groupId: group.id, marks: body.marks.length, creche: creche.length, followUps: followUps.map((f) => f.personId) },
    });
    const fresh = await trx.selectFrom('groupSession').selectAll().where('id', '=', sessionId).executeTakeFirstOrThrow();
    return { ...strip(await buildRegister(trx, organisationId, group, fresh)), followUps: followUps.map(({ personId, name, consecutiveAbsences }) => ({ personId, name, consecutiveAbsences })) };
  });

/** Dose per participant of a group; a case worker sees the participants of their own cases. */
export const getGroupDose = async (db: Db, actor: Actor, groupId: string): Promise<z.infer<typeof groupDose>> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const group = await loadGroup(trx, actor, groupId);
    const programme = await loadTemplate(trx, organisationId, group.programmeId);
    const placements = await trx.selectFrom('placement').select(['id', 'caseId', 'familyId', 'status']).where('organisationId', '=', organisationId).where('groupId', '=', groupId).orderBy('placedAt').execute();
    const labels = await caseLabels(trx, organisationId, placements.map((p) => p.caseId));
    const visible = actor.role === 'case_worker' ? placements.filter((p) => labels.get(p.caseId)?.caseWorkerId === actor.userId) : placements;
    const participants = visible.length === 0 ? [] : await trx.selectFrom('placementParticipant').select(['placementId', 'personId']).where('placementId', 'in', visible.map((p) => p.id)).execute();
    const people = await peopleOfFamilies(trx, organisationId, [...new Set(visible.map((p) => p.familyId))]);
    const allMarks = await marksOfGroup(trx, groupId);
    const held = await trx
      .selectFrom('groupSession')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('groupId', '=', groupId)
      .where('registerSavedAt', 'is not', null)
      .executeTakeFirstOrThrow();
    const rows = visible.flatMap((p) =>
      participants
        .filter((x) => x.placementId === p.id)
        .map((x) => {
          const dose: Dose = doseOf(allMarks.filter((m) => m.personId === x.personId), programme.completionMinSessions);
          return {
            placementId: p.id,
            placementStatus: p.status,
            caseId: p.caseId,
            familyLabel: labels.get(p.caseId)?.familyLabel ?? '',
            personId: x.personId,
            name: people.find((q) => q.personId === x.personId)?.name ?? '',
            sessionsMarked: dose.sessionsMarked,
            sessionsAttended: dose.sessionsAttended,
            attendanceRate: dose.attendanceRate,
            consecutiveAbsences: dose.consecutiveAbsences,
            completer: dose.completer,
          };
        }),
    );
    await recordAudit(trx, { organisationId, actorUserId: actor.userId, action: 'view:dose', entityType: 'group', entityId: groupId, ip: actor.ip, detail: { people: rows.length } });
    return { groupId, completionMinSessions: programme.completionMinSessions, sessionsHeld: Number(held.n), participants: rows };
  });
