import { sql } from 'kysely';
import type { Trx } from '../../db.ts';
import { attended, meanings } from './dose.ts';

/**
 * What the outcomes report's facilitator and dose filters need from programmes: person ids only, never names of
 * families. Run in the caller's scope (row-level security applies).
 */

/** People placed (now or before withdrawing) in a group where this member of staff facilitated at least one session. */
export const peopleFacilitatedBy = async (trx: Trx, organisationId: string, userId: string): Promise<string[]> => {
  const rows = await trx
    .selectFrom('placementParticipant')
    .innerJoin('placement', 'placement.id', 'placementParticipant.placementId')
    .select('placementParticipant.personId')
    .distinct()
    .where('placement.organisationId', '=', organisationId)
    .where('placement.groupId', 'in', (qb) =>
      qb
        .selectFrom('sessionFacilitator')
        .innerJoin('groupSession', 'groupSession.id', 'sessionFacilitator.sessionId')
        .select('groupSession.groupId')
        .where('sessionFacilitator.organisationId', '=', organisationId)
        .where('sessionFacilitator.userId', '=', userId),
    )
    .execute();
  return rows.map((row) => row.personId);
};

/**
 * People who completed a group: in some placement they attended at least the programme's completion number of
 * sessions. "Attended" is dose.ts's rule (present or late), so the filter and each person's dose agree.
 */
export const completerPeople = async (trx: Trx, organisationId: string): Promise<string[]> => {
  const counted = meanings.filter(attended);
  const result = await sql<{ personId: string }>`
    SELECT DISTINCT a.person_id
    FROM attendance a
    JOIN placement p ON p.id = a.placement_id
    JOIN programme_group g ON g.id = p.group_id
    JOIN programme pr ON pr.id = g.programme_id
    WHERE a.organisation_id = ${organisationId} AND a.meaning = ANY(${counted}::text[])
    GROUP BY a.placement_id, a.person_id, pr.completion_min_sessions
    HAVING count(*) >= pr.completion_min_sessions`.execute(trx);
  return result.rows.map((row) => row.personId);
};

/** Staff who facilitated at least one session, for the report's facilitator filter. */
export const sessionFacilitators = async (trx: Trx, organisationId: string): Promise<{ id: string; name: string }[]> =>
  trx
    .selectFrom('sessionFacilitator')
    .innerJoin('appUser', 'appUser.id', 'sessionFacilitator.userId')
    .select(['appUser.id', 'appUser.name'])
    .distinct()
    .where('sessionFacilitator.organisationId', '=', organisationId)
    .orderBy('appUser.name')
    .execute();
