import type { Trx } from '../../db.ts';
import type { Actor } from '../../platform/http/actor.ts';
import { AppError, badField, notFound } from '../../platform/http/app-error.ts';
import type { Gender } from '../cases/index.ts';
import { overlaps, type TimedSession } from './schedule.ts';

export const orgOf = (actor: Actor): string => {
  if (!actor.organisationId) throw new AppError('forbidden', 'Choose an organisation first');
  return actor.organisationId;
};

export const groupColumns = [
  'id',
  'programmeId',
  'name',
  'site',
  'venue',
  'startDate',
  'startTime',
  'sessionMinutes',
  'closures',
  'capacity',
  'capacityUnit',
  'creche',
  'status',
  'version',
] as const;

/**
 * A group the actor may see: managers and case workers (who place and follow families) see every group of their
 * organisation; a facilitator sees the groups they run a session of. Anything else is "not found".
 */
export const loadGroup = async (trx: Trx, actor: Actor, groupId: string) => {
  let q = trx.selectFrom('programmeGroup').select(groupColumns).where('organisationId', '=', orgOf(actor)).where('id', '=', groupId);
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
  } else if (actor.role !== 'service_manager' && actor.role !== 'case_worker') {
    throw notFound('Group');
  }
  const row = await q.executeTakeFirst();
  if (!row) throw notFound('Group');
  return row;
};
export type GroupRow = Awaited<ReturnType<typeof loadGroup>>;

/** A session and its group, if the actor may see the group. */
export const loadSession = async (trx: Trx, actor: Actor, sessionId: string) => {
  const session = await trx.selectFrom('groupSession').selectAll().where('organisationId', '=', orgOf(actor)).where('id', '=', sessionId).executeTakeFirst();
  if (!session) throw notFound('Session');
  const group = await loadGroup(trx, actor, session.groupId).catch((error: unknown) => {
    if (error instanceof AppError && error.code === 'not_found') throw notFound('Session');
    throw error;
  });
  return { session, group };
};

/** Who may be asked to run a session: active facilitators and service managers of the organisation. */
export const facilitatorsById = async (trx: Trx, organisationId: string, ids: readonly string[], path: string): Promise<{ id: string; name: string; gender: Gender }[]> => {
  if (ids.length === 0) return [];
  const rows = await trx
    .selectFrom('membership')
    .innerJoin('appUser', 'appUser.id', 'membership.userId')
    .select(['membership.userId as id', 'appUser.name', 'membership.gender'])
    .where('membership.organisationId', '=', organisationId)
    .where('membership.userId', 'in', [...ids])
    .where('membership.active', '=', true)
    .where('membership.role', 'in', ['facilitator', 'service_manager'])
    .execute();
  if (rows.length !== ids.length) throw badField(path, 'every facilitator must be an active facilitator of this organisation');
  return ids.map((id) => {
    const r = rows.find((x) => x.id === id);
    return { id, name: r?.name ?? '', gender: r?.gender ?? null };
  });
};

/**
 * A facilitator cannot be in two places at once: the first clash between `candidates` (sessions with their
 * proposed date and time) and any other session the same people run, in any group, as words; null when none.
 */
export const facilitatorClash = async (
  trx: Trx,
  organisationId: string,
  userIds: readonly string[],
  candidates: readonly (TimedSession & { id: string | null })[],
  /** Sessions moving in the same change, whose old dates must not count as clashes. */
  moving: readonly string[] = [],
): Promise<string | null> => {
  if (userIds.length === 0 || candidates.length === 0) return null;
  const dates = [...new Set(candidates.map((c) => c.onDate))];
  const excluded = [...candidates.flatMap((c) => (c.id ? [c.id] : [])), ...moving];
  let q = trx
    .selectFrom('sessionFacilitator')
    .innerJoin('groupSession', 'groupSession.id', 'sessionFacilitator.sessionId')
    .innerJoin('programmeGroup', 'programmeGroup.id', 'groupSession.groupId')
    .innerJoin('appUser', 'appUser.id', 'sessionFacilitator.userId')
    .select(['groupSession.id', 'groupSession.onDate', 'groupSession.startTime', 'groupSession.minutes', 'groupSession.number', 'programmeGroup.name as groupName', 'appUser.name as userName'])
    .where('sessionFacilitator.organisationId', '=', organisationId)
    .where('sessionFacilitator.userId', 'in', [...userIds])
    .where('groupSession.onDate', 'in', dates)
    .where('programmeGroup.status', '!=', 'cancelled');
  if (excluded.length > 0) q = q.where('groupSession.id', 'not in', excluded);
  const others = await q.execute();
  // Therapists' appointments hold their time too (a cancelled one has freed it).
  const appointments = await trx
    .selectFrom('therapyAppointment')
    .innerJoin('appUser', 'appUser.id', 'therapyAppointment.therapistId')
    .select(['therapyAppointment.onDate', 'therapyAppointment.startTime', 'therapyAppointment.minutes', 'appUser.name as userName'])
    .where('therapyAppointment.organisationId', '=', organisationId)
    .where('therapyAppointment.therapistId', 'in', [...userIds])
    .where('therapyAppointment.onDate', 'in', dates)
    .where('therapyAppointment.status', 'in', ['booked', 'attended', 'did_not_attend'])
    .execute();
  for (const c of candidates) {
    const clash = others.find((o) => overlaps(c, o));
    if (clash) return `${clash.userName} already runs session ${clash.number} of ${clash.groupName} on ${clash.onDate} at ${clash.startTime}`;
    const appointment = appointments.find((a) => overlaps(c, a));
    if (appointment) return `${appointment.userName} has a therapy appointment on ${appointment.onDate} at ${appointment.startTime}`;
  }
  return null;
};
