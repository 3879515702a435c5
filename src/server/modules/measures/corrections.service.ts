import type { z } from 'zod';
import type { AdministrationDetail, AdministrationSummary, cancelledLink, correctPaperFormBody } from '../../../shared/contracts/questionnaires.ts';
import type { Db } from '../../db.ts';
import { inScope } from '../../platform/db/scope.ts';
import { scopeOf, type Actor } from '../../platform/http/actor.ts';
import { AppError, notFound, staleVersion, type FieldProblem } from '../../platform/http/app-error.ts';
import { recordAudit } from '../audit/index.ts';
import { caseForQuestionnaires, raiseQuestionnaireAlert } from '../cases/index.ts';
import { ownAlerts } from './alerts.ts';
import { localToday } from './import.service.ts';
import { entryFormOf, resolveInstrument } from './instruments.service.ts';
import { answerProblems, caseQuestionnaires, formOf, mismatchesOf } from './questionnaires.service.ts';
import { scoreAdministration } from './scoring/index.ts';

/*
 * Two things staff undo (issue 4, "Not yet" until now): cancelling a link they sent, and correcting a paper form keyed
 * wrongly. A correction keeps what the form said before (administration_revision), is audited, and is rescored.
 */

const orgOf = (actor: Actor): string => {
  if (!actor.organisationId) throw new AppError('forbidden', 'Choose an organisation first');
  return actor.organisationId;
};

/** Cancels an open link of the case: it then answers like any link that does not work. */
export const cancelQuestionnaireLink = async (db: Db, actor: Actor, caseId: string, linkId: string): Promise<z.infer<typeof cancelledLink>> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const c = await caseForQuestionnaires(trx, actor, caseId);
    const link = await trx
      .selectFrom('questionnaireLink')
      .select(['id', 'status', 'expiresAt', 'instrumentId', 'timepoint', 'personId'])
      .where('organisationId', '=', organisationId)
      .where('caseId', '=', c.id)
      .where('id', '=', linkId)
      .executeTakeFirst();
    if (!link) throw notFound('Link');
    const cancelled = await trx
      .updateTable('questionnaireLink')
      .set({ status: 'cancelled' })
      .where('id', '=', link.id)
      .where('status', '=', 'open')
      .returning('id')
      .executeTakeFirst();
    if (!cancelled) throw new AppError('conflict', link.status === 'submitted' ? 'The parent has already sent this questionnaire' : 'This link is already cancelled');
    await recordAudit(trx, {
      organisationId,
      actorUserId: actor.userId,
      action: 'cancel:questionnaire_link',
      entityType: 'questionnaire_link',
      entityId: link.id,
      ip: actor.ip,
      detail: { caseId: c.id, personId: link.personId, instrument: link.instrumentId, timepoint: link.timepoint },
    });
    return { linkId: link.id, status: 'cancelled' as const };
  });

/**
 * Corrects a paper form: the answers (and date) are replaced, the form is rescored by the instrument version it was
 * scored with, and the version goes up. What it said before is kept in administration_revision with the reason. Only
 * paper forms: what a parent sent through a link is theirs, and imports are corrected by importing again.
 */
export const correctPaperForm = async (
  db: Db,
  actor: Actor,
  caseId: string,
  administrationId: string,
  body: z.infer<typeof correctPaperFormBody>,
  today = localToday(),
): Promise<AdministrationSummary> => {
  await inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const c = await caseForQuestionnaires(trx, actor, caseId);
    const row = await trx
      .selectFrom('administration')
      .selectAll()
      .where('organisationId', '=', organisationId)
      .where('caseId', '=', c.id)
      .where('id', '=', administrationId)
      .executeTakeFirst();
    if (!row) throw notFound('Questionnaire');
    if (row.source !== 'paper') throw new AppError('conflict', 'Only a paper form keyed by staff can be corrected; this one was answered by the parent through a link or imported');
    if (row.version !== body.version) throw staleVersion('The questionnaire');
    const instrument = await resolveInstrument(trx, organisationId, row.instrumentId, row.instrumentVersion);
    if (!instrument) throw new AppError('internal', `Instrument ${row.instrumentId} version ${row.instrumentVersion} is not known`);
    const { entry, toScoring } = await entryFormOf(trx, organisationId, instrument);

    const problems: FieldProblem[] = [];
    if (body.completedOn > today) problems.push({ path: 'body.completedOn', message: 'must not be in the future' });
    problems.push(...answerProblems(entry, body.responses, 'body.responses'));
    if (body.secondEntry) problems.push(...answerProblems(entry, body.secondEntry, 'body.secondEntry'));
    if (Object.values(body.responses).every((v) => v === null)) problems.push({ path: 'body.responses', message: 'enter at least one answer' });
    if (problems.length === 0 && body.secondEntry) problems.push(...mismatchesOf(entry, body.responses, body.secondEntry));
    if (problems.length > 0) throw new AppError('bad_request', `Nothing was saved: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, { fields: problems });

    const scoring = toScoring(body.responses);
    const responses = Object.fromEntries(instrument.items.map((item) => [item.key, scoring[item.key] ?? null]));
    const result = scoreAdministration(instrument, responses);
    await trx
      .insertInto('administrationRevision')
      .values({
        organisationId,
        administrationId: row.id,
        version: row.version,
        completedOn: row.completedOn,
        instrumentVersion: row.instrumentVersion,
        responses: JSON.stringify(row.responses),
        status: row.status,
        scores: JSON.stringify(row.scores),
        bands: JSON.stringify(row.bands),
        flags: row.flags,
        valid: row.valid,
        reason: body.reason,
        replacedBy: actor.userId,
      })
      .execute();
    const updated = await trx
      .updateTable('administration')
      .set({
        completedOn: body.completedOn,
        responses: JSON.stringify(responses),
        status: result.status,
        scores: JSON.stringify(result.scores),
        bands: JSON.stringify(result.bands),
        flags: result.flags,
        valid: result.valid,
        version: row.version + 1,
        updatedAt: new Date(),
      })
      .where('id', '=', row.id)
      .where('version', '=', row.version)
      .returning('id')
      .executeTakeFirst();
    if (!updated) throw staleVersion('The questionnaire');
    const changed = instrument.items.filter((item) => (row.responses[item.key] ?? null) !== (responses[item.key] ?? null)).map((item) => item.key);
    await recordAudit(trx, {
      organisationId,
      actorUserId: actor.userId,
      action: 'correct:administration',
      entityType: 'administration',
      entityId: row.id,
      ip: actor.ip,
      detail: { caseId: c.id, instrument: instrument.id, timepoint: row.timepoint, version: row.version + 1, itemsChanged: changed, reason: body.reason },
    });
    // A correction that now shows a risk raises its alert; one already raised is not raised twice.
    const respondent = await trx.selectFrom('respondent').select('personId').where('id', '=', row.respondentId).executeTakeFirst();
    const name = c.people.find((p) => p.personId === respondent?.personId)?.name ?? 'a parent';
    for (const reason of ownAlerts(instrument, result, row.timepoint)) {
      await raiseQuestionnaireAlert(trx, { organisationId, caseId: c.id, administrationId: row.id, reason: `${reason}, answered by ${name}`, raisedBy: actor.userId, ip: actor.ip });
    }
  });
  const all = await caseQuestionnaires(db, actor, caseId, today, false);
  const saved = all.administrations.find((a) => a.id === administrationId);
  if (!saved) throw new AppError('internal', 'The corrected form could not be read back');
  return saved;
};

/**
 * One administration of the case with its answers keyed as the organisation's form shows them (so a paper form can be
 * corrected as it was keyed) and every correction made to it: what it said before, why, by whom. Answers are personal
 * data: audited.
 */
export const administrationDetail = async (db: Db, actor: Actor, caseId: string, administrationId: string, today = localToday()): Promise<AdministrationDetail> => {
  const all = await caseQuestionnaires(db, actor, caseId, today, false);
  const summary = all.administrations.find((a) => a.id === administrationId);
  if (!summary) throw notFound('Questionnaire');
  return inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const row = await trx
      .selectFrom('administration')
      .select(['id', 'caseId', 'instrumentId', 'instrumentVersion', 'completedOn', 'responses'])
      .where('organisationId', '=', organisationId)
      .where('id', '=', administrationId)
      .executeTakeFirst();
    if (!row || row.caseId !== caseId) throw notFound('Questionnaire');
    const instrument = await resolveInstrument(trx, organisationId, row.instrumentId, row.instrumentVersion);
    if (!instrument) throw new AppError('internal', `Instrument ${row.instrumentId} version ${row.instrumentVersion} is not known`);
    const { entry, fromScoring } = await entryFormOf(trx, organisationId, instrument);
    const revisions = await trx
      .selectFrom('administrationRevision')
      .leftJoin('appUser', 'appUser.id', 'administrationRevision.replacedBy')
      .select([
        'administrationRevision.version',
        'administrationRevision.completedOn',
        'administrationRevision.responses',
        'administrationRevision.status',
        'administrationRevision.scores',
        'administrationRevision.bands',
        'administrationRevision.flags',
        'administrationRevision.reason',
        'administrationRevision.replacedAt',
        'appUser.name as replacedByName',
      ])
      .where('administrationRevision.organisationId', '=', organisationId)
      .where('administrationRevision.administrationId', '=', row.id)
      .orderBy('administrationRevision.version')
      .execute();
    await recordAudit(trx, { organisationId, actorUserId: actor.userId, action: 'view:administration', entityType: 'administration', entityId: row.id, ip: actor.ip, detail: { caseId, revisions: revisions.length } });
    return {
      administration: summary,
      form: formOf(entry),
      responses: fromScoring(row.responses),
      revisions: revisions.map((r, i) => {
        // What replaced these answers: the next revision, or the form as it stands.
        const next = revisions[i + 1] ?? { responses: row.responses, completedOn: row.completedOn };
        return {
          version: r.version,
          completedOn: r.completedOn,
          status: r.status === 'scored' ? ('scored' as const) : ('not_scorable' as const),
          scores: r.scores,
          bands: r.bands,
          flags: r.flags,
          reason: r.reason,
          replacedByName: r.replacedByName,
          replacedAt: r.replacedAt.toISOString(),
          itemsChanged: instrument.items.filter((item) => (r.responses[item.key] ?? null) !== (next.responses[item.key] ?? null)).map((item) => item.key),
          dateChanged: r.completedOn !== next.completedOn,
        };
      }),
    };
  });
};
