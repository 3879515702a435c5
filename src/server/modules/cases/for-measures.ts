import type { Trx } from '../../db.ts';
import type { Actor } from '../../platform/http/actor.ts';
import { notFound } from '../../platform/http/app-error.ts';
import { recordAudit } from '../audit/index.ts';
import { loadCase, managersOf, notify, orgOf, summaryQuery } from './case-access.ts';

/*
 * What the measures module needs of a case (issue 4): who is in the family, the dates the measurement schedule hangs
 * on, and a way to raise a questionnaire alert. Measures never reads the case tables itself.
 */

export type QuestionnairePerson = {
  personId: string;
  name: string;
  isChild: boolean;
  dateOfBirth: string | null;
  relationship: string;
  gender: 'female' | 'male' | 'other' | 'not_stated' | null;
};

export type QuestionnaireCase = {
  id: string;
  reference: string;
  familyId: string;
  familyLabel: string;
  stage: string;
  programmeId: string | null;
  programmeName: string | null;
  caseWorkerId: string | null;
  people: QuestionnairePerson[];
  /** The assessment's date (pre questionnaires hang on it); null until one is booked. */
  assessmentOn: string | null;
  /** When the family finished the programme (the case reached completed); post and follow-up hang on it. */
  programmeEndedOn: string | null;
};

type SummaryFacts = { id: string; reference: string; familyId: string; familyLabel: string; stage: string; programmeId: string | null; programmeName: string | null; caseWorkerId: string | null };

const completeFacts = async (trx: Trx, organisationId: string, rows: SummaryFacts[]): Promise<QuestionnaireCase[]> => {
  if (rows.length === 0) return [];
  const caseIds = rows.map((r) => r.id);
  const familyIds = [...new Set(rows.map((r) => r.familyId))];
  const people = await trx
    .selectFrom('familyMember')
    .innerJoin('person', 'person.id', 'familyMember.personId')
    .select(['familyMember.familyId', 'person.id as personId', 'person.givenName', 'person.familyName', 'person.isChild', 'person.dateOfBirth', 'person.gender', 'familyMember.relationship'])
    .where('familyMember.organisationId', '=', organisationId)
    .where('familyMember.familyId', 'in', familyIds)
    .orderBy('person.isChild')
    .orderBy('person.dateOfBirth')
    .execute();
  const assessments = await trx
    .selectFrom('assessment')
    .select(['caseId', 'scheduledAt'])
    .where('organisationId', '=', organisationId)
    .where('caseId', 'in', caseIds)
    .where('status', '!=', 'cancelled')
    .orderBy('scheduledAt', 'desc')
    .execute();
  const completions = await trx
    .selectFrom('caseStageChange')
    .select(['caseId', 'changedAt'])
    .where('organisationId', '=', organisationId)
    .where('caseId', 'in', caseIds)
    .where('toStage', '=', 'completed')
    .orderBy('changedAt', 'desc')
    .execute();
  return rows.map((r) => ({
    ...r,
    people: people
      .filter((p) => p.familyId === r.familyId)
      .map((p) => ({ personId: p.personId, name: `${p.givenName} ${p.familyName}`, isChild: p.isChild, dateOfBirth: p.dateOfBirth, relationship: p.relationship, gender: p.gender })),
    assessmentOn: assessments.find((a) => a.caseId === r.id)?.scheduledAt.toISOString().slice(0, 10) ?? null,
    programmeEndedOn: completions.find((c) => c.caseId === r.id)?.changedAt.toISOString().slice(0, 10) ?? null,
  }));
};

const factsOf = (row: SummaryFacts): SummaryFacts => ({
  id: row.id,
  reference: row.reference,
  familyId: row.familyId,
  familyLabel: row.familyLabel,
  stage: row.stage,
  programmeId: row.programmeId,
  programmeName: row.programmeName,
  caseWorkerId: row.caseWorkerId,
});

/** A case the actor may see (else 404), with its people and schedule dates. */
export const caseForQuestionnaires = async (trx: Trx, actor: Actor, caseId: string): Promise<QuestionnaireCase> => {
  const row = await loadCase(trx, actor, caseId);
  const [found] = await completeFacts(trx, orgOf(actor), [factsOf(row)]);
  if (!found) throw notFound('Case');
  return found;
};

/** A case by id within an organisation, with no person behind the request (a parent submitting through a link). */
export const caseForLink = async (trx: Trx, organisationId: string, caseId: string): Promise<QuestionnaireCase> => {
  const row = await summaryQuery(trx).where('familyCase.organisationId', '=', organisationId).where('familyCase.id', '=', caseId).executeTakeFirst();
  if (!row) throw notFound('Case');
  const [found] = await completeFacts(trx, organisationId, [factsOf(row)]);
  if (!found) throw notFound('Case');
  return found;
};

/** Several cases at once (My work), already filtered to what the caller may see. */
export const questionnaireCasesOf = async (trx: Trx, organisationId: string, rows: readonly SummaryFacts[]): Promise<QuestionnaireCase[]> =>
  completeFacts(trx, organisationId, rows.map(factsOf));

/**
 * A questionnaire alert: a safeguarding flag of kind questionnaire_alert on the family, recording the administration
 * that raised it, with a notification to the case worker and the service managers. The reason names the instrument and
 * the rule, never an answer. One alert per administration and reason, however often it is saved.
 */
export const raiseQuestionnaireAlert = async (
  trx: Trx,
  input: { organisationId: string; caseId: string; administrationId: string; reason: string; raisedBy: string | null; ip: string | null },
): Promise<boolean> => {
  const c = await trx
    .selectFrom('familyCase')
    .select(['id', 'reference', 'familyId', 'caseWorkerId'])
    .where('organisationId', '=', input.organisationId)
    .where('id', '=', input.caseId)
    .executeTakeFirst();
  if (!c) throw notFound('Case');
  const already = await trx
    .selectFrom('safeguardingFlag')
    .select('id')
    .where('organisationId', '=', input.organisationId)
    .where('administrationId', '=', input.administrationId)
    .where('reason', '=', input.reason)
    .executeTakeFirst();
  if (already) return false;
  const created = await trx
    .insertInto('safeguardingFlag')
    .values({ organisationId: input.organisationId, familyId: c.familyId, caseId: c.id, kind: 'questionnaire_alert', reason: input.reason, raisedBy: input.raisedBy, administrationId: input.administrationId })
    .returning('id')
    .executeTakeFirstOrThrow();
  const recipients = [...new Set([...(c.caseWorkerId ? [c.caseWorkerId] : []), ...(await managersOf(trx, input.organisationId))])];
  await notify(trx, {
    organisationId: input.organisationId,
    userIds: recipients,
    kind: 'questionnaire_alert',
    message: `Questionnaire alert: ${input.reason} (case ${c.reference}). A decision is needed.`,
    link: `/cases/${c.id}`,
  });
  await recordAudit(trx, {
    organisationId: input.organisationId,
    actorUserId: input.raisedBy,
    action: 'raise:safeguarding_flag',
    entityType: 'safeguarding_flag',
    entityId: created.id,
    ip: input.ip,
    detail: { caseId: c.id, kind: 'questionnaire_alert', administrationId: input.administrationId },
  });
  return true;
};

/** Open questionnaire alerts on a case worker's own cases: their task until a manager records the decision. */
export const questionnaireAlertsFor = async (trx: Trx, actor: Actor): Promise<{ caseId: string | null; reason: string; raisedAt: Date; reference: string | null }[]> =>
  trx
    .selectFrom('safeguardingFlag')
    .innerJoin('familyCase', 'familyCase.id', 'safeguardingFlag.caseId')
    .select(['safeguardingFlag.caseId', 'safeguardingFlag.reason', 'safeguardingFlag.raisedAt', 'familyCase.reference'])
    .where('safeguardingFlag.organisationId', '=', orgOf(actor))
    .where('safeguardingFlag.kind', '=', 'questionnaire_alert')
    .where('safeguardingFlag.status', '=', 'open')
    .where('familyCase.caseWorkerId', '=', actor.userId)
    .execute();

/** The email addresses recorded for these people (those with one), for reminders a parent asked to get by email or did not refuse. */
export const emailsOf = async (trx: Trx, organisationId: string, personIds: readonly string[]): Promise<Map<string, string>> => {
  if (personIds.length === 0) return new Map();
  const rows = await trx
    .selectFrom('person')
    .select(['id', 'email'])
    .where('organisationId', '=', organisationId)
    .where('id', 'in', [...personIds])
    .where('email', 'is not', null)
    .execute();
  return new Map(rows.flatMap((r) => (r.email ? [[r.id, r.email] as const] : [])));
};
