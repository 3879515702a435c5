import { sql } from 'kysely';
import type { z } from 'zod';
import type { ReferralSubmission, referralDecisionBody, referralDetail, referralSummary } from '../../../shared/contracts/journey.ts';
import type { Db, Trx } from '../../db.ts';
import { inScope, systemScope } from '../../platform/db/scope.ts';
import { scopeOf, type Actor } from '../../platform/http/actor.ts';
import { AppError, badField, notFound, staleVersion } from '../../platform/http/app-error.ts';
import { recordAudit } from '../audit/index.ts';
import { assertCaseWorker, findPossibleDuplicates, managersOf, notify, openCaseFromReferral } from '../cases/index.ts';
import { newReference } from '../../platform/reference.ts';
import { findProgramme, publicProgrammes } from '../programmes/index.ts';
import { checkEligibility, overallEligibility } from './eligibility.ts';

type ReferralSummary = z.infer<typeof referralSummary>;
type ReferralDetail = z.infer<typeof referralDetail>;
type Decision = z.infer<typeof referralDecisionBody>;

const today = (): string => new Date().toISOString().slice(0, 10);

const THANKS =
  'Thank you. Your referral has been received and a member of the team will be in touch using the contact details you gave. Please keep the reference.';

const orgOf = (actor: Actor): string => {
  if (!actor.organisationId) throw new AppError('forbidden', 'Choose an organisation first');
  return actor.organisationId;
};

const publicOrganisation = async (trx: Trx, slug: string): Promise<{ id: string; name: string }> => {
  const org = await trx.selectFrom('organisation').select(['id', 'name', 'kind']).where('slug', '=', slug).executeTakeFirst();
  // Only service providers take referrals; anything else reads as "no such form".
  if (!org || org.kind !== 'provider') throw notFound('Referral form');
  return org;
};

export const publicReferralForm = async (db: Db, slug: string): Promise<{ organisation: string; programmes: { id: string; name: string; description: string }[] }> => {
  const org = await inScope(db, systemScope, (trx) => publicOrganisation(trx, slug));
  return inScope(db, { organisationId: org.id, userId: null }, async (trx) => ({ organisation: org.name, programmes: await publicProgrammes(trx, org.id) }));
};

const store = async (
  trx: Trx,
  input: { organisationId: string; source: 'public' | 'staff'; submission: ReferralSubmission; createdBy: string | null; ip: string | null },
): Promise<{ id: string; reference: string }> => {
  const programme = input.submission.programmeId ? await findProgramme(trx, input.organisationId, input.submission.programmeId) : undefined;
  if (input.submission.programmeId && !programme) throw badField('body.submission.programmeId', 'is not a programme of this organisation');
  const eligibility = programme ? checkEligibility(programme.eligibility, input.submission, today()) : [];
  const reference = newReference('R');
  const row = await trx
    .insertInto('referral')
    .values({
      organisationId: input.organisationId,
      reference,
      source: input.source,
      programmeId: programme?.id ?? null,
      submission: JSON.stringify(input.submission),
      eligibility: JSON.stringify(eligibility),
      decisionReason: null,
      redirectedTo: null,
      decidedBy: null,
      decidedAt: null,
      caseId: null,
      createdBy: input.createdBy,
    })
    .returning(['id'])
    .executeTakeFirstOrThrow();
  await notify(trx, {
    organisationId: input.organisationId,
    userIds: await managersOf(trx, input.organisationId),
    kind: 'referral_received',
    message: `New ${input.source === 'public' ? 'self/online' : 'agency'} referral ${reference}${programme ? ` for ${programme.name}` : ''}`,
    link: `/referrals/${row.id}`,
  });
  await recordAudit(trx, {
    organisationId: input.organisationId,
    actorUserId: input.createdBy,
    action: 'create:referral',
    entityType: 'referral',
    entityId: row.id,
    ip: input.ip,
    detail: { source: input.source },
  });
  return { id: row.id, reference };
};

/**
 * The public form. Its answer is the same whether or not the people are already known, and a filled honeypot
 * gets the same answer with nothing stored, so a robot learns nothing either way.
 */
export const submitPublicReferral = async (
  db: Db,
  input: { slug: string; submission: ReferralSubmission; honeypot: string | undefined; ip: string | null },
): Promise<{ reference: string; message: string }> => {
  const org = await inScope(db, systemScope, (trx) => publicOrganisation(trx, input.slug));
  if (input.honeypot) return { reference: newReference('R'), message: THANKS };
  const stored = await inScope(db, { organisationId: org.id, userId: null }, (trx) =>
    store(trx, { organisationId: org.id, source: 'public', submission: input.submission, createdBy: null, ip: input.ip }),
  );
  return { reference: stored.reference, message: THANKS };
};

export const submitStaffReferral = async (db: Db, actor: Actor, submission: ReferralSubmission): Promise<ReferralDetail> => {
  const stored = await inScope(db, scopeOf(actor), (trx) =>
    store(trx, { organisationId: orgOf(actor), source: 'staff', submission, createdBy: actor.userId, ip: actor.ip }),
  );
  return getReferral(db, actor, stored.id);
};

const summaryColumns = (trx: Trx) =>
  trx
    .selectFrom('referral')
    .leftJoin('programme', 'programme.id', 'referral.programmeId')
    .select([
      'referral.id',
      'referral.reference',
      'referral.source',
      'referral.status',
      'referral.programmeId',
      'programme.name as programmeName',
      'referral.receivedAt',
      'referral.submission',
      'referral.eligibility',
      'referral.decisionReason',
      'referral.redirectedTo',
      'referral.caseId',
      'referral.version',
    ]);
type Row = Awaited<ReturnType<ReturnType<typeof summaryColumns>['executeTakeFirstOrThrow']>>;

const presentSummary = (row: Row): ReferralSummary => ({
  id: row.id,
  reference: row.reference,
  source: row.source,
  status: row.status,
  programmeId: row.programmeId,
  programmeName: row.programmeName,
  familyName: [...new Set(row.submission.parents.map((p) => p.familyName))].join(' / '),
  childrenCount: row.submission.children.length,
  receivedAt: row.receivedAt.toISOString(),
  eligible: overallEligibility(row.eligibility),
  version: row.version,
});

/** The triage queue: new referrals first, oldest first, so nothing waits unseen. */
export const listReferrals = async (db: Db, actor: Actor, status: ReferralSummary['status'] | undefined): Promise<ReferralSummary[]> =>
  inScope(db, scopeOf(actor), async (trx) => {
    let q = summaryColumns(trx).where('referral.organisationId', '=', orgOf(actor));
    if (status) q = q.where('referral.status', '=', status);
    const rows = await q.orderBy(sql`referral.status = 'new'`, 'desc').orderBy('referral.receivedAt').limit(500).execute();
    await recordAudit(trx, { organisationId: orgOf(actor), actorUserId: actor.userId, action: 'list:referral', entityType: 'referral', entityId: null, ip: actor.ip, detail: { count: rows.length } });
    return rows.map(presentSummary);
  });

export const getReferral = async (db: Db, actor: Actor, referralId: string): Promise<ReferralDetail> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const row = await summaryColumns(trx).where('referral.organisationId', '=', orgOf(actor)).where('referral.id', '=', referralId).executeTakeFirst();
    if (!row) throw notFound('Referral');
    const possibleDuplicates = row.status === 'new' || row.status === 'waiting_list' ? await findPossibleDuplicates(trx, orgOf(actor), row.submission) : [];
    await recordAudit(trx, { organisationId: orgOf(actor), actorUserId: actor.userId, action: 'view:referral', entityType: 'referral', entityId: referralId, ip: actor.ip });
    return {
      ...presentSummary(row),
      submission: row.submission,
      eligibility: row.eligibility,
      possibleDuplicates,
      decisionReason: row.decisionReason,
      redirectedTo: row.redirectedTo,
      caseId: row.caseId,
    };
  });

const statusFor: Record<Decision['decision'], 'accepted' | 'declined' | 'waiting_list' | 'redirected'> = {
  accept: 'accepted',
  decline: 'declined',
  waiting_list: 'waiting_list',
  redirect: 'redirected',
};

/** Triage: accept (opens a family case), decline with a reason, put on the waiting list, or redirect elsewhere. */
export const decideReferral = async (db: Db, actor: Actor, referralId: string, decision: Decision): Promise<ReferralDetail> => {
  await inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const row = await trx
      .selectFrom('referral')
      .select(['id', 'status', 'version', 'submission', 'programmeId'])
      .where('organisationId', '=', organisationId)
      .where('id', '=', referralId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw notFound('Referral');
    if (row.version !== decision.version) throw staleVersion('This referral');
    if (row.status !== 'new' && row.status !== 'waiting_list') {
      throw new AppError('conflict', `This referral has already been ${row.status.replace('_', ' ')}`);
    }
    let programmeId = row.programmeId;
    if (decision.programmeId) {
      const programme = await findProgramme(trx, organisationId, decision.programmeId);
      if (!programme) throw badField('body.programmeId', 'is not a programme of this organisation');
      programmeId = programme.id;
    }
    for (const same of decision.samePeople) {
      if (same.parentIndex >= row.submission.parents.length) throw badField('body.samePeople', `there is no adult number ${same.parentIndex + 1} in this referral`);
    }
    let caseId: string | null = null;
    if (decision.decision === 'accept') {
      if (decision.caseWorkerId) await assertCaseWorker(trx, organisationId, decision.caseWorkerId, 'body.caseWorkerId');
      ({ caseId } = await openCaseFromReferral(trx, {
        organisationId,
        actorUserId: actor.userId,
        referralId,
        submission: row.submission,
        programmeId,
        caseWorkerId: decision.caseWorkerId ?? null,
        samePeople: decision.samePeople,
      }));
    }
    const eligibility = programmeId
      ? checkEligibility((await findProgramme(trx, organisationId, programmeId))?.eligibility ?? [], row.submission, today())
      : [];
    const updated = await trx
      .updateTable('referral')
      .set({
        status: statusFor[decision.decision],
        programmeId,
        eligibility: JSON.stringify(eligibility),
        decisionReason: decision.reason ?? null,
        redirectedTo: decision.decision === 'redirect' ? (decision.redirectedTo ?? null) : null,
        decidedBy: actor.userId,
        decidedAt: new Date(),
        caseId,
        version: sql<number>`version + 1`,
      })
      .where('id', '=', referralId)
      .where('version', '=', decision.version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw staleVersion('This referral');
    await recordAudit(trx, {
      organisationId,
      actorUserId: actor.userId,
      action: 'triage:referral',
      entityType: 'referral',
      entityId: referralId,
      ip: actor.ip,
      detail: { decision: decision.decision, caseId },
    });
  });
  return getReferral(db, actor, referralId);
};
