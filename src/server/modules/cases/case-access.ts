import { sql, type SelectQueryBuilder } from 'kysely';
import type { z } from 'zod';
import type { caseSummary } from '../../../shared/contracts/journey.ts';
import type { Database, Trx } from '../../db.ts';
import type { Actor } from '../../platform/http/actor.ts';
import { AppError, badField, notFound } from '../../platform/http/app-error.ts';

type CaseSummary = z.infer<typeof caseSummary>;

export const orgOf = (actor: Actor): string => {
  if (!actor.organisationId) throw new AppError('forbidden', 'Choose an organisation first');
  return actor.organisationId;
};

/**
 * Which cases a person may see: managers all of their organisation's; case workers their own caseload and the
 * unallocated ones (to pick up); facilitators those whose assessment they are booked to run.
 */
export const visibleTo = <O>(qb: SelectQueryBuilder<Database, 'familyCase', O>, actor: Actor): SelectQueryBuilder<Database, 'familyCase', O> => {
  const scoped = qb.where('familyCase.organisationId', '=', orgOf(actor));
  if (actor.role === 'service_manager') return scoped;
  if (actor.role === 'case_worker') return scoped.where((eb) => eb.or([eb('familyCase.caseWorkerId', '=', actor.userId), eb('familyCase.caseWorkerId', 'is', null)]));
  if (actor.role === 'facilitator') {
    return scoped.where((eb) =>
      eb.exists(
        eb
          .selectFrom('assessmentFacilitator')
          .innerJoin('assessment', 'assessment.id', 'assessmentFacilitator.assessmentId')
          .select('assessmentFacilitator.userId')
          .whereRef('assessment.caseId', '=', 'familyCase.id')
          .where('assessmentFacilitator.userId', '=', actor.userId),
      ),
    );
  }
  return scoped.where(sql<boolean>`false`);
};

export const summaryQuery = (trx: Trx) =>
  trx
    .selectFrom('familyCase')
    .innerJoin('family', 'family.id', 'familyCase.familyId')
    .leftJoin('programme', 'programme.id', 'familyCase.programmeId')
    .leftJoin('appUser', 'appUser.id', 'familyCase.caseWorkerId')
    .select([
      'familyCase.id',
      'familyCase.reference',
      'familyCase.familyId',
      'family.label as familyLabel',
      'familyCase.programmeId',
      'programme.name as programmeName',
      'familyCase.stage',
      'familyCase.stageChangedAt',
      'familyCase.caseWorkerId',
      'appUser.name as caseWorkerName',
      'familyCase.version',
      // Flagged families are marked wherever they appear.
      (eb) =>
        eb
          .exists(eb.selectFrom('safeguardingFlag').select('safeguardingFlag.id').whereRef('safeguardingFlag.familyId', '=', 'familyCase.familyId').where('safeguardingFlag.status', '=', 'open'))
          .as('safeguarding'),
    ]);

export type SummaryRow = Awaited<ReturnType<ReturnType<typeof summaryQuery>['executeTakeFirstOrThrow']>>;
export const presentSummary = (row: SummaryRow): CaseSummary => ({ ...row, safeguarding: Boolean(row.safeguarding), stageChangedAt: row.stageChangedAt.toISOString() });

export const loadCase = async (trx: Trx, actor: Actor, caseId: string): Promise<SummaryRow> => {
  const row = await visibleTo(summaryQuery(trx), actor).where('familyCase.id', '=', caseId).executeTakeFirst();
  if (!row) throw notFound('Case');
  return row;
};

/** In-app notifications, written in the caller's transaction. */
export const notify = async (
  trx: Trx,
  input: { organisationId: string; userIds: string[]; kind: string; message: string; link: string | null },
): Promise<void> => {
  if (input.userIds.length === 0) return;
  await trx
    .insertInto('notification')
    .values(input.userIds.map((userId) => ({ organisationId: input.organisationId, userId, kind: input.kind, message: input.message.slice(0, 500), link: input.link })))
    .execute();
};

/** Managers of an organisation, for notifications that need one (a new referral, a safeguarding flag). */
export const managersOf = async (trx: Trx, organisationId: string): Promise<string[]> =>
  (
    await trx
      .selectFrom('membership')
      .select(['userId'])
      .where('organisationId', '=', organisationId)
      .where('role', '=', 'service_manager')
      .where('active', '=', true)
      .execute()
  ).map((r) => r.userId);


/** A case can be allocated to an active case worker or service manager of the organisation; else a field error. */
export const assertCaseWorker = async (trx: Trx, organisationId: string, userId: string, path: string): Promise<void> => {
  const member = await trx
    .selectFrom('membership')
    .select(['role'])
    .where('organisationId', '=', organisationId)
    .where('userId', '=', userId)
    .where('active', '=', true)
    .executeTakeFirst();
  if (!member || (member.role !== 'case_worker' && member.role !== 'service_manager')) {
    throw badField(path, 'is not an active case worker of this organisation');
  }
};
