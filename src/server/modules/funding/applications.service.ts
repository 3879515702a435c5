import { sql } from 'kysely';
import type { z } from 'zod';
import {
  type applicationList,
  type applicationQuery,
  type applicationRule,
  type caseApplications,
  type changeStatusBody,
  type createApplicationBody,
  type FundApplication,
  type putRuleBody,
  type updateApplicationBody,
} from '../../../shared/contracts/fund-applications.ts';
import type { Db, Trx } from '../../db.ts';
import { inScope } from '../../platform/db/scope.ts';
import { scopeOf, type Actor } from '../../platform/http/actor.ts';
import { AppError, badField, notFound, staleVersion, type FieldProblem } from '../../platform/http/app-error.ts';
import { recordAudit } from '../audit/index.ts';
import { assessmentsForFunding, caseForPlacement, caseLabels, peopleOfFamilies, type AssessmentForFunding, type CaseForPlacement } from '../cases/index.ts';
import { findProgramme, publicProgrammes } from '../programmes/index.ts';
import { assessmentProblem, countingStatuses, fundingYearOf, limitProblems, nextStatuses, sharesOf, transitionProblem, type ChildUse } from './applications-rules.ts';

/*
 * Fund applications: use cases. Every one runs in the actor's scope, filters by organisation as well, follows the
 * case's visibility (a case worker sees the applications of their own caseload), audits what it reads or changes,
 * and refuses stale versions with 409. The rules themselves are in applications-rules.ts.
 */

type Rule = { annualLimitPence: number | null; assessmentValidMonths: number; yearStartMonth: number; version: number };
const defaultRule: Rule = { annualLimitPence: null, assessmentValidMonths: 12, yearStartMonth: 4, version: 0 };

const orgOf = (actor: Actor): string => {
  if (!actor.organisationId) throw new AppError('forbidden', 'Choose an organisation first');
  return actor.organisationId;
};

/** Today in Europe/London: the day a submission or a start is judged on. */
const londonToday = (): string => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

const familyName = (label: string): string => (/family$/i.test(label) ? `the ${label}` : label);

const ruleOf = async (trx: Trx, funderId: string): Promise<Rule> => {
  const row = await trx.selectFrom('fundApplicationRule').select(['annualLimitPence', 'assessmentValidMonths', 'yearStartMonth', 'version']).where('funderId', '=', funderId).executeTakeFirst();
  return row ?? defaultRule;
};

const loadFunder = async (trx: Trx, organisationId: string, funderId: string, field: string) => {
  const funder = await trx.selectFrom('funder').select(['id', 'name', 'active']).where('organisationId', '=', organisationId).where('id', '=', funderId).executeTakeFirst();
  if (!funder) throw badField(field, 'is not a funder of this organisation');
  return funder;
};

/** A case the actor may see; another organisation's, or one outside a case worker's caseload, is 404. */
const visibleCase = async (trx: Trx, actor: Actor, caseId: string, what = 'Case'): Promise<CaseForPlacement> =>
  caseForPlacement(trx, actor, caseId).catch((error: unknown) => {
    if (error instanceof AppError && error.code === 'not_found') throw notFound(what);
    throw error;
  });

const loadApplication = async (trx: Trx, actor: Actor, applicationId: string) => {
  const row = await trx.selectFrom('fundApplication').selectAll().where('organisationId', '=', orgOf(actor)).where('id', '=', applicationId).executeTakeFirst();
  if (!row) throw notFound('Fund application');
  const c = await visibleCase(trx, actor, row.caseId, 'Fund application');
  return { row, c };
};

const present = async (trx: Trx, actor: Actor, ids: readonly string[]): Promise<FundApplication[]> => {
  if (ids.length === 0) return [];
  const organisationId = orgOf(actor);
  const rows = await trx
    .selectFrom('fundApplication')
    .innerJoin('funder', 'funder.id', 'fundApplication.funderId')
    .selectAll('fundApplication')
    .select('funder.name as funderName')
    .where('fundApplication.organisationId', '=', organisationId)
    .where('fundApplication.id', 'in', [...ids])
    .orderBy('fundApplication.createdAt', 'desc')
    .execute();
  const children = await trx.selectFrom('fundApplicationChild').select(['applicationId', 'personId']).where('applicationId', 'in', [...ids]).execute();
  const history = await trx
    .selectFrom('fundApplicationStatusChange')
    .leftJoin('appUser', 'appUser.id', 'fundApplicationStatusChange.changedBy')
    .select(['fundApplicationStatusChange.applicationId', 'fromStatus', 'toStatus', 'note', 'changedAt', 'appUser.name as byName'])
    .where('fundApplicationStatusChange.applicationId', 'in', [...ids])
    .orderBy('changedAt')
    .execute();
  const familyIds = [...new Set(rows.map((r) => r.familyId))];
  const people = await peopleOfFamilies(trx, organisationId, familyIds);
  const labels = await caseLabels(trx, organisationId, [...new Set(rows.map((r) => r.caseId))]);
  const result: FundApplication[] = [];
  const programmeNames = new Map<string, string>();
  const assessmentDays = new Map<string, string>();
  for (const r of rows) {
    if (!programmeNames.has(r.programmeId)) programmeNames.set(r.programmeId, (await findProgramme(trx, organisationId, r.programmeId))?.name ?? '');
    const c = labels.get(r.caseId);
    if (r.assessmentId && !assessmentDays.has(r.assessmentId)) {
      for (const a of await assessmentsForFunding(trx, organisationId, r.caseId)) assessmentDays.set(a.id, a.heldOn);
    }
    result.push({
      id: r.id,
      caseId: r.caseId,
      caseReference: c?.reference ?? '',
      familyLabel: c?.familyLabel ?? '',
      kind: r.kind,
      children: children
        .filter((x) => x.applicationId === r.id)
        .map((x) => ({ personId: x.personId, name: people.find((p) => p.personId === x.personId)?.name ?? '' }))
        .sort((a, b) => a.name.localeCompare(b.name)),
      funderId: r.funderId,
      funderName: r.funderName,
      programmeId: r.programmeId,
      programmeName: programmeNames.get(r.programmeId) ?? '',
      assessmentId: r.assessmentId,
      assessmentHeldOn: r.assessmentId ? (assessmentDays.get(r.assessmentId) ?? null) : null,
      serviceFrom: r.serviceFrom,
      amountPence: r.amountPence,
      matchFundingPence: r.matchFundingPence,
      matchFunder: r.matchFunder,
      fundPence: r.amountPence - r.matchFundingPence,
      fundReference: r.fundReference,
      status: r.status,
      history: history
        .filter((h) => h.applicationId === r.id)
        .map((h) => ({ from: h.fromStatus, to: h.toStatus, byName: h.byName, at: h.changedAt.toISOString(), note: h.note })),
      nextStatuses: nextStatuses(r.status, actor.role),
      version: r.version,
    });
  }
  return result;
};

const presentOne = async (trx: Trx, actor: Actor, id: string): Promise<FundApplication> => {
  const [one] = await present(trx, actor, [id]);
  if (!one) throw notFound('Fund application');
  return one;
};

/** The children named must be children of this family; a child application names exactly one. */
const checkChildren = async (trx: Trx, organisationId: string, c: CaseForPlacement, kind: 'child' | 'family', childIds: readonly string[]): Promise<FieldProblem[]> => {
  const problems: FieldProblem[] = [];
  const kids = (await peopleOfFamilies(trx, organisationId, [c.familyId])).filter((p) => p.isChild);
  childIds.forEach((id, i) => {
    if (!kids.some((k) => k.personId === id)) problems.push({ path: `body.childIds.${i}`, message: `is not a child of ${familyName(c.familyLabel)}` });
  });
  if (new Set(childIds).size !== childIds.length) problems.push({ path: 'body.childIds', message: 'names a child twice' });
  if (kind === 'child' && childIds.length !== 1) problems.push({ path: 'body.childIds', message: 'a child application is in the name of exactly one child' });
  return problems;
};

const checkAssessmentOfCase = async (trx: Trx, organisationId: string, caseId: string, assessmentId: string | null): Promise<FieldProblem[]> => {
  if (!assessmentId) return [];
  const all = await assessmentsForFunding(trx, organisationId, caseId);
  return all.some((a) => a.id === assessmentId) ? [] : [{ path: 'body.assessmentId', message: 'is not an assessment of this case' }];
};

const fail = (problems: FieldProblem[]): never => {
  const [first] = problems;
  throw new AppError('bad_request', first ? `${first.path}: ${first.message}` : 'The application is not valid', { fields: problems });
};

type Money = { amountPence: number; matchFundingPence: number; matchFunder: string | null };
const moneyProblems = (m: Money): FieldProblem[] => limitProblems({ ...m, limitPence: null, children: [] });

export const getCaseApplications = async (db: Db, actor: Actor, caseId: string): Promise<z.infer<typeof caseApplications>> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const c = await visibleCase(trx, actor, caseId);
    const ids = await trx.selectFrom('fundApplication').select('id').where('organisationId', '=', organisationId).where('caseId', '=', c.id).execute();
    const funders = await trx
      .selectFrom('funder')
      .leftJoin('fundApplicationRule', 'fundApplicationRule.funderId', 'funder.id')
      .select(['funder.id', 'funder.name', 'fundApplicationRule.annualLimitPence', 'fundApplicationRule.assessmentValidMonths'])
      .where('funder.organisationId', '=', organisationId)
      .where('funder.active', '=', true)
      .orderBy('funder.name')
      .execute();
    const kids = (await peopleOfFamilies(trx, organisationId, [c.familyId])).filter((p) => p.isChild);
    const assessments = await assessmentsForFunding(trx, organisationId, c.id);
    const today = londonToday();
    const programmes = await publicProgrammes(trx, organisationId);
    if (c.programmeId && !programmes.some((p) => p.id === c.programmeId)) {
      const own = await findProgramme(trx, organisationId, c.programmeId);
      if (own) programmes.unshift({ id: own.id, name: own.name, description: own.description });
    }
    await recordAudit(trx, { organisationId, actorUserId: actor.userId, action: 'view:fund_application', entityType: 'case', entityId: c.id, ip: actor.ip, detail: { count: ids.length } });
    return {
      applications: await present(
        trx,
        actor,
        ids.map((r) => r.id),
      ),
      funders: funders.map((f) => ({ id: f.id, name: f.name, annualLimitPence: f.annualLimitPence ?? null, assessmentValidMonths: f.assessmentValidMonths ?? defaultRule.assessmentValidMonths })),
      children: kids.map((k) => ({ personId: k.personId, name: k.name })),
      // Judged with the organisation's default; a funder's own months are applied at submission.
      assessments: assessments.map((a) => {
        const problem = assessmentProblem(a, assessments, today, defaultRule.assessmentValidMonths, familyName(c.familyLabel));
        return { id: a.id, heldOn: a.heldOn, status: a.status, outcome: a.outcome, current: problem === null, problem };
      }),
      programmes: programmes.map((p) => ({ id: p.id, name: p.name })),
    };
  });

export const getApplication = async (db: Db, actor: Actor, applicationId: string): Promise<FundApplication> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const { row } = await loadApplication(trx, actor, applicationId);
    await recordAudit(trx, { organisationId: orgOf(actor), actorUserId: actor.userId, action: 'view:fund_application', entityType: 'fund_application', entityId: row.id, ip: actor.ip, detail: { caseId: row.caseId } });
    return presentOne(trx, actor, row.id);
  });

export const createApplication = async (db: Db, actor: Actor, caseId: string, body: z.infer<typeof createApplicationBody>): Promise<FundApplication> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const c = await visibleCase(trx, actor, caseId);
    await loadFunder(trx, organisationId, body.funderId, 'body.funderId');
    const problems = [...(await checkChildren(trx, organisationId, c, body.kind, body.childIds)), ...(await checkAssessmentOfCase(trx, organisationId, c.id, body.assessmentId)), ...moneyProblems(body)];
    if (!(await findProgramme(trx, organisationId, body.programmeId))) problems.push({ path: 'body.programmeId', message: 'is not a programme of this organisation' });
    if (problems.length > 0) fail(problems);
    const created = await trx
      .insertInto('fundApplication')
      .values({
        organisationId,
        caseId: c.id,
        familyId: c.familyId,
        kind: body.kind,
        funderId: body.funderId,
        programmeId: body.programmeId,
        assessmentId: body.assessmentId,
        serviceFrom: body.serviceFrom,
        amountPence: body.amountPence,
        matchFundingPence: body.matchFundingPence,
        matchFunder: body.matchFunder?.trim() || null,
        fundReference: body.fundReference?.trim() || null,
        createdBy: actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.insertInto('fundApplicationChild').values(body.childIds.map((personId) => ({ organisationId, applicationId: created.id, personId }))).execute();
    await trx.insertInto('fundApplicationStatusChange').values({ organisationId, applicationId: created.id, fromStatus: null, toStatus: 'draft', note: null, changedBy: actor.userId }).execute();
    await recordAudit(trx, {
      organisationId,
      actorUserId: actor.userId,
      action: 'create:fund_application',
      entityType: 'fund_application',
      entityId: created.id,
      ip: actor.ip,
      detail: { caseId: c.id, kind: body.kind, children: body.childIds, funderId: body.funderId, amountPence: body.amountPence, matchFundingPence: body.matchFundingPence },
    });
    return presentOne(trx, actor, created.id);
  });

/** A draft can be corrected; once submitted, what was sent to the fund stays as it was sent. */
export const updateApplication = async (db: Db, actor: Actor, applicationId: string, body: z.infer<typeof updateApplicationBody>): Promise<FundApplication> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const { row, c } = await loadApplication(trx, actor, applicationId);
    if (row.status !== 'draft') throw new AppError('conflict', `This application is ${row.status}; only a draft can be changed`);
    if (row.version !== body.version) throw staleVersion('This application');
    const problems = [...(await checkChildren(trx, organisationId, c, row.kind, body.childIds)), ...(await checkAssessmentOfCase(trx, organisationId, c.id, body.assessmentId)), ...moneyProblems(body)];
    if (!(await findProgramme(trx, organisationId, body.programmeId))) problems.push({ path: 'body.programmeId', message: 'is not a programme of this organisation' });
    if (problems.length > 0) fail(problems);
    const updated = await trx
      .updateTable('fundApplication')
      .set({
        programmeId: body.programmeId,
        assessmentId: body.assessmentId,
        serviceFrom: body.serviceFrom,
        amountPence: body.amountPence,
        matchFundingPence: body.matchFundingPence,
        matchFunder: body.matchFunder?.trim() || null,
        fundReference: body.fundReference?.trim() || null,
        updatedAt: new Date(),
        version: sql<number>`version + 1`,
      })
      .where('id', '=', row.id)
      .where('version', '=', body.version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw staleVersion('This application');
    await trx.deleteFrom('fundApplicationChild').where('applicationId', '=', row.id).execute();
    await trx.insertInto('fundApplicationChild').values(body.childIds.map((personId) => ({ organisationId, applicationId: row.id, personId }))).execute();
    await recordAudit(trx, {
      organisationId,
      actorUserId: actor.userId,
      action: 'update:fund_application',
      entityType: 'fund_application',
      entityId: row.id,
      ip: actor.ip,
      detail: { caseId: c.id, children: body.childIds, amountPence: body.amountPence, matchFundingPence: body.matchFundingPence },
    });
    return presentOne(trx, actor, row.id);
  });

/**
 * What each named child already asks of this funder in the funding year of `serviceFrom`, from the other
 * applications that count (submitted to paid). A family application's fund share is split between its children as
 * in the rules. Takes a transaction lock per child and funder first (in a fixed order), so two submissions for one
 * child cannot both squeeze under the limit.
 */
const childUses = async (trx: Trx, app: { id: string; funderId: string; serviceFrom: string }, childIds: readonly string[], names: Map<string, string>, rule: Rule): Promise<ChildUse[]> => {
  for (const id of [...childIds].sort()) await sql`SELECT pg_advisory_xact_lock(hashtext(${`fund-limit:${app.funderId}:${id}`}))`.execute(trx);
  const year = fundingYearOf(app.serviceFrom, rule.yearStartMonth);
  const others = await trx
    .selectFrom('fundApplication')
    .innerJoin('fundApplicationChild', 'fundApplicationChild.applicationId', 'fundApplication.id')
    .select(['fundApplication.id', 'fundApplication.amountPence', 'fundApplication.matchFundingPence', 'fundApplicationChild.personId'])
    .where('fundApplication.funderId', '=', app.funderId)
    .where('fundApplication.id', '<>', app.id)
    .where('fundApplication.status', 'in', [...countingStatuses])
    .where('fundApplication.serviceFrom', '>=', year.from)
    .where('fundApplication.serviceFrom', '<=', year.to)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('fundApplicationChild as mine')
          .select('mine.personId')
          .whereRef('mine.applicationId', '=', 'fundApplication.id')
          .where('mine.personId', 'in', [...childIds]),
      ),
    )
    .execute();
  return childIds.map((id) => {
    let used = 0;
    for (const appId of new Set(others.map((o) => o.id))) {
      const members = others.filter((o) => o.id === appId);
      const index = members.map((m) => m.personId).sort().indexOf(id);
      if (index < 0) continue;
      const first = members[0];
      if (!first) continue;
      // The same split as the rules make, children in id order so that it is stable.
      used += sharesOf(first.amountPence - first.matchFundingPence, members.length)[index] ?? 0;
    }
    return { id, name: names.get(id) ?? 'a child', usedPence: used };
  });
};

/** Moves an application along its flow. Submission needs a current assessment; submission and approval need the money within the limit. */
export const changeStatus = async (db: Db, actor: Actor, applicationId: string, body: z.infer<typeof changeStatusBody>): Promise<FundApplication> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const { row, c } = await loadApplication(trx, actor, applicationId);
    const problem = transitionProblem(row.status, body.to, actor.role);
    if (problem?.kind === 'role') throw new AppError('forbidden', `${problem.message}`, { fields: [{ path: 'body.to', message: problem.message }] });
    if (problem) throw new AppError('conflict', `body.to: ${problem.message}`, { fields: [{ path: 'body.to', message: problem.message }] });
    if (row.version !== body.version) throw staleVersion('This application');
    const rule = await ruleOf(trx, row.funderId);
    const childIds = (await trx.selectFrom('fundApplicationChild').select('personId').where('applicationId', '=', row.id).execute()).map((x) => x.personId).sort();
    if (body.to === 'submitted') {
      const all = await assessmentsForFunding(trx, organisationId, c.id);
      const chosen: AssessmentForFunding | undefined = all.find((a) => a.id === row.assessmentId);
      const why = assessmentProblem(chosen, all, londonToday(), rule.assessmentValidMonths, familyName(c.familyLabel));
      if (why) throw badField('body.to', `cannot submit: ${why}`);
    }
    if (body.to === 'submitted' || body.to === 'approved') {
      const names = new Map((await peopleOfFamilies(trx, organisationId, [c.familyId])).map((p) => [p.personId, p.name]));
      const children = await childUses(trx, row, childIds, names, rule);
      const problems = limitProblems({ amountPence: row.amountPence, matchFundingPence: row.matchFundingPence, matchFunder: row.matchFunder, limitPence: rule.annualLimitPence, children });
      if (problems.length > 0) {
        const [first] = problems;
        throw new AppError('bad_request', `cannot ${body.to === 'submitted' ? 'submit' : 'approve'}: ${first?.message ?? ''}`, { fields: problems });
      }
    }
    const updated = await trx
      .updateTable('fundApplication')
      .set({
        status: body.to,
        ...(body.fundReference ? { fundReference: body.fundReference.trim() } : {}),
        updatedAt: new Date(),
        version: sql<number>`version + 1`,
      })
      .where('id', '=', row.id)
      .where('version', '=', body.version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw staleVersion('This application');
    await trx.insertInto('fundApplicationStatusChange').values({ organisationId, applicationId: row.id, fromStatus: row.status, toStatus: body.to, note: body.note?.trim() || null, changedBy: actor.userId }).execute();
    await recordAudit(trx, {
      organisationId,
      actorUserId: actor.userId,
      action: 'update:fund_application',
      entityType: 'fund_application',
      entityId: row.id,
      ip: actor.ip,
      detail: { caseId: c.id, from: row.status, to: body.to, amountPence: row.amountPence, fundPence: row.amountPence - row.matchFundingPence },
    });
    return presentOne(trx, actor, row.id);
  });

/**
 * Applications per participant, for managers and commissioners: the case reference and which participant (the
 * family, or child 1, 2 … of the case in a stable order), the funder, service, status and money. No names, dates of
 * birth or assessment content ever leave through this list.
 */
export const listApplications = async (db: Db, actor: Actor, query: z.infer<typeof applicationQuery>): Promise<z.infer<typeof applicationList>> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    let q = trx
      .selectFrom('fundApplication')
      .innerJoin('funder', 'funder.id', 'fundApplication.funderId')
      .select([
        'fundApplication.id',
        'fundApplication.caseId',
        'fundApplication.familyId',
        'fundApplication.kind',
        'fundApplication.programmeId',
        'fundApplication.serviceFrom',
        'fundApplication.status',
        'fundApplication.amountPence',
        'fundApplication.matchFundingPence',
        'funder.name as funderName',
      ])
      .where('fundApplication.organisationId', '=', organisationId)
      .where('fundApplication.status', '<>', 'draft');
    if (query.status) q = q.where('fundApplication.status', '=', query.status);
    if (query.funderId) q = q.where('fundApplication.funderId', '=', query.funderId);
    const rows = await q.orderBy('fundApplication.serviceFrom', 'desc').orderBy('fundApplication.id').limit(2000).execute();
    const ids = rows.map((r) => r.id);
    const children = ids.length === 0 ? [] : await trx.selectFrom('fundApplicationChild').select(['applicationId', 'personId']).where('applicationId', 'in', ids).execute();
    const moves = ids.length === 0 ? [] : await trx.selectFrom('fundApplicationStatusChange').select(['applicationId', 'toStatus', 'changedAt']).where('applicationId', 'in', ids).orderBy('changedAt').execute();
    const people = await peopleOfFamilies(trx, organisationId, [...new Set(rows.map((r) => r.familyId))]);
    const labels = await caseLabels(trx, organisationId, [...new Set(rows.map((r) => r.caseId))]);
    const programmes = new Map<string, string>();
    for (const r of rows) {
      if (!programmes.has(r.programmeId)) programmes.set(r.programmeId, (await findProgramme(trx, organisationId, r.programmeId))?.name ?? '');
    }
    // Child n is the n-th child of the family in the family's own order (by id), so it never reveals a name or age.
    const childNumber = (familyId: string, personId: string): number =>
      people
        .filter((p) => p.familyId === familyId && p.isChild)
        .map((p) => p.personId)
        .sort()
        .indexOf(personId) + 1;
    const day = (d: Date | undefined): string | null => (d ? d.toISOString().slice(0, 10) : null);
    const list = rows.map((r) => {
      const mine = moves.filter((m) => m.applicationId === r.id);
      const decided = mine.find((m) => m.toStatus === 'approved' || m.toStatus === 'rejected');
      const numbers = children
        .filter((x) => x.applicationId === r.id)
        .map((x) => childNumber(r.familyId, x.personId))
        .sort((a, b) => a - b);
      return {
        id: r.id,
        caseReference: labels.get(r.caseId)?.reference ?? '',
        participant: r.kind === 'family' ? `family (child ${numbers.join(', ')})` : `child ${numbers.join(', ')}`,
        funderName: r.funderName,
        programmeName: programmes.get(r.programmeId) ?? '',
        serviceFrom: r.serviceFrom,
        status: r.status,
        amountPence: r.amountPence,
        matchFundingPence: r.matchFundingPence,
        fundPence: r.amountPence - r.matchFundingPence,
        submittedOn: day(mine.find((m) => m.toStatus === 'submitted')?.changedAt),
        decidedOn: day(decided?.changedAt),
      };
    });
    await recordAudit(trx, { organisationId, actorUserId: actor.userId, action: 'list:fund_application', entityType: 'fund_application', entityId: null, ip: actor.ip, detail: { count: list.length } });
    const approved = list.filter((a) => ['approved', 'delivered', 'claimed', 'paid'].includes(a.status));
    return {
      applications: list,
      totals: {
        count: list.length,
        amountPence: list.reduce((s, a) => s + a.amountPence, 0),
        fundPence: list.reduce((s, a) => s + a.fundPence, 0),
        approvedFundPence: approved.reduce((s, a) => s + a.fundPence, 0),
      },
    };
  });

export const listRules = async (db: Db, actor: Actor): Promise<z.infer<typeof applicationRule>[]> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const rows = await trx
      .selectFrom('funder')
      .leftJoin('fundApplicationRule', 'fundApplicationRule.funderId', 'funder.id')
      .select(['funder.id', 'funder.name', 'fundApplicationRule.annualLimitPence', 'fundApplicationRule.assessmentValidMonths', 'fundApplicationRule.yearStartMonth', 'fundApplicationRule.version'])
      .where('funder.organisationId', '=', orgOf(actor))
      .orderBy('funder.name')
      .execute();
    return rows.map((r) => ({
      funderId: r.id,
      funderName: r.name,
      annualLimitPence: r.version === null ? defaultRule.annualLimitPence : r.annualLimitPence,
      assessmentValidMonths: r.assessmentValidMonths ?? defaultRule.assessmentValidMonths,
      yearStartMonth: r.yearStartMonth ?? defaultRule.yearStartMonth,
      version: r.version ?? 0,
    }));
  });

/** Sets a funder's limit, assessment months and funding year (e.g. the Adoption Support Fund's fair-access limit). */
export const putRule = async (db: Db, actor: Actor, funderId: string, body: z.infer<typeof putRuleBody>): Promise<z.infer<typeof applicationRule>> => {
  await inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const funder = await trx.selectFrom('funder').select(['id']).where('organisationId', '=', organisationId).where('id', '=', funderId).executeTakeFirst();
    if (!funder) throw notFound('Funder');
    const existing = await trx.selectFrom('fundApplicationRule').select(['version', 'annualLimitPence']).where('funderId', '=', funderId).forUpdate().executeTakeFirst();
    if ((existing?.version ?? 0) !== body.version) throw staleVersion("This funder's application rules");
    const values = { annualLimitPence: body.annualLimitPence, assessmentValidMonths: body.assessmentValidMonths, yearStartMonth: body.yearStartMonth, updatedBy: actor.userId, updatedAt: new Date() };
    if (existing) {
      await trx.updateTable('fundApplicationRule').set({ ...values, version: sql<number>`version + 1` }).where('funderId', '=', funderId).execute();
    } else {
      await trx.insertInto('fundApplicationRule').values({ funderId, organisationId, ...values }).execute();
    }
    await recordAudit(trx, {
      organisationId,
      actorUserId: actor.userId,
      action: 'manage:fund_rules',
      entityType: 'funder',
      entityId: funderId,
      ip: actor.ip,
      detail: { from: existing?.annualLimitPence ?? null, annualLimitPence: body.annualLimitPence, assessmentValidMonths: body.assessmentValidMonths, yearStartMonth: body.yearStartMonth },
    });
  });
  const rules = await listRules(db, actor);
  const rule = rules.find((r) => r.funderId === funderId);
  if (!rule) throw notFound('Funder');
  return rule;
};
