import type { Trx } from '../../db.ts';

/**
 * The day each case's group ends: the last session of the group the family is placed in (a withdrawn placement does
 * not count). The measures schedule hangs its post questionnaires on it, so they fall due at the last session rather
 * than whenever someone moves the case to completed. Cases in no group are absent from the map.
 */
export const groupEndsOf = async (trx: Trx, organisationId: string, caseIds: readonly string[]): Promise<Map<string, string>> => {
  if (caseIds.length === 0) return new Map();
  const rows = await trx
    .selectFrom('placement')
    .innerJoin('groupSession', (join) => join.onRef('groupSession.groupId', '=', 'placement.groupId').onRef('groupSession.organisationId', '=', 'placement.organisationId'))
    .select(['placement.caseId'])
    .select((eb) => eb.fn.max('groupSession.onDate').as('lastOn'))
    .where('placement.organisationId', '=', organisationId)
    .where('placement.caseId', 'in', [...caseIds])
    .where('placement.status', '=', 'placed')
    .groupBy('placement.caseId')
    .execute();
  return new Map(rows.map((r) => [r.caseId, String(r.lastOn).slice(0, 10)]));
};
