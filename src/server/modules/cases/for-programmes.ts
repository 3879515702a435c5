import { sql } from 'kysely';
import type { CaseStage } from '../../../shared/contracts/journey.ts';
import type { Trx } from '../../db.ts';
import type { Actor } from '../../platform/http/actor.ts';
import { badField, staleVersion } from '../../platform/http/app-error.ts';
import { recordAudit } from '../audit/index.ts';
import { domesticAbuseOpen } from './assessment.service.ts';
import { loadCase, managersOf, notify, orgOf } from './case-access.ts';
import { canMove } from './stages.ts';

/**
 * What the programmes module needs of cases (placing a family in a group, the attendance register, follow-ups),
 * in the caller's transaction: the programmes module never reads these tables itself.
 */

export type CaseForPlacement = {
  id: string;
  reference: string;
  familyId: string;
  familyLabel: string;
  programmeId: string | null;
  stage: CaseStage;
  caseWorkerId: string | null;
  version: number;
};

/** A case the actor may see (404 otherwise). */
export const caseForPlacement = async (trx: Trx, actor: Actor, caseId: string): Promise<CaseForPlacement> => {
  const c = await loadCase(trx, actor, caseId);
  return { id: c.id, reference: c.reference, familyId: c.familyId, familyLabel: c.familyLabel, programmeId: c.programmeId, stage: c.stage, caseWorkerId: c.caseWorkerId, version: c.version };
};

/** Case reference, family label and case worker of cases, whoever is asking (the caller has already scoped them). */
export const caseLabels = async (
  trx: Trx,
  organisationId: string,
  caseIds: readonly string[],
): Promise<Map<string, { reference: string; familyLabel: string; caseWorkerId: string | null }>> => {
  if (caseIds.length === 0) return new Map();
  const rows = await trx
    .selectFrom('familyCase')
    .innerJoin('family', 'family.id', 'familyCase.familyId')
    .select(['familyCase.id', 'familyCase.reference', 'family.label as familyLabel', 'familyCase.caseWorkerId'])
    .where('familyCase.organisationId', '=', organisationId)
    .where('familyCase.id', 'in', [...caseIds])
    .execute();
  return new Map(rows.map((r) => [r.id, { reference: r.reference, familyLabel: r.familyLabel, caseWorkerId: r.caseWorkerId }]));
};

export type FamilyPerson = {
  familyId: string;
  personId: string;
  name: string;
  gender: 'female' | 'male' | 'other' | 'not_stated' | null;
  isChild: boolean;
  dateOfBirth: string | null;
};

/** The people of families (adults first), for placing a couple and for the crèche register. */
export const peopleOfFamilies = async (trx: Trx, organisationId: string, familyIds: readonly string[]): Promise<FamilyPerson[]> => {
  if (familyIds.length === 0) return [];
  const rows = await trx
    .selectFrom('familyMember')
    .innerJoin('person', 'person.id', 'familyMember.personId')
    .select(['familyMember.familyId', 'person.id as personId', 'person.givenName', 'person.familyName', 'person.gender', 'person.isChild', 'person.dateOfBirth'])
    .where('familyMember.organisationId', '=', organisationId)
    .where('familyMember.familyId', 'in', [...familyIds])
    .orderBy('person.isChild')
    .orderBy('person.givenName')
    .execute();
  return rows.map((r) => ({ familyId: r.familyId, personId: r.personId, name: `${r.givenName} ${r.familyName}`, gender: r.gender, isChild: r.isChild, dateOfBirth: r.dateOfBirth }));
};

/** Couple work is not offered while a domestic-abuse flag on the family is open. */
export const assertCoupleWorkAllowed = async (trx: Trx, familyId: string, field: string): Promise<void> => {
  if (await domesticAbuseOpen(trx, familyId)) {
    throw badField(field, 'couple work cannot be offered while domestic abuse is indicated; a service manager must decide the safeguarding flag first');
  }
};

/**
 * Moves a case on because of something that happened in a group (placed → in service, dropped out → withdrawn),
 * with the same rules as a case worker's move: allowed transitions, and no couple work (`coupleWork`: the group's
 * programme offers it) while domestic abuse is indicated. `field` names the request field to blame.
 */
export const moveCaseForProgramme = async (
  trx: Trx,
  actor: Actor,
  c: CaseForPlacement,
  input: { to: CaseStage; reason: string; expectedVersion?: number; field: string; coupleWork: boolean },
): Promise<void> => {
  if (input.expectedVersion !== undefined && input.expectedVersion !== c.version) throw staleVersion('This case');
  if (!canMove(c.stage, input.to)) throw badField(input.field, `the case cannot move from ${c.stage.replaceAll('_', ' ')} to ${input.to.replaceAll('_', ' ')}`);
  if (input.to === 'in_service' && input.coupleWork) await assertCoupleWorkAllowed(trx, c.familyId, input.field);
  const updated = await trx
    .updateTable('familyCase')
    .set({ stage: input.to, stageChangedAt: new Date(), version: sql<number>`version + 1` })
    .where('id', '=', c.id)
    .where('version', '=', c.version)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw staleVersion('This case');
  await trx
    .insertInto('caseStageChange')
    .values({ organisationId: orgOf(actor), caseId: c.id, fromStage: c.stage, toStage: input.to, reason: input.reason, changedBy: actor.userId })
    .execute();
  await recordAudit(trx, {
    organisationId: orgOf(actor),
    actorUserId: actor.userId,
    action: 'update:case',
    entityType: 'case',
    entityId: c.id,
    ip: actor.ip,
    detail: { from: c.stage, to: input.to, via: 'programmes' },
  });
};

/**
 * A safeguarding concern raised from a group session: a flag of kind session_concern on the family, with the
 * case worker and the service managers told, as any other flag. The caller has checked that the family is in the
 * session's group; the notification names the session, not the concern.
 */
export const raiseSessionConcern = async (
  trx: Trx,
  input: { organisationId: string; caseId: string; reason: string; sessionLabel: string; raisedBy: string; ip: string | null },
): Promise<{ flagId: string }> => {
  const c = await trx
    .selectFrom('familyCase')
    .select(['id', 'reference', 'familyId', 'caseWorkerId'])
    .where('organisationId', '=', input.organisationId)
    .where('id', '=', input.caseId)
    .executeTakeFirstOrThrow();
  const created = await trx
    .insertInto('safeguardingFlag')
    .values({ organisationId: input.organisationId, familyId: c.familyId, caseId: c.id, kind: 'session_concern', reason: input.reason, raisedBy: input.raisedBy })
    .returning('id')
    .executeTakeFirstOrThrow();
  const recipients = [...new Set([...(c.caseWorkerId ? [c.caseWorkerId] : []), ...(await managersOf(trx, input.organisationId))])].filter((id) => id !== input.raisedBy);
  await notify(trx, {
    organisationId: input.organisationId,
    userIds: recipients,
    kind: 'safeguarding_flag',
    message: `Safeguarding concern raised in ${input.sessionLabel} (case ${c.reference}). A decision is needed.`,
    link: `/cases/${c.id}`,
  });
  await recordAudit(trx, {
    organisationId: input.organisationId,
    actorUserId: input.raisedBy,
    action: 'raise:safeguarding_flag',
    entityType: 'safeguarding_flag',
    entityId: created.id,
    ip: input.ip,
    detail: { caseId: c.id, kind: 'session_concern' },
  });
  return { flagId: created.id };
};

/** Status of safeguarding flags, for the session record that raised them. */
export const flagStatuses = async (trx: Trx, organisationId: string, flagIds: readonly string[]): Promise<Map<string, { status: 'open' | 'resolved'; reason: string }>> => {
  if (flagIds.length === 0) return new Map();
  const rows = await trx.selectFrom('safeguardingFlag').select(['id', 'status', 'reason']).where('organisationId', '=', organisationId).where('id', 'in', [...flagIds]).execute();
  return new Map(rows.map((r) => [r.id, { status: r.status, reason: r.reason }]));
};
