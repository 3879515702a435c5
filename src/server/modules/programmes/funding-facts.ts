import { sql } from 'kysely';
import type { Trx } from '../../db.ts';
import { doseOf, needsAbsenceFollowUp, type Meaning } from './dose.ts';

/**
 * Facts about groups and placements that funding needs (group dates and capacity, each placement's dose), with
 * no family details: callers get placement ids, never names. Runs in the provider's scope.
 */
export type GroupFacts = {
  id: string;
  name: string;
  programmeId: string;
  programmeName: string;
  startDate: string;
  status: 'planned' | 'running' | 'finished' | 'cancelled';
  capacity: number;
  capacityUnit: 'couples' | 'people';
  completionMinSessions: number;
  sessions: { number: number; onDate: string }[];
};

export const groupFacts = async (trx: Trx, organisationId: string, groupIds?: readonly string[]): Promise<GroupFacts[]> => {
  if (groupIds && groupIds.length === 0) return [];
  let q = trx
    .selectFrom('programmeGroup')
    .innerJoin('programme', 'programme.id', 'programmeGroup.programmeId')
    .select([
      'programmeGroup.id',
      'programmeGroup.name',
      'programmeGroup.programmeId',
      'programme.name as programmeName',
      'programmeGroup.startDate',
      'programmeGroup.status',
      'programmeGroup.capacity',
      'programmeGroup.capacityUnit',
      'programme.completionMinSessions',
    ])
    .where('programmeGroup.organisationId', '=', organisationId);
  if (groupIds) q = q.where('programmeGroup.id', 'in', [...groupIds]);
  const groups = await q.orderBy('programmeGroup.startDate').orderBy('programmeGroup.name').execute();
  if (groups.length === 0) return [];
  const sessions = await trx
    .selectFrom('groupSession')
    .select(['groupId', 'number', 'onDate'])
    .where('organisationId', '=', organisationId)
    .where('groupId', 'in', groups.map((g) => g.id))
    .orderBy('number')
    .execute();
  return groups.map((g) => ({ ...g, sessions: sessions.filter((s) => s.groupId === g.id).map((s) => ({ number: s.number, onDate: s.onDate })) }));
};

export type PlacementDose = {
  placementId: string;
  groupId: string;
  /** The family's case: whose questionnaires count towards a contract's outcomes. */
  caseId: string;
  status: 'placed' | 'withdrawn';
  withdrawnOn: string | null;
  /** Sessions at which anyone in the family attended. */
  sessionsAttended: number;
  /** The longest current run of absences among the family's participants. */
  consecutiveAbsences: number;
  completer: boolean;
  /** Absent often enough in a row that the case worker follows up: at risk of dropping out. */
  atRisk: boolean;
};

/** Each placement's dose, for the places funding watches. */
export const placementDoses = async (trx: Trx, organisationId: string, placementIds: readonly string[]): Promise<Map<string, PlacementDose>> => {
  if (placementIds.length === 0) return new Map();
  const placements = await trx
    .selectFrom('placement')
    .innerJoin('programmeGroup', 'programmeGroup.id', 'placement.groupId')
    .innerJoin('programme', 'programme.id', 'programmeGroup.programmeId')
    .select(['placement.id', 'placement.groupId', 'placement.caseId', 'placement.status', 'placement.withdrawnOn', 'programme.completionMinSessions'])
    .where('placement.organisationId', '=', organisationId)
    .where('placement.id', 'in', [...placementIds])
    .execute();
  const marks =
    placements.length === 0
      ? []
      : await trx
          .selectFrom('attendance')
          .innerJoin('groupSession', 'groupSession.id', 'attendance.sessionId')
          .select(['attendance.placementId', 'attendance.personId', 'attendance.meaning', 'groupSession.number'])
          .where('attendance.organisationId', '=', organisationId)
          .where('attendance.placementId', 'in', placements.map((p) => p.id))
          .execute();
  const result = new Map<string, PlacementDose>();
  for (const p of placements) {
    const own = marks.filter((m) => m.placementId === p.id);
    const people = [...new Set(own.map((m) => m.personId))];
    const doses = people.map((person) => doseOf(own.filter((m) => m.personId === person).map((m) => ({ number: m.number, meaning: m.meaning as Meaning })), p.completionMinSessions));
    const attendedSessions = new Set(own.filter((m) => m.meaning === 'present' || m.meaning === 'late').map((m) => m.number));
    result.set(p.id, {
      placementId: p.id,
      groupId: p.groupId,
      caseId: p.caseId,
      status: p.status,
      withdrawnOn: p.withdrawnOn,
      sessionsAttended: attendedSessions.size,
      consecutiveAbsences: Math.max(0, ...doses.map((d) => d.consecutiveAbsences)),
      completer: doses.some((d) => d.completer),
      atRisk: p.status === 'placed' && doses.some((d) => needsAbsenceFollowUp(d)),
    });
  }
  return result;
};

/**
 * The placements on a programme's groups made up to a day (Europe/London), for the reach of a grant that funds the
 * programme: ids and dates only.
 */
export const programmePlacements = async (trx: Trx, organisationId: string, programmeId: string, upTo: string): Promise<{ placementId: string; caseId: string; placedOn: string }[]> => {
  const rows = await trx
    .selectFrom('placement')
    .innerJoin('programmeGroup', 'programmeGroup.id', 'placement.groupId')
    .select(['placement.id', 'placement.caseId', sql<string>`((placement.placed_at AT TIME ZONE 'Europe/London')::date)::text`.as('placedOn')])
    .where('placement.organisationId', '=', organisationId)
    .where('programmeGroup.programmeId', '=', programmeId)
    .where(sql<boolean>`(placement.placed_at AT TIME ZONE 'Europe/London')::date <= ${upTo}::date`)
    .execute();
  return rows.map((r) => ({ placementId: r.id, caseId: r.caseId, placedOn: r.placedOn }));
};
