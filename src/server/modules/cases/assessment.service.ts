import { sql, type RawBuilder } from 'kysely';
import type { z } from 'zod';
import type {
  assessment as assessmentSchema,
  assessmentOutcomeBody,
  bookAssessmentBody,
  riskAssessmentBody,
  safeguardingFlag,
} from '../../../shared/contracts/assessment.ts';
import type { Db, Trx } from '../../db.ts';
import { inScope } from '../../platform/db/scope.ts';
import { scopeOf, type Actor } from '../../platform/http/actor.ts';
import { AppError, badField, notFound, staleVersion } from '../../platform/http/app-error.ts';
import { recordAudit } from '../audit/index.ts';
import { findProgramme } from '../programmes/index.ts';
import { facilitatorRuleProblem, flagsFor } from './assessment-rules.ts';
import { loadCase, managersOf, notify, orgOf } from './case-access.ts';

type Assessment = z.infer<typeof assessmentSchema>;
type Flag = z.infer<typeof safeguardingFlag>;

const moveStage = async (trx: Trx, actor: Actor, caseId: string, from: string, to: 'assessment_booked' | 'assessed', reason: string): Promise<void> => {
  await trx
    .updateTable('familyCase')
    .set({ stage: to, stageChangedAt: new Date(), version: sql<number>`version + 1` })
    .where('id', '=', caseId)
    .execute();
  await trx
    .insertInto('caseStageChange')
    .values({ organisationId: orgOf(actor), caseId, fromStage: from as 'triaged', toStage: to, reason, changedBy: actor.userId })
    .execute();
};

/** Open domestic-abuse flags on a family rule out couple work until a manager has decided. */
export const domesticAbuseOpen = async (trx: Trx, familyId: string): Promise<boolean> =>
  Boolean(
    await trx
      .selectFrom('safeguardingFlag')
      .select('id')
      .where('familyId', '=', familyId)
      .where('kind', '=', 'domestic_abuse')
      .where('status', '=', 'open')
      .executeTakeFirst(),
  );

export const offersCoupleWork = async (trx: Trx, organisationId: string, programmeId: string | null): Promise<boolean> => {
  if (!programmeId) return true;
  const row = await trx.selectFrom('programme').select('offersCoupleWork').where('organisationId', '=', organisationId).where('id', '=', programmeId).executeTakeFirst();
  return row?.offersCoupleWork ?? true;
};

export const bookAssessment = async (db: Db, actor: Actor, caseId: string, body: z.infer<typeof bookAssessmentBody>): Promise<Assessment> => {
  const assessmentId = await inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const c = await loadCase(trx, actor, caseId);
    if (c.version !== body.caseVersion) throw staleVersion('This case');
    if (c.stage !== 'triaged' && c.stage !== 'assessment_booked') {
      throw badField('body.scheduledAt', `an assessment is booked for a triaged case; this one is ${c.stage.replaceAll('_', ' ')}`);
    }
    const facilitators = await trx
      .selectFrom('membership')
      .innerJoin('appUser', 'appUser.id', 'membership.userId')
      .select(['membership.userId', 'membership.gender', 'appUser.name'])
      .where('membership.organisationId', '=', organisationId)
      .where('membership.userId', 'in', body.facilitatorIds)
      .where('membership.active', '=', true)
      .where('membership.role', 'in', ['facilitator', 'service_manager'])
      .execute();
    if (facilitators.length !== body.facilitatorIds.length) throw badField('body.facilitatorIds', 'every facilitator must be an active facilitator of this organisation');
    const programme = c.programmeId ? await findProgramme(trx, organisationId, c.programmeId) : undefined;
    const problem = facilitatorRuleProblem(programme?.facilitatorRule ?? 'any', facilitators.map((f) => f.gender));
    if (problem && !body.ruleOverrideReason) {
      throw badField('body.facilitatorIds', `${problem}; a service manager can book it anyway with a reason`);
    }
    if (problem && actor.role !== 'service_manager') {
      throw new AppError('forbidden', 'Only a service manager can override the facilitator rule', {
        fields: [{ path: 'body.ruleOverrideReason', message: 'only a service manager can override the facilitator rule' }],
      });
    }
    // Rebooking replaces the booking that has not happened yet.
    await trx.updateTable('assessment').set({ status: 'cancelled', version: sql<number>`version + 1` }).where('caseId', '=', caseId).where('status', '=', 'booked').execute();
    const created = await trx
      .insertInto('assessment')
      .values({
        organisationId,
        caseId,
        scheduledAt: new Date(body.scheduledAt),
        location: body.location || null,
        ruleOverrideReason: problem ? (body.ruleOverrideReason ?? null) : null,
        ruleOverrideBy: problem ? actor.userId : null,
        jointInterviewNotes: null,
        outcome: null,
        outcomeConditions: null,
        onwardReferral: null,
        bookedBy: actor.userId,
      })
      .returning(['id'])
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('assessmentFacilitator')
      .values(body.facilitatorIds.map((userId) => ({ organisationId, assessmentId: created.id, userId })))
      .execute();
    if (c.stage === 'triaged') await moveStage(trx, actor, caseId, c.stage, 'assessment_booked', 'Assessment booked');
    else await trx.updateTable('familyCase').set({ version: sql<number>`version + 1` }).where('id', '=', caseId).execute();
    await notify(trx, {
      organisationId,
      userIds: body.facilitatorIds.filter((id) => id !== actor.userId),
      kind: 'assessment_booked',
      message: `Assessment for ${c.reference} (${c.familyLabel}) booked for ${body.scheduledAt.slice(0, 16).replace('T', ' ')}`,
      link: `/cases/${caseId}`,
    });
    await recordAudit(trx, {
      organisationId,
      actorUserId: actor.userId,
      action: 'book:assessment',
      entityType: 'case',
      entityId: caseId,
      ip: actor.ip,
      detail: { assessmentId: created.id, facilitators: body.facilitatorIds, override: problem ? body.ruleOverrideReason : null },
    });
    return created.id;
  });
  return getAssessment(db, actor, assessmentId);
};

/** May this person read what a parent disclosed alone? Managers, the allocated case worker, the assessors. */
const needToKnow = async (trx: Trx, actor: Actor, caseWorkerId: string | null, assessmentId: string): Promise<boolean> => {
  if (actor.role === 'service_manager') return true;
  if (actor.role === 'case_worker' && caseWorkerId === actor.userId) return true;
  const assessor = await trx
    .selectFrom('assessmentFacilitator')
    .select('userId')
    .where('assessmentId', '=', assessmentId)
    .where('userId', '=', actor.userId)
    .executeTakeFirst();
  return Boolean(assessor);
};

const loadAssessmentRow = async (trx: Trx, actor: Actor, assessmentId: string) => {
  const row = await trx.selectFrom('assessment').selectAll().where('organisationId', '=', orgOf(actor)).where('id', '=', assessmentId).executeTakeFirst();
  if (!row) throw notFound('Assessment');
  // Visibility follows the case: no case, no assessment.
  const c = await loadCase(trx, actor, row.caseId).catch((error: unknown) => {
    if (error instanceof AppError && error.code === 'not_found') throw notFound('Assessment');
    throw error;
  });
  return { row, c };
};

const presentAssessment = async (trx: Trx, actor: Actor, assessmentId: string): Promise<Assessment> => {
  const { row, c } = await loadAssessmentRow(trx, actor, assessmentId);
  const facilitators = await trx
    .selectFrom('assessmentFacilitator')
    .innerJoin('appUser', 'appUser.id', 'assessmentFacilitator.userId')
    .leftJoin('membership', (join) =>
      join.onRef('membership.userId', '=', 'assessmentFacilitator.userId').onRef('membership.organisationId', '=', 'assessmentFacilitator.organisationId'),
    )
    .select(['appUser.id', 'appUser.name', 'membership.gender'])
    .where('assessmentFacilitator.assessmentId', '=', assessmentId)
    .orderBy('appUser.name')
    .execute();
  const risks = await trx
    .selectFrom('riskAssessment')
    .innerJoin('person', 'person.id', 'riskAssessment.personId')
    .selectAll('riskAssessment')
    .select(sql<string>`person.given_name || ' ' || person.family_name`.as('personName'))
    .where('riskAssessment.assessmentId', '=', assessmentId)
    .orderBy('person.givenName')
    .execute();
  const mayKnow = await needToKnow(trx, actor, c.caseWorkerId, assessmentId);
  const disclosures = mayKnow
    ? await trx
        .selectFrom('privateDisclosure')
        .select(['personId', 'body', 'isSafeguardingConcern', 'recordedAt'])
        .where('caseId', '=', row.caseId)
        .orderBy('recordedAt')
        .execute()
    : [];
  return {
    id: row.id,
    caseId: row.caseId,
    scheduledAt: row.scheduledAt.toISOString(),
    location: row.location,
    status: row.status,
    facilitators: facilitators.map((f) => ({ id: f.id, name: f.name, gender: f.gender ?? null })),
    ruleOverrideReason: row.ruleOverrideReason,
    jointInterviewNotes: row.jointInterviewNotes,
    outcome: row.outcome,
    outcomeConditions: row.outcomeConditions,
    onwardReferral: row.onwardReferral,
    version: row.version,
    riskAssessments: risks.map((r) => ({
      id: r.id,
      personId: r.personId,
      personName: r.personName,
      riskToChild: r.riskToChild,
      riskToChildNotes: r.riskToChildNotes,
      domesticAbuse: r.domesticAbuse,
      domesticAbuseNotes: r.domesticAbuseNotes,
      domesticAbuseIndicated: r.domesticAbuseIndicated,
      mentalHealth: r.mentalHealth,
      mentalHealthNotes: r.mentalHealthNotes,
      substanceUse: r.substanceUse,
      substanceUseNotes: r.substanceUseNotes,
      recordedAt: r.recordedAt.toISOString(),
      version: r.version,
      ...(mayKnow
        ? {
            privateDisclosures: disclosures
              .filter((d) => d.personId === r.personId)
              .map((d) => ({ body: d.body, isSafeguardingConcern: d.isSafeguardingConcern, recordedAt: d.recordedAt.toISOString() })),
          }
        : {}),
    })),
  };
};

export const getAssessment = async (db: Db, actor: Actor, assessmentId: string): Promise<Assessment> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const result = await presentAssessment(trx, actor, assessmentId);
    await recordAudit(trx, {
      organisationId: orgOf(actor),
      actorUserId: actor.userId,
      action: 'view:assessment',
      entityType: 'assessment',
      entityId: assessmentId,
      ip: actor.ip,
      detail: { caseId: result.caseId, privateDisclosuresShown: result.riskAssessments.some((r) => r.privateDisclosures !== undefined) },
    });
    return result;
  });

const requireBooked = (status: string): void => {
  if (status === 'cancelled') throw new AppError('conflict', 'This assessment was cancelled; record it against the current booking');
  // Once the outcome is recorded the assessment is the record it was decided on; later events go in case notes.
  if (status === 'held') throw new AppError('conflict', 'This assessment is complete; record anything new as a case note');
};

export const recordJointInterview = async (db: Db, actor: Actor, assessmentId: string, body: { notes: string; version: number }): Promise<Assessment> => {
  await inScope(db, scopeOf(actor), async (trx) => {
    const { row } = await loadAssessmentRow(trx, actor, assessmentId);
    requireBooked(row.status);
    if (row.version !== body.version) throw staleVersion('This assessment');
    await trx
      .updateTable('assessment')
      .set({ jointInterviewNotes: body.notes, version: sql<number>`version + 1` })
      .where('id', '=', assessmentId)
      .where('version', '=', body.version)
      .execute();
    await recordAudit(trx, { organisationId: orgOf(actor), actorUserId: actor.userId, action: 'record:assessment', entityType: 'assessment', entityId: assessmentId, ip: actor.ip, detail: { part: 'joint_interview' } });
  });
  return getAssessment(db, actor, assessmentId);
};

/**
 * One parent's separate risk assessment. A high rating, an indication of domestic abuse or a disclosure marked as
 * a safeguarding concern raises a flag on the family and tells the service managers, in the same transaction.
 */
export const recordRiskAssessment = async (
  db: Db,
  actor: Actor,
  assessmentId: string,
  personId: string,
  body: z.infer<typeof riskAssessmentBody>,
): Promise<Assessment> => {
  await inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const { row, c } = await loadAssessmentRow(trx, actor, assessmentId);
    requireBooked(row.status);
    const person = await trx
      .selectFrom('familyMember')
      .innerJoin('person', 'person.id', 'familyMember.personId')
      .select(['person.id', 'person.givenName', 'person.familyName', 'person.isChild'])
      .where('familyMember.familyId', '=', c.familyId)
      .where('familyMember.personId', '=', personId)
      .executeTakeFirst();
    if (!person || person.isChild) throw notFound('Parent in this family');
    const existing = await trx.selectFrom('riskAssessment').select(['id', 'version']).where('assessmentId', '=', assessmentId).where('personId', '=', personId).executeTakeFirst();
    const values = {
      riskToChild: body.riskToChild,
      riskToChildNotes: body.riskToChildNotes,
      domesticAbuse: body.domesticAbuse,
      domesticAbuseNotes: body.domesticAbuseNotes,
      domesticAbuseIndicated: body.domesticAbuseIndicated,
      mentalHealth: body.mentalHealth,
      mentalHealthNotes: body.mentalHealthNotes,
      substanceUse: body.substanceUse,
      substanceUseNotes: body.substanceUseNotes,
      recordedBy: actor.userId,
    };
    let riskId: string;
    if (existing) {
      if (existing.version !== body.version) throw staleVersion("This parent's risk assessment");
      await trx
        .updateTable('riskAssessment')
        .set({ ...values, recordedAt: new Date(), version: sql<number>`version + 1` })
        .where('id', '=', existing.id)
        .where('version', '=', body.version)
        .execute();
      riskId = existing.id;
    } else {
      if (body.version !== 0) throw staleVersion("This parent's risk assessment");
      riskId = (await trx.insertInto('riskAssessment').values({ organisationId, assessmentId, personId, ...values }).returning(['id']).executeTakeFirstOrThrow()).id;
    }
    if (body.privateDisclosure) {
      // Disclosures are added, never rewritten: what was said stays as it was recorded.
      await trx
        .insertInto('privateDisclosure')
        .values({ organisationId, caseId: c.id, personId, riskAssessmentId: riskId, body: body.privateDisclosure, isSafeguardingConcern: body.disclosureIsSafeguardingConcern, recordedBy: actor.userId })
        .execute();
    }
    const personName = `${person.givenName} ${person.familyName}`;
    const flags = flagsFor({ ...values, disclosureIsSafeguardingConcern: body.disclosureIsSafeguardingConcern }, personName);
    for (const flag of flags) {
      const open = await trx
        .selectFrom('safeguardingFlag')
        .select('id')
        .where('familyId', '=', c.familyId)
        .where('kind', '=', flag.kind)
        .where('status', '=', 'open')
        .where('reason', '=', flag.reason)
        .executeTakeFirst();
      if (open) continue;
      const created = await trx
        .insertInto('safeguardingFlag')
        .values({ organisationId, familyId: c.familyId, caseId: c.id, kind: flag.kind, reason: flag.reason, raisedBy: actor.userId, decision: null, resolvedBy: null, resolvedAt: null })
        .returning(['id'])
        .executeTakeFirstOrThrow();
      await notify(trx, {
        organisationId,
        userIds: await managersOf(trx, organisationId),
        kind: 'safeguarding_flag',
        message: `Safeguarding: ${flag.reason} (case ${c.reference}). A decision is needed.`,
        link: `/cases/${c.id}`,
      });
      await recordAudit(trx, { organisationId, actorUserId: actor.userId, action: 'raise:safeguarding_flag', entityType: 'safeguarding_flag', entityId: created.id, ip: actor.ip, detail: { caseId: c.id, kind: flag.kind } });
    }
    await recordAudit(trx, {
      organisationId,
      actorUserId: actor.userId,
      action: 'record:assessment',
      entityType: 'assessment',
      entityId: assessmentId,
      ip: actor.ip,
      detail: { part: 'risk_assessment', personId, disclosureAdded: Boolean(body.privateDisclosure), flags: flags.map((f) => f.kind) },
    });
  });
  return getAssessment(db, actor, assessmentId);
};

export const recordOutcome = async (db: Db, actor: Actor, assessmentId: string, body: z.infer<typeof assessmentOutcomeBody>): Promise<Assessment> => {
  await inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const { row, c } = await loadAssessmentRow(trx, actor, assessmentId);
    requireBooked(row.status);
    if (row.version !== body.version) throw staleVersion('This assessment');
    if (body.outcome !== 'not_suitable' && (await domesticAbuseOpen(trx, c.familyId)) && (await offersCoupleWork(trx, organisationId, c.programmeId))) {
      throw badField('body.outcome', 'couple work cannot be offered while domestic abuse is indicated; a service manager must decide the safeguarding flag first');
    }
    const parents = await trx
      .selectFrom('familyMember')
      .innerJoin('person', 'person.id', 'familyMember.personId')
      .select('person.id')
      .where('familyMember.familyId', '=', c.familyId)
      .where('person.isChild', '=', false)
      .execute();
    const assessed = await trx.selectFrom('riskAssessment').select('personId').where('assessmentId', '=', assessmentId).execute();
    const missing = parents.filter((p) => !assessed.some((a) => a.personId === p.id));
    if (missing.length > 0) throw badField('body.outcome', 'record a separate risk assessment for each parent first');
    await trx
      .updateTable('assessment')
      .set({ status: 'held', outcome: body.outcome, outcomeConditions: body.conditions || null, onwardReferral: body.onwardReferral || null, version: sql<number>`version + 1` })
      .where('id', '=', assessmentId)
      .where('version', '=', body.version)
      .execute();
    if (c.stage === 'assessment_booked') await moveStage(trx, actor, c.id, c.stage, 'assessed', `Assessment outcome: ${body.outcome.replaceAll('_', ' ')}`);
    await recordAudit(trx, { organisationId, actorUserId: actor.userId, action: 'record:assessment', entityType: 'assessment', entityId: assessmentId, ip: actor.ip, detail: { part: 'outcome', outcome: body.outcome } });
  });
  return getAssessment(db, actor, assessmentId);
};

const flagQuery = (trx: Trx) =>
  trx
    .selectFrom('safeguardingFlag')
    .leftJoin('familyCase', 'familyCase.id', 'safeguardingFlag.caseId')
    .leftJoin('appUser as raiser', 'raiser.id', 'safeguardingFlag.raisedBy')
    .leftJoin('appUser as resolver', 'resolver.id', 'safeguardingFlag.resolvedBy')
    .select([
      'safeguardingFlag.id',
      'safeguardingFlag.familyId',
      'safeguardingFlag.caseId',
      'familyCase.reference as caseReference',
      'safeguardingFlag.kind',
      'safeguardingFlag.reason',
      'safeguardingFlag.raisedAt',
      'raiser.name as raisedByName',
      'safeguardingFlag.status',
      'safeguardingFlag.decision',
      'resolver.name as resolvedByName',
      'safeguardingFlag.resolvedAt',
      'safeguardingFlag.version',
    ]);
type FlagRow = Awaited<ReturnType<ReturnType<typeof flagQuery>['executeTakeFirstOrThrow']>>;
const presentFlag = (r: FlagRow): Flag => ({ ...r, raisedAt: r.raisedAt.toISOString(), resolvedAt: r.resolvedAt?.toISOString() ?? null });

/**
 * The flags of a family, newest first, as one json array expression to select beside the case itself (the
 * case page reads everything in one statement); `familyId` is the column holding the family. Read back with
 * flagsFromJson.
 */
export const flagsJsonOf = (familyId: RawBuilder<unknown>): RawBuilder<unknown[]> => sql<unknown[]>`(
  SELECT coalesce(json_agg(json_build_object(
    'id', f.id, 'familyId', f.family_id, 'caseId', f.case_id, 'caseReference', c.reference, 'kind', f.kind, 'reason', f.reason,
    'raisedAt', f.raised_at, 'raisedByName', raiser.name, 'status', f.status, 'decision', f.decision,
    'resolvedByName', resolver.name, 'resolvedAt', f.resolved_at, 'version', f.version) ORDER BY f.raised_at DESC), '[]'::json)
  FROM safeguarding_flag f
  LEFT JOIN family_case c ON c.id = f.case_id
  LEFT JOIN app_user raiser ON raiser.id = f.raised_by
  LEFT JOIN app_user resolver ON resolver.id = f.resolved_by
  WHERE f.family_id = ${familyId})`;

export const flagsFromJson = (rows: unknown[]): Flag[] =>
  (rows as (Omit<Flag, 'raisedAt' | 'resolvedAt'> & { raisedAt: string; resolvedAt: string | null })[]).map((r) => ({
    ...r,
    raisedAt: new Date(r.raisedAt).toISOString(),
    resolvedAt: r.resolvedAt === null ? null : new Date(r.resolvedAt).toISOString(),
  }));

/** Assessments of a case by id, presented (in the caller's transaction; the caller audits). */
export const presentAssessments = async (trx: Trx, actor: Actor, ids: string[]): Promise<Assessment[]> => {
  const result: Assessment[] = [];
  for (const id of ids) result.push(await presentAssessment(trx, actor, id));
  return result;
};

export const listFlags = async (db: Db, actor: Actor, status: 'open' | 'resolved' | undefined): Promise<Flag[]> =>
  inScope(db, scopeOf(actor), async (trx) => {
    let q = flagQuery(trx).where('safeguardingFlag.organisationId', '=', orgOf(actor));
    if (status) q = q.where('safeguardingFlag.status', '=', status);
    // Case workers see the flags on cases they may see; managers see all.
    if (actor.role !== 'service_manager') {
      q = q.where((eb) => eb.or([eb('familyCase.caseWorkerId', '=', actor.userId), eb('familyCase.caseWorkerId', 'is', null)]));
    }
    const rows = await q.orderBy('safeguardingFlag.raisedAt', 'desc').limit(500).execute();
    await recordAudit(trx, { organisationId: orgOf(actor), actorUserId: actor.userId, action: 'list:safeguarding_flag', entityType: 'safeguarding_flag', entityId: null, ip: actor.ip, detail: { count: rows.length } });
    return rows.map(presentFlag);
  });

export const resolveFlag = async (db: Db, actor: Actor, flagId: string, body: { decision: string; version: number }): Promise<Flag> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const flag = await trx.selectFrom('safeguardingFlag').select(['id', 'status', 'version', 'caseId']).where('organisationId', '=', organisationId).where('id', '=', flagId).executeTakeFirst();
    if (!flag) throw notFound('Safeguarding flag');
    if (flag.status === 'resolved') throw new AppError('conflict', 'This flag has already been resolved');
    if (flag.version !== body.version) throw staleVersion('This safeguarding flag');
    await trx
      .updateTable('safeguardingFlag')
      .set({ status: 'resolved', decision: body.decision, resolvedBy: actor.userId, resolvedAt: new Date(), version: sql<number>`version + 1` })
      .where('id', '=', flagId)
      .where('version', '=', body.version)
      .execute();
    await recordAudit(trx, { organisationId, actorUserId: actor.userId, action: 'resolve:safeguarding_flag', entityType: 'safeguarding_flag', entityId: flagId, ip: actor.ip, detail: { caseId: flag.caseId } });
    return presentFlag(await flagQuery(trx).where('safeguardingFlag.id', '=', flagId).executeTakeFirstOrThrow());
  });
