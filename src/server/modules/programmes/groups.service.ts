import { sql } from 'kysely';
import type { z } from 'zod';
import type {
  assignFacilitatorsBody,
  createGroupBody,
  groupDetail,
  groupSession,
  groupSummary,
  moveSessionBody,
  placement as placementSchema,
  updateGroupBody,
  withdrawBody,
} from '../../../shared/contracts/programmes.ts';
import type { Db, Trx } from '../../db.ts';
import { inScope } from '../../platform/db/scope.ts';
import { scopeOf, type Actor } from '../../platform/http/actor.ts';
import { AppError, badField, notFound, staleVersion } from '../../platform/http/app-error.ts';
import { recordAudit } from '../audit/index.ts';
import {
  assertCoupleWorkAllowed,
  caseForPlacement,
  caseLabels,
  facilitatorRuleProblem,
  managersOf,
  type FacilitatorRule,
  moveCaseForProgramme,
  notify,
  peopleOfFamilies,
} from '../cases/index.ts';
import { sessionFacilitatorProblem } from './facilitation.ts';
import { facilitatorClash, facilitatorsById, groupColumns, loadGroup, loadSession, orgOf, type GroupRow } from './group-access.ts';
import { placementPlaced, placementWithdrawn } from './placement-hooks.ts';
import { moveSession as planMove, ScheduleError, weeklyDates } from './schedule.ts';
import { loadTemplate } from './templates.service.ts';

type GroupSummary = z.infer<typeof groupSummary>;
type GroupDetail = z.infer<typeof groupDetail>;
type GroupSessionOut = z.infer<typeof groupSession>;
type Placement = z.infer<typeof placementSchema>;

const today = (): string => new Date().toISOString().slice(0, 10);

const asBadField = (error: unknown, prefix: string): never => {
  if (error instanceof ScheduleError) throw badField(`${prefix}.${error.field}`, error.message);
  throw error;
};

/** Sessions of groups with their facilitators, in session order. */
export const sessionsOf = async (trx: Trx, organisationId: string, groupIds: readonly string[]) => {
  if (groupIds.length === 0) return [];
  const sessions = await trx.selectFrom('groupSession').selectAll().where('organisationId', '=', organisationId).where('groupId', 'in', [...groupIds]).orderBy('number').execute();
  const ids = sessions.map((s) => s.id);
  const facilitators =
    ids.length === 0
      ? []
      : await trx
          .selectFrom('sessionFacilitator')
          .innerJoin('appUser', 'appUser.id', 'sessionFacilitator.userId')
          .leftJoin('membership', (join) => join.onRef('membership.userId', '=', 'sessionFacilitator.userId').onRef('membership.organisationId', '=', 'sessionFacilitator.organisationId'))
          .select(['sessionFacilitator.sessionId', 'appUser.id', 'appUser.name', 'membership.gender'])
          .where('sessionFacilitator.sessionId', 'in', ids)
          .orderBy('appUser.name')
          .execute();
  return sessions.map((s) => ({ ...s, facilitators: facilitators.filter((f) => f.sessionId === s.id).map((f) => ({ id: f.id, name: f.name, gender: f.gender ?? null })) }));
};
type SessionWithStaff = Awaited<ReturnType<typeof sessionsOf>>[number];

type Rule = FacilitatorRule;
const problemOf = sessionFacilitatorProblem;

const presentSession = (rule: Rule, s: SessionWithStaff): GroupSessionOut => ({
  id: s.id,
  number: s.number,
  onDate: s.onDate,
  startTime: s.startTime,
  minutes: s.minutes,
  strand: s.strand,
  topic: s.topic,
  splitByGender: s.splitByGender,
  childrenJoin: s.childrenJoin,
  creche: s.creche,
  facilitators: s.facilitators,
  facilitatorProblem: problemOf(rule, s),
  ruleOverrideReason: s.ruleOverrideReason,
  registerTaken: s.registerSavedAt !== null,
  version: s.version,
});

/** Placements of groups with their participants; a case worker sees only those of their own cases. */
export const placementsOf = async (trx: Trx, actor: Actor, groupIds: readonly string[], onlyPlaced = false): Promise<Placement[]> => {
  const organisationId = orgOf(actor);
  if (groupIds.length === 0) return [];
  let q = trx.selectFrom('placement').selectAll().where('organisationId', '=', organisationId).where('groupId', 'in', [...groupIds]).orderBy('placedAt');
  if (onlyPlaced) q = q.where('status', '=', 'placed');
  const rows = await q.execute();
  const labels = await caseLabels(trx, organisationId, rows.map((r) => r.caseId));
  const visible = actor.role === 'case_worker' ? rows.filter((r) => labels.get(r.caseId)?.caseWorkerId === actor.userId) : rows;
  const participants =
    visible.length === 0
      ? []
      : await trx.selectFrom('placementParticipant').select(['placementId', 'personId']).where('placementId', 'in', visible.map((r) => r.id)).execute();
  const people = await peopleOfFamilies(trx, organisationId, [...new Set(visible.map((r) => r.familyId))]);
  return visible.map((r) => ({
    id: r.id,
    groupId: r.groupId,
    caseId: r.caseId,
    caseReference: labels.get(r.caseId)?.reference ?? '',
    familyLabel: labels.get(r.caseId)?.familyLabel ?? '',
    status: r.status,
    placedAt: r.placedAt.toISOString(),
    withdrawnOn: r.withdrawnOn,
    withdrawalReason: r.withdrawalReason,
    participants: participants
      .filter((p) => p.placementId === r.id)
      .map((p) => {
        const person = people.find((x) => x.personId === p.personId);
        return { personId: p.personId, name: person?.name ?? '', gender: person?.gender ?? null };
      }),
    version: r.version,
  }));
};

/** Places taken: placed couples (families), or placed people, as the group counts them. */
const placesFilled = async (trx: Trx, organisationId: string, groupIds: readonly string[]): Promise<Map<string, { couples: number; people: number }>> => {
  if (groupIds.length === 0) return new Map();
  const rows = await trx
    .selectFrom('placement')
    .leftJoin('placementParticipant', 'placementParticipant.placementId', 'placement.id')
    .select(['placement.groupId', sql<number>`count(DISTINCT placement.id)::int`.as('couples'), sql<number>`count(placement_participant.person_id)::int`.as('people')])
    .where('placement.organisationId', '=', organisationId)
    .where('placement.groupId', 'in', [...groupIds])
    .where('placement.status', '=', 'placed')
    .groupBy('placement.groupId')
    .execute();
  return new Map(rows.map((r) => [r.groupId, { couples: Number(r.couples), people: Number(r.people) }]));
};

const summarise = (
  g: GroupRow,
  programme: { name: string; facilitatorRule: Rule },
  sessions: SessionWithStaff[],
  filled: { couples: number; people: number } | undefined,
): GroupSummary => {
  const taken = g.capacityUnit === 'couples' ? (filled?.couples ?? 0) : (filled?.people ?? 0);
  return {
    id: g.id,
    programmeId: g.programmeId,
    programmeName: programme.name,
    name: g.name,
    site: g.site,
    venue: g.venue,
    startDate: g.startDate,
    endDate: sessions.at(-1)?.onDate ?? null,
    startTime: g.startTime,
    sessionMinutes: g.sessionMinutes,
    capacity: g.capacity,
    capacityUnit: g.capacityUnit,
    placesFilled: taken,
    placesFree: Math.max(0, g.capacity - taken),
    creche: g.creche,
    status: g.status,
    sessionCount: sessions.length,
    sessionsWithoutValidFacilitators: sessions.filter((s) => problemOf(programme.facilitatorRule, s) !== null).length,
    version: g.version,
  };
};

const programmesOf = async (trx: Trx, organisationId: string, ids: readonly string[]) =>
  ids.length === 0
    ? []
    : trx.selectFrom('programme').select(['id', 'name', 'facilitatorRule', 'offersCoupleWork']).where('organisationId', '=', organisationId).where('id', 'in', [...ids]).execute();

export const listGroups = async (db: Db, actor: Actor, query: { status?: GroupRow['status'] | undefined; programmeId?: string | undefined }): Promise<GroupSummary[]> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    let q = trx.selectFrom('programmeGroup').select(groupColumns).where('organisationId', '=', organisationId);
    if (query.status) q = q.where('status', '=', query.status);
    if (query.programmeId) q = q.where('programmeId', '=', query.programmeId);
    if (actor.role === 'facilitator') {
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('groupSession')
            .innerJoin('sessionFacilitator', 'sessionFacilitator.sessionId', 'groupSession.id')
            .select('groupSession.id')
            .whereRef('groupSession.groupId', '=', 'programmeGroup.id')
            .where('sessionFacilitator.userId', '=', actor.userId),
        ),
      );
    }
    const groups = await q.orderBy('startDate', 'desc').orderBy('name').limit(500).execute();
    const ids = groups.map((g) => g.id);
    const sessions = await sessionsOf(trx, organisationId, ids);
    const programmes = await programmesOf(trx, organisationId, [...new Set(groups.map((g) => g.programmeId))]);
    const filled = await placesFilled(trx, organisationId, ids);
    return groups.map((g) => {
      const p = programmes.find((x) => x.id === g.programmeId) ?? { name: '', facilitatorRule: 'any' as const };
      return summarise(g, p, sessions.filter((s) => s.groupId === g.id), filled.get(g.id));
    });
  });

const detailOf = async (trx: Trx, actor: Actor, groupId: string): Promise<GroupDetail> => {
  const organisationId = orgOf(actor);
  const g = await loadGroup(trx, actor, groupId);
  const programme = await loadTemplate(trx, organisationId, g.programmeId);
  const sessions = await sessionsOf(trx, organisationId, [g.id]);
  const filled = await placesFilled(trx, organisationId, [g.id]);
  return {
    ...summarise(g, programme, sessions, filled.get(g.id)),
    closures: g.closures,
    sessions: sessions.map((s) => presentSession(programme.facilitatorRule, s)),
    placements: await placementsOf(trx, actor, [g.id]),
  };
};

export const getGroup = async (db: Db, actor: Actor, groupId: string): Promise<GroupDetail> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const detail = await detailOf(trx, actor, groupId);
    await recordAudit(trx, {
      organisationId: orgOf(actor),
      actorUserId: actor.userId,
      action: 'view:group',
      entityType: 'group',
      entityId: groupId,
      ip: actor.ip,
      detail: { placements: detail.placements.map((p) => p.id) },
    });
    return detail;
  });

/** Checks facilitators against the rule and their other sessions; returns the override to store (or null). */
const checkFacilitators = async (
  trx: Trx,
  actor: Actor,
  rule: Rule,
  facilitatorIds: readonly string[],
  sessions: readonly { id: string | null; onDate: string; startTime: string; minutes: number }[],
  overrideReason: string | undefined,
): Promise<string | null> => {
  const organisationId = orgOf(actor);
  const staff = await facilitatorsById(trx, organisationId, facilitatorIds, 'body.facilitatorIds');
  const clash = await facilitatorClash(trx, organisationId, facilitatorIds, sessions);
  if (clash) throw badField('body.facilitatorIds', clash);
  if (facilitatorIds.length === 0) return null;
  const problem = facilitatorRuleProblem(rule, staff.map((s) => s.gender));
  if (!problem) return null;
  if (!overrideReason) throw badField('body.facilitatorIds', `${problem}; a service manager can assign them anyway with a reason`);
  if (actor.role !== 'service_manager') {
    throw new AppError('forbidden', 'Only a service manager can override the facilitator rule', {
      fields: [{ path: 'body.ruleOverrideReason', message: 'only a service manager can override the facilitator rule' }],
    });
  }
  return overrideReason;
};

/** Plans a group from its programme's template: weekly sessions from the start date, skipping closures. */
export const createGroup = async (db: Db, actor: Actor, body: z.infer<typeof createGroupBody>): Promise<GroupDetail> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const programme = await loadTemplate(trx, organisationId, body.programmeId).catch((error: unknown) => {
      if (error instanceof AppError && error.code === 'not_found') throw badField('body.programmeId', 'is not a programme of this organisation');
      throw error;
    });
    const closures = body.closures ?? [];
    const dates = (() => {
      try {
        return weeklyDates(body.startDate, programme.sessionCount, closures);
      } catch (error) {
        return asBadField(error, 'body');
      }
    })();
    const [hours, minutes] = body.startTime.split(':').map(Number);
    if ((hours ?? 0) * 60 + (minutes ?? 0) + programme.sessionMinutes > 24 * 60) throw badField('body.startTime', 'sessions must end before midnight');
    const taken = await trx.selectFrom('programmeGroup').select('id').where('organisationId', '=', organisationId).where('name', '=', body.name).executeTakeFirst();
    if (taken) throw badField('body.name', 'another group already has this name');
    const facilitatorIds = body.facilitatorIds ?? [];
    const override = await checkFacilitators(
      trx,
      actor,
      programme.facilitatorRule,
      facilitatorIds,
      dates.map((onDate) => ({ id: null, onDate, startTime: body.startTime, minutes: programme.sessionMinutes })),
      body.ruleOverrideReason,
    );
    const group = await trx
      .insertInto('programmeGroup')
      .values({
        organisationId,
        programmeId: programme.id,
        name: body.name,
        site: body.site,
        venue: body.venue ?? '',
        startDate: body.startDate,
        startTime: body.startTime,
        sessionMinutes: programme.sessionMinutes,
        closures: JSON.stringify(closures),
        capacity: body.capacity ?? programme.capacity,
        capacityUnit: programme.capacityUnit,
        creche: programme.creche,
        createdBy: actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const sessions = await trx
      .insertInto('groupSession')
      .values(
        dates.map((onDate, i) => {
          const c = programme.curriculum[i];
          return {
            organisationId,
            groupId: group.id,
            number: i + 1,
            onDate,
            startTime: body.startTime,
            minutes: programme.sessionMinutes,
            strand: c?.strand ?? '',
            topic: c?.topic ?? '',
            splitByGender: c?.splitByGender ?? false,
            childrenJoin: c?.childrenJoin ?? false,
            creche: programme.creche,
            ruleOverrideReason: override,
            ruleOverrideBy: override ? actor.userId : null,
          };
        }),
      )
      .returning('id')
      .execute();
    if (facilitatorIds.length > 0) {
      await trx
        .insertInto('sessionFacilitator')
        .values(sessions.flatMap((s) => facilitatorIds.map((userId) => ({ organisationId, sessionId: s.id, userId }))))
        .execute();
      await notify(trx, {
        organisationId,
        userIds: facilitatorIds.filter((id) => id !== actor.userId),
        kind: 'group_facilitator',
        message: `You are facilitating ${body.name} (${programme.name}) from ${dates[0] ?? body.startDate}`,
        link: `/groups/${group.id}`,
      });
    }
    await recordAudit(trx, {
      organisationId,
      actorUserId: actor.userId,
      action: 'create:group',
      entityType: 'group',
      entityId: group.id,
      ip: actor.ip,
      detail: { programmeId: programme.id, sessions: dates.length, skipped: closures.length, override },
    });
    return detailOf(trx, actor, group.id);
  });

const nextStatuses: Record<GroupRow['status'], readonly GroupRow['status'][]> = {
  planned: ['running', 'cancelled'],
  running: ['finished', 'cancelled'],
  finished: [],
  cancelled: [],
};

export const updateGroup = async (db: Db, actor: Actor, groupId: string, body: z.infer<typeof updateGroupBody>): Promise<GroupDetail> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const g = await loadGroup(trx, actor, groupId);
    if (g.version !== body.version) throw staleVersion('This group');
    const problems: { path: string; message: string }[] = [];
    if (body.status && body.status !== g.status && !nextStatuses[g.status].includes(body.status)) {
      problems.push({ path: 'body.status', message: `a ${g.status} group cannot become ${body.status}` });
    }
    if (body.capacity !== undefined) {
      const filled = (await placesFilled(trx, organisationId, [g.id])).get(g.id);
      const taken = g.capacityUnit === 'couples' ? (filled?.couples ?? 0) : (filled?.people ?? 0);
      if (body.capacity < taken) problems.push({ path: 'body.capacity', message: `${taken} ${g.capacityUnit} are already placed` });
    }
    if (body.name && body.name !== g.name) {
      const taken = await trx.selectFrom('programmeGroup').select('id').where('organisationId', '=', organisationId).where('name', '=', body.name).executeTakeFirst();
      if (taken) problems.push({ path: 'body.name', message: 'another group already has this name' });
    }
    if (problems.length > 0) throw new AppError('bad_request', problems.map((p) => `${p.path}: ${p.message}`).join('; '), { fields: problems });
    const updated = await trx
      .updateTable('programmeGroup')
      .set({
        ...(body.name ? { name: body.name } : {}),
        ...(body.site ? { site: body.site } : {}),
        ...(body.venue !== undefined ? { venue: body.venue } : {}),
        ...(body.capacity !== undefined ? { capacity: body.capacity } : {}),
        ...(body.status ? { status: body.status } : {}),
        version: sql<number>`version + 1`,
      })
      .where('id', '=', groupId)
      .where('version', '=', body.version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw staleVersion('This group');
    await recordAudit(trx, { organisationId, actorUserId: actor.userId, action: 'update:group', entityType: 'group', entityId: groupId, ip: actor.ip, detail: { ...body, version: undefined } });
    return detailOf(trx, actor, groupId);
  });

export const assignFacilitators = async (db: Db, actor: Actor, sessionId: string, body: z.infer<typeof assignFacilitatorsBody>): Promise<GroupDetail> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const { session, group } = await loadSession(trx, actor, sessionId);
    if (session.version !== body.version) throw staleVersion('This session');
    const programme = await loadTemplate(trx, organisationId, group.programmeId);
    const override = await checkFacilitators(trx, actor, programme.facilitatorRule, body.facilitatorIds, [session], body.ruleOverrideReason);
    await trx.deleteFrom('sessionFacilitator').where('sessionId', '=', sessionId).execute();
    if (body.facilitatorIds.length > 0) {
      await trx.insertInto('sessionFacilitator').values(body.facilitatorIds.map((userId) => ({ organisationId, sessionId, userId }))).execute();
    }
    const updated = await trx
      .updateTable('groupSession')
      .set({ ruleOverrideReason: override, ruleOverrideBy: override ? actor.userId : null, version: sql<number>`version + 1` })
      .where('id', '=', sessionId)
      .where('version', '=', body.version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw staleVersion('This session');
    await recordAudit(trx, {
      organisationId,
      actorUserId: actor.userId,
      action: 'assign:facilitators',
      entityType: 'session',
      entityId: sessionId,
      ip: actor.ip,
      detail: { groupId: group.id, facilitators: body.facilitatorIds, override },
    });
    return detailOf(trx, actor, group.id);
  });

/** Moves a session; with `rescheduleRest` the later sessions follow weekly. Sessions with a register stay put. */
export const moveSession = async (db: Db, actor: Actor, sessionId: string, body: z.infer<typeof moveSessionBody>): Promise<GroupDetail> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const { session, group } = await loadSession(trx, actor, sessionId);
    if (session.version !== body.version) throw staleVersion('This session');
    const all = await sessionsOf(trx, organisationId, [group.id]);
    const moves = (() => {
      try {
        return planMove(all, session.number, body.onDate, group.closures, body.rescheduleRest);
      } catch (error) {
        return asBadField(error, 'body');
      }
    })();
    const startTime = body.startTime ?? session.startTime;
    const changed = all.filter((s) => s.id === sessionId || moves.some((m) => m.number === s.number));
    const taken = changed.find((s) => s.registerSavedAt !== null);
    if (taken) throw badField('body.onDate', `session ${taken.number} already has its register taken; it cannot move`);
    for (const s of changed) {
      const onDate = moves.find((m) => m.number === s.number)?.onDate ?? s.onDate;
      const clash = await facilitatorClash(trx, organisationId, s.facilitators.map((f) => f.id), [{ id: s.id, onDate, startTime: s.id === sessionId ? startTime : s.startTime, minutes: s.minutes }], changed.map((x) => x.id));
      if (clash) throw badField('body.onDate', clash);
      await trx
        .updateTable('groupSession')
        .set({ onDate, ...(s.id === sessionId ? { startTime } : {}), version: sql<number>`version + 1` })
        .where('id', '=', s.id)
        .execute();
    }
    await recordAudit(trx, {
      organisationId,
      actorUserId: actor.userId,
      action: 'move:session',
      entityType: 'session',
      entityId: sessionId,
      ip: actor.ip,
      detail: { groupId: group.id, from: session.onDate, to: body.onDate, rescheduleRest: body.rescheduleRest, moved: moves.length },
    });
    return detailOf(trx, actor, group.id);
  });

/**
 * Places a family from the waiting list: both parents together (a couple takes one place, or one place each
 * when the group counts people), within capacity, never couple work while domestic abuse is open. A case that
 * was awaiting a group moves to in service in the same transaction.
 */
export const placeFamily = async (db: Db, actor: Actor, groupId: string, body: { caseId: string; caseVersion: number }): Promise<Placement> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    await loadGroup(trx, actor, groupId);
    // Lock the group so two managers placing the last couple at once cannot both succeed.
    const g = await trx.selectFrom('programmeGroup').select(['id', 'name', 'status', 'capacity', 'capacityUnit', 'programmeId']).where('id', '=', groupId).forUpdate().executeTakeFirstOrThrow();
    if (g.status !== 'planned' && g.status !== 'running') throw new AppError('conflict', `Families cannot be placed in a ${g.status} group`);
    const c = await caseForPlacement(trx, actor, body.caseId).catch((error: unknown) => {
      if (error instanceof AppError && error.code === 'not_found') throw badField('body.caseId', 'is not a case of this organisation');
      throw error;
    });
    if (c.version !== body.caseVersion) throw staleVersion('This case');
    if (c.stage !== 'awaiting_group' && c.stage !== 'in_service') {
      throw badField('body.caseId', `the case is ${c.stage.replaceAll('_', ' ')}; only a case awaiting a group can be placed`);
    }
    const already = await trx.selectFrom('placement').select('groupId').where('caseId', '=', c.id).where('status', '=', 'placed').executeTakeFirst();
    if (already) throw badField('body.caseId', 'this family is already placed in a group; withdraw that placement first');
    const adults = (await peopleOfFamilies(trx, organisationId, [c.familyId])).filter((p) => !p.isChild);
    if (g.capacityUnit === 'couples' && adults.length < 2) throw badField('body.caseId', 'a couple is placed together, and this family has one adult recorded');
    if (adults.length === 0) throw badField('body.caseId', 'this family has no adults recorded');
    const programmes = await programmesOf(trx, organisationId, [g.programmeId]);
    const coupleWork = programmes[0]?.offersCoupleWork ?? true;
    if (coupleWork) await assertCoupleWorkAllowed(trx, c.familyId, 'body.caseId');
    const filled = (await placesFilled(trx, organisationId, [g.id])).get(g.id);
    const needed = g.capacityUnit === 'couples' ? 1 : adults.length;
    const taken = g.capacityUnit === 'couples' ? (filled?.couples ?? 0) : (filled?.people ?? 0);
    if (taken + needed > g.capacity) {
      throw new AppError('conflict', `${g.name} is full: ${taken} of ${g.capacity} ${g.capacityUnit} placed`, {
        fields: [{ path: 'body.caseId', message: `the group has ${g.capacity - taken} place(s) free and this family needs ${needed}` }],
      });
    }
    const created = await trx
      .insertInto('placement')
      .values({ organisationId, groupId: g.id, caseId: c.id, familyId: c.familyId, placedBy: actor.userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.insertInto('placementParticipant').values(adults.map((a) => ({ organisationId, placementId: created.id, personId: a.personId }))).execute();
    await placementPlaced(trx, { organisationId, groupId: g.id, placementId: created.id, caseId: c.id, userId: actor.userId });
    if (c.stage === 'awaiting_group') {
      await moveCaseForProgramme(trx, actor, c, { to: 'in_service', reason: `Placed in ${g.name}`, field: 'body.caseId', coupleWork });
    }
    if (c.caseWorkerId && c.caseWorkerId !== actor.userId) {
      await notify(trx, { organisationId, userIds: [c.caseWorkerId], kind: 'placed', message: `${c.familyLabel} (${c.reference}) placed in ${g.name}`, link: `/groups/${g.id}` });
    }
    await recordAudit(trx, {
      organisationId,
      actorUserId: actor.userId,
      action: 'place:family',
      entityType: 'placement',
      entityId: created.id,
      ip: actor.ip,
      detail: { groupId: g.id, caseId: c.id, people: adults.map((a) => a.personId) },
    });
    const [result] = await placementsOf(trx, actor, [g.id]).then((list) => list.filter((p) => p.id === created.id));
    if (!result) throw notFound('Placement');
    return result;
  });

/** A family drops out: the date and reason are kept for the drop-out figures, and the case is withdrawn. */
export const withdrawPlacement = async (db: Db, actor: Actor, placementId: string, body: z.infer<typeof withdrawBody>): Promise<Placement> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const p = await trx.selectFrom('placement').selectAll().where('organisationId', '=', organisationId).where('id', '=', placementId).executeTakeFirst();
    if (!p) throw notFound('Placement');
    const c = await caseForPlacement(trx, actor, p.caseId).catch((error: unknown) => {
      if (error instanceof AppError && error.code === 'not_found') throw notFound('Placement');
      throw error;
    });
    if (p.status !== 'placed') throw new AppError('conflict', 'This family has already withdrawn from the group');
    if (p.version !== body.version) throw staleVersion('This placement');
    const g = await trx.selectFrom('programmeGroup').select(['name']).where('id', '=', p.groupId).executeTakeFirstOrThrow();
    if (body.on > today()) throw badField('body.on', 'cannot be in the future');
    await trx
      .updateTable('placement')
      .set({ status: 'withdrawn', withdrawnOn: body.on, withdrawalReason: body.reason, version: sql<number>`version + 1` })
      .where('id', '=', placementId)
      .where('version', '=', body.version)
      .execute();
    await placementWithdrawn(trx, { organisationId, groupId: p.groupId, placementId, caseId: p.caseId, userId: actor.userId, on: body.on });
    if (c.stage === 'in_service') {
      await moveCaseForProgramme(trx, actor, c, { to: 'withdrawn', reason: `Withdrew from ${g.name} on ${body.on}: ${body.reason}`, field: 'body.on', coupleWork: false });
    }
    const told = c.caseWorkerId ? [c.caseWorkerId] : await managersOf(trx, organisationId);
    await notify(trx, {
      organisationId,
      userIds: told.filter((id) => id !== actor.userId),
      kind: 'withdrawn',
      message: `${c.familyLabel} (${c.reference}) withdrew from ${g.name}`,
      link: `/cases/${c.id}`,
    });
    await recordAudit(trx, {
      organisationId,
      actorUserId: actor.userId,
      action: 'withdraw:placement',
      entityType: 'placement',
      entityId: placementId,
      ip: actor.ip,
      detail: { groupId: p.groupId, caseId: p.caseId, on: body.on },
    });
    const [result] = (await placementsOf(trx, actor, [p.groupId])).filter((x) => x.id === placementId);
    if (!result) throw notFound('Placement');
    return result;
  });

