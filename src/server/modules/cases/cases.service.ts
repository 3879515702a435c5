import { sql } from 'kysely';
import type { z } from 'zod';
import type { CaseStage, ReferralSubmission, caseDetail, caseSummary, myWork } from '../../../shared/contracts/journey.ts';
import type { Db, Trx } from '../../db.ts';
import { inScope } from '../../platform/db/scope.ts';
import { scopeOf, type Actor } from '../../platform/http/actor.ts';
import { AppError, badField, notFound, staleVersion } from '../../platform/http/app-error.ts';
import { recordAudit } from '../audit/index.ts';
import { newReference } from '../../platform/reference.ts';
import { domesticAbuseOpen, flagsFromJson, flagsJsonOf, offersCoupleWork, presentAssessments } from './assessment.service.ts';
import { assertCaseWorker, loadCase, notify, orgOf, presentSummary, summaryQuery, visibleTo } from './case-access.ts';
import { allowedNextStages, canMove, needsReason } from './stages.ts';
import { deriveTasks } from './tasks.ts';
import { questionnaireTasksFor } from '../measures/index.ts';
import { questionnaireAlertsFor, questionnaireCasesOf } from './for-measures.ts';

type CaseSummary = z.infer<typeof caseSummary>;
type CaseDetail = z.infer<typeof caseDetail>;

export const listCases = async (db: Db, actor: Actor, query: { stage?: CaseStage | undefined; caseWorker?: string | undefined }): Promise<CaseSummary[]> =>
  inScope(db, scopeOf(actor), async (trx) => {
    let q = visibleTo(summaryQuery(trx), actor);
    if (query.stage) q = q.where('familyCase.stage', '=', query.stage);
    if (query.caseWorker === 'me') q = q.where('familyCase.caseWorkerId', '=', actor.userId);
    else if (query.caseWorker === 'unallocated') q = q.where('familyCase.caseWorkerId', 'is', null);
    else if (query.caseWorker) q = q.where('familyCase.caseWorkerId', '=', query.caseWorker);
    const rows = await q.orderBy('familyCase.stageChangedAt', 'desc').limit(500).execute();
    await recordAudit(trx, {
      organisationId: orgOf(actor),
      actorUserId: actor.userId,
      action: 'list:case',
      entityType: 'case',
      entityId: null,
      ip: actor.ip,
      detail: { count: rows.length, filters: { ...query } },
    });
    return rows.map(presentSummary);
  });

type MemberJson = CaseDetail['members'][number];
type HistoryJson = Omit<CaseDetail['history'][number], 'changedAt'> & { changedAt: string };

/*
 * The case page is read in one statement: the case (through visibleTo, so a case the person may not see is not
 * found) with its family's members, its history, its flags and its assessments' ids beside it as json, under
 * row-level security like any other query. It was seven statements, one round trip each, on every case read.
 */
const caseWithParts = (trx: Trx, actor: Actor, caseId: string) =>
  visibleTo(summaryQuery(trx), actor)
    .where('familyCase.id', '=', caseId)
    .select([
      'familyCase.referralId',
      sql<MemberJson[]>`(
        SELECT coalesce(json_agg(json_build_object(
          'personId', p.id, 'givenName', p.given_name, 'familyName', p.family_name, 'dateOfBirth', p.date_of_birth,
          'relationship', m.relationship, 'isChild', p.is_child, 'email', p.email, 'phone', p.phone,
          'contactPreference', p.contact_preference, 'safeContactNotes', p.safe_contact_notes) ORDER BY p.is_child, p.date_of_birth), '[]'::json)
        FROM family_member m JOIN person p ON p.id = m.person_id
        WHERE m.family_id = ${sql.ref('familyCase.familyId')})`.as('members'),
      sql<HistoryJson[]>`(
        SELECT coalesce(json_agg(json_build_object(
          'fromStage', h.from_stage, 'toStage', h.to_stage, 'reason', h.reason, 'changedByName', u.name, 'changedAt', h.changed_at) ORDER BY h.id), '[]'::json)
        FROM case_stage_change h LEFT JOIN app_user u ON u.id = h.changed_by
        WHERE h.case_id = ${sql.ref('familyCase.id')})`.as('history'),
      sql<string[]>`(
        SELECT coalesce(json_agg(a.id ORDER BY a.scheduled_at DESC, a.created_at DESC, a.id), '[]'::json)
        FROM assessment a WHERE a.case_id = ${sql.ref('familyCase.id')})`.as('assessmentIds'),
      flagsJsonOf(sql.ref('familyCase.familyId')).as('flags'),
    ]);

export const getCase = async (db: Db, actor: Actor, caseId: string): Promise<CaseDetail> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const found = await caseWithParts(trx, actor, caseId).executeTakeFirst();
    if (!found) throw notFound('Case');
    const { members, history, referralId, assessmentIds, flags, ...row } = found;
    await recordAudit(trx, {
      organisationId: orgOf(actor),
      actorUserId: actor.userId,
      action: 'view:case',
      entityType: 'case',
      entityId: caseId,
      ip: actor.ip,
      detail: { familyId: row.familyId, people: members.map((m) => m.personId) },
    });
    return {
      ...presentSummary(row),
      members,
      history: history.map((h) => ({ ...h, changedAt: new Date(h.changedAt).toISOString() })),
      allowedNextStages: [...allowedNextStages(row.stage)],
      referralId,
      assessments: await presentAssessments(trx, actor, assessmentIds),
      safeguardingFlags: flagsFromJson(flags),
    };
  });

export const changeStage = async (db: Db, actor: Actor, caseId: string, input: { to: CaseStage; reason?: string | undefined; version: number }): Promise<CaseDetail> => {
  await inScope(db, scopeOf(actor), async (trx) => {
    const row = await loadCase(trx, actor, caseId);
    if (row.version !== input.version) throw staleVersion('This case');
    if (!canMove(row.stage, input.to)) {
      throw badField('body.to', `cannot move from ${row.stage.replaceAll('_', ' ')} to ${input.to.replaceAll('_', ' ')}`);
    }
    if (needsReason(input.to) && !input.reason) throw badField('body.reason', `give a reason for moving the case to ${input.to}`);
    if (
      (input.to === 'awaiting_group' || input.to === 'in_service') &&
      (await domesticAbuseOpen(trx, row.familyId)) &&
      (await offersCoupleWork(trx, orgOf(actor), row.programmeId))
    ) {
      throw badField('body.to', 'couple work cannot be offered while domestic abuse is indicated; a service manager must decide the safeguarding flag first');
    }
    const updated = await trx
      .updateTable('familyCase')
      .set({
        stage: input.to,
        stageChangedAt: new Date(),
        version: sql<number>`version + 1`,
        ...(input.to === 'closed' ? { closedAt: new Date() } : {}),
      })
      .where('id', '=', caseId)
      .where('version', '=', input.version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw staleVersion('This case');
    await trx
      .insertInto('caseStageChange')
      .values({ organisationId: orgOf(actor), caseId, fromStage: row.stage, toStage: input.to, reason: input.reason ?? '', changedBy: actor.userId })
      .execute();
    await recordAudit(trx, {
      organisationId: orgOf(actor),
      actorUserId: actor.userId,
      action: 'update:case',
      entityType: 'case',
      entityId: caseId,
      ip: actor.ip,
      detail: { from: row.stage, to: input.to },
    });
  });
  return getCase(db, actor, caseId);
};

export const allocateCase = async (db: Db, actor: Actor, caseId: string, input: { caseWorkerId: string | null; version: number }): Promise<CaseDetail> => {
  await inScope(db, scopeOf(actor), async (trx) => {
    const row = await loadCase(trx, actor, caseId);
    if (row.version !== input.version) throw staleVersion('This case');
    if (input.caseWorkerId) await assertCaseWorker(trx, orgOf(actor), input.caseWorkerId, 'body.caseWorkerId');
    const updated = await trx
      .updateTable('familyCase')
      .set({ caseWorkerId: input.caseWorkerId, version: sql<number>`version + 1` })
      .where('id', '=', caseId)
      .where('version', '=', input.version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw staleVersion('This case');
    if (input.caseWorkerId && input.caseWorkerId !== actor.userId) {
      await notify(trx, {
        organisationId: orgOf(actor),
        userIds: [input.caseWorkerId],
        kind: 'case_allocated',
        message: `You have been allocated case ${row.reference} (${row.familyLabel})`,
        link: `/cases/${caseId}`,
      });
    }
    await recordAudit(trx, {
      organisationId: orgOf(actor),
      actorUserId: actor.userId,
      action: 'allocate:case',
      entityType: 'case',
      entityId: caseId,
      ip: actor.ip,
      detail: { from: row.caseWorkerId, to: input.caseWorkerId },
    });
  });
  return getCase(db, actor, caseId);
};

export type PossibleDuplicate = {
  parentIndex: number;
  personId: string;
  name: string;
  dateOfBirth: string | null;
  matchedOn: ('name_and_date_of_birth' | 'email' | 'phone')[];
};

/** People already known who may be the adults of a referral: same name and date of birth, or same contact details. */
export const findPossibleDuplicates = async (trx: Trx, organisationId: string, submission: ReferralSubmission): Promise<PossibleDuplicate[]> => {
  const found: PossibleDuplicate[] = [];
  for (const [parentIndex, parent] of submission.parents.entries()) {
    const matches = await trx
      .selectFrom('person')
      .select(['id', 'givenName', 'familyName', 'dateOfBirth', 'email', 'phone'])
      .where('organisationId', '=', organisationId)
      .where('isChild', '=', false)
      .where((eb) => {
        const alternatives = [];
        if (parent.dateOfBirth) {
          alternatives.push(
            eb.and([
              eb(sql`lower(family_name)`, '=', parent.familyName.toLowerCase()),
              eb(sql`lower(given_name)`, '=', parent.givenName.toLowerCase()),
              eb('dateOfBirth', '=', parent.dateOfBirth),
            ]),
          );
        }
        if (parent.email) alternatives.push(eb(sql`lower(email)`, '=', parent.email.toLowerCase()));
        if (parent.phone) alternatives.push(eb('phone', '=', parent.phone));
        return alternatives.length > 0 ? eb.or(alternatives) : sql<boolean>`false`;
      })
      .limit(10)
      .execute();
    for (const m of matches) {
      const matchedOn: PossibleDuplicate['matchedOn'] = [];
      if (
        parent.dateOfBirth &&
        m.dateOfBirth === parent.dateOfBirth &&
        m.familyName.toLowerCase() === parent.familyName.toLowerCase() &&
        m.givenName.toLowerCase() === parent.givenName.toLowerCase()
      ) {
        matchedOn.push('name_and_date_of_birth');
      }
      if (parent.email && m.email?.toLowerCase() === parent.email.toLowerCase()) matchedOn.push('email');
      if (parent.phone && m.phone === parent.phone) matchedOn.push('phone');
      found.push({ parentIndex, personId: m.id, name: `${m.givenName} ${m.familyName}`, dateOfBirth: m.dateOfBirth, matchedOn });
    }
  }
  return found;
};

/**
 * Turns an accepted referral into a family, its people and a case (stage "triaged"), in the caller's transaction.
 * Adults the case worker confirmed as already known are linked, not created again.
 */
export const openCaseFromReferral = async (
  trx: Trx,
  input: {
    organisationId: string;
    actorUserId: string;
    referralId: string;
    submission: ReferralSubmission;
    programmeId: string | null;
    caseWorkerId: string | null;
    samePeople: { parentIndex: number; personId: string }[];
  },
): Promise<{ caseId: string; reference: string }> => {
  const { organisationId, submission } = input;
  const surnames = [...new Set(submission.parents.map((p) => p.familyName))];
  const family = await trx
    .insertInto('family')
    .values({ organisationId, label: `${surnames.join(' / ')} family` })
    .returning(['id'])
    .executeTakeFirstOrThrow();
  const contact = submission.contact;
  const safeNotes = [contact.safeTimes ? `Safe times: ${contact.safeTimes}` : '', contact.safeToLeaveMessage ? '' : 'Do not leave messages.']
    .filter(Boolean)
    .join(' ');
  for (const [index, parent] of submission.parents.entries()) {
    const same = input.samePeople.find((s) => s.parentIndex === index);
    let personId = same?.personId;
    if (personId) {
      const exists = await trx.selectFrom('person').select(['id']).where('organisationId', '=', organisationId).where('id', '=', personId).executeTakeFirst();
      if (!exists) throw badField(`body.samePeople.${index}.personId`, 'is not a person known to this organisation');
    } else {
      personId = (
        await trx
          .insertInto('person')
          .values({
            organisationId,
            givenName: parent.givenName,
            familyName: parent.familyName,
            dateOfBirth: parent.dateOfBirth ?? null,
            gender: parent.gender ?? null,
            email: parent.email || null,
            phone: parent.phone || null,
            contactPreference: contact.preference,
            safeContactNotes: safeNotes || null,
            isChild: false,
          })
          .returning(['id'])
          .executeTakeFirstOrThrow()
      ).id;
    }
    await trx.insertInto('familyMember').values({ organisationId, familyId: family.id, personId, relationship: parent.relationship }).execute();
  }
  if (submission.children.length > 0) {
    const children = await trx
      .insertInto('person')
      .values(
        submission.children.map((c) => ({
          organisationId,
          givenName: c.givenName,
          familyName: c.familyName,
          dateOfBirth: c.dateOfBirth,
          gender: null,
          email: null,
          phone: null,
          contactPreference: null,
          safeContactNotes: null,
          isChild: true,
        })),
      )
      .returning(['id'])
      .execute();
    await trx
      .insertInto('familyMember')
      .values(children.map((c) => ({ organisationId, familyId: family.id, personId: c.id, relationship: 'child' as const })))
      .execute();
  }
  const reference = newReference('C');
  const created = await trx
    .insertInto('familyCase')
    .values({
      organisationId,
      reference,
      familyId: family.id,
      programmeId: input.programmeId,
      referralId: input.referralId,
      stage: 'triaged',
      caseWorkerId: input.caseWorkerId,
      closedAt: null,
    })
    .returning(['id'])
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('caseStageChange')
    .values([
      { organisationId, caseId: created.id, fromStage: null, toStage: 'referred', reason: 'Referral received', changedBy: null },
      { organisationId, caseId: created.id, fromStage: 'referred', toStage: 'triaged', reason: 'Referral accepted', changedBy: input.actorUserId },
    ])
    .execute();
  await recordAudit(trx, {
    organisationId,
    actorUserId: input.actorUserId,
    action: 'create:case',
    entityType: 'case',
    entityId: created.id,
    detail: { referralId: input.referralId, familyId: family.id },
  });
  return { caseId: created.id, reference };
};

const todayIso = (): string => new Date().toISOString().slice(0, 10);

/** "My work": the tasks derived from one's own cases (a manager's: everyone's), new referrals, and notifications. */
export const myWorkFor = async (db: Db, actor: Actor, today = todayIso()): Promise<z.infer<typeof myWork>> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    let casesQuery = visibleTo(summaryQuery(trx), actor).where('familyCase.stage', 'not in', ['closed']);
    if (actor.role === 'case_worker') casesQuery = casesQuery.where('familyCase.caseWorkerId', '=', actor.userId);
    const cases = await casesQuery.execute();
    const triages = actor.role === 'service_manager' || actor.role === 'case_worker';
    const referrals = triages
      ? await trx
          .selectFrom('referral')
          .select(['id', 'reference', 'receivedAt', sql<string>`submission->'parents'->0->>'familyName'`.as('familyName')])
          .where('organisationId', '=', organisationId)
          .where('status', '=', 'new')
          .orderBy('receivedAt')
          .limit(200)
          .execute()
      : [];
    const openFlags =
      actor.role === 'service_manager'
        ? await trx
            .selectFrom('safeguardingFlag')
            .leftJoin('familyCase', 'familyCase.id', 'safeguardingFlag.caseId')
            .select(['safeguardingFlag.id', 'safeguardingFlag.caseId', 'safeguardingFlag.reason', 'safeguardingFlag.raisedAt', 'familyCase.reference'])
            .where('safeguardingFlag.organisationId', '=', organisationId)
            .where('safeguardingFlag.status', '=', 'open')
            .execute()
        : [];
    const notifications = await trx
      .selectFrom('notification')
      .select(['id', 'message', 'link', 'createdAt'])
      .where('organisationId', '=', organisationId)
      .where('userId', '=', actor.userId)
      .where('readAt', 'is', null)
      .orderBy('createdAt', 'desc')
      .limit(50)
      .execute();
    // A safeguarding decision is due the next working day; it is never left to wait behind routine tasks.
    const safeguardingTasks = openFlags.map((f) => {
      const due = new Date(f.raisedAt.getTime() + 86_400_000).toISOString().slice(0, 10);
      return {
        kind: 'safeguarding_decision' as const,
        title: `Safeguarding decision: ${f.reason}${f.reference ? ` (${f.reference})` : ''}`,
        dueOn: due,
        overdue: due < today,
        link: f.caseId ? `/cases/${f.caseId}` : '/safeguarding',
        caseId: f.caseId,
        referralId: null,
      };
    });
    // Questionnaires (issue 4): what the programme's measurement schedule says is due, decided by measures; and for a
    // case worker, the questionnaire alerts on their cases until a manager records the decision.
    const questionnaireTasks = await questionnaireTasksFor(trx, organisationId, await questionnaireCasesOf(trx, organisationId, cases), today);
    const alertTasks =
      actor.role === 'case_worker'
        ? (await questionnaireAlertsFor(trx, actor)).map((f) => {
            const due = new Date(f.raisedAt.getTime() + 86_400_000).toISOString().slice(0, 10);
            return { kind: 'safeguarding_decision' as const, title: `Questionnaire alert: ${f.reason}${f.reference ? ` (${f.reference})` : ''}`, dueOn: due, overdue: due < today, link: f.caseId ? `/cases/${f.caseId}` : '/safeguarding', caseId: f.caseId, referralId: null };
          })
        : [];
    return {
      tasks: [...safeguardingTasks, ...alertTasks, ...questionnaireTasks, ...deriveTasks({
        today,
        cases: cases.map((c) => ({ id: c.id, reference: c.reference, familyLabel: c.familyLabel, stage: c.stage, stageChangedOn: c.stageChangedAt.toISOString().slice(0, 10) })),
        referrals: referrals.map((r) => ({ id: r.id, reference: r.reference, familyName: r.familyName ?? 'family', receivedOn: r.receivedAt.toISOString().slice(0, 10) })),
      })],
      notifications: notifications.map((n) => ({ ...n, createdAt: n.createdAt.toISOString() })),
    };
  });

/** A case worker picks up an unallocated case for themselves (managers allocate anyone's). */
export const takeCase = async (db: Db, actor: Actor, caseId: string, version: number): Promise<CaseDetail> => {
  await inScope(db, scopeOf(actor), async (trx) => {
    const row = await loadCase(trx, actor, caseId);
    if (row.version !== version) throw staleVersion('This case');
    if (row.caseWorkerId && row.caseWorkerId !== actor.userId) throw new AppError('conflict', 'This case already has a case worker; ask a service manager to reallocate it');
    await assertCaseWorker(trx, orgOf(actor), actor.userId, 'body.caseWorkerId');
    const updated = await trx
      .updateTable('familyCase')
      .set({ caseWorkerId: actor.userId, version: sql<number>`version + 1` })
      .where('id', '=', caseId)
      .where('version', '=', version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw staleVersion('This case');
    await recordAudit(trx, { organisationId: orgOf(actor), actorUserId: actor.userId, action: 'allocate:case', entityType: 'case', entityId: caseId, ip: actor.ip, detail: { from: row.caseWorkerId, to: actor.userId, self: true } });
  });
  return getCase(db, actor, caseId);
};

/** Marks one of one's own notifications read; another person's reads as not found. */
export const markNotificationRead = async (db: Db, actor: Actor, notificationId: string): Promise<void> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const updated = await trx
      .updateTable('notification')
      .set({ readAt: new Date() })
      .where('id', '=', notificationId)
      .where('organisationId', '=', orgOf(actor))
      .where('userId', '=', actor.userId)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw notFound('Notification');
  });
