import type { Trx } from '../../db.ts';

/**
 * What the funding module needs of cases (fund applications rest on the family's assessment), in the caller's
 * transaction: funding never reads these tables itself. The caller has already checked the actor may see the case.
 */

export type AssessmentForFunding = {
  id: string;
  status: 'booked' | 'held' | 'cancelled';
  outcome: 'suitable' | 'suitable_with_conditions' | 'not_suitable' | null;
  /** The day it was held, in Europe/London. */
  heldOn: string;
  /** When the booking was made; orders two assessments held on one day. */
  recordedAt: string;
};

const londonDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Every assessment of a case, newest first, with no notes, ratings or disclosures: only what decides whether it is current. */
export const assessmentsForFunding = async (trx: Trx, organisationId: string, caseId: string): Promise<AssessmentForFunding[]> => {
  const rows = await trx
    .selectFrom('assessment')
    .select(['id', 'status', 'outcome', 'scheduledAt', 'createdAt'])
    .where('organisationId', '=', organisationId)
    .where('caseId', '=', caseId)
    .orderBy('scheduledAt', 'desc')
    .orderBy('createdAt', 'desc')
    .execute();
  return rows.map((r) => ({ id: r.id, status: r.status, outcome: r.outcome, heldOn: londonDay.format(r.scheduledAt), recordedAt: r.createdAt.toISOString() }));
};

/** The family behind a case, for a check that names it (the caller has scoped the case already). */
export const familyOfCase = async (
  trx: Trx,
  organisationId: string,
  caseId: string,
): Promise<{ familyId: string; familyLabel: string; reference: string; programmeId: string | null } | undefined> =>
  trx
    .selectFrom('familyCase')
    .innerJoin('family', 'family.id', 'familyCase.familyId')
    .select(['familyCase.familyId', 'family.label as familyLabel', 'familyCase.reference', 'familyCase.programmeId'])
    .where('familyCase.organisationId', '=', organisationId)
    .where('familyCase.id', '=', caseId)
    .executeTakeFirst();
