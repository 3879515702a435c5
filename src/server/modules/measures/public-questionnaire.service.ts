import { sql } from 'kysely';
import type { z } from 'zod';
import type { Answers, publicQuestionnaire, savedAnswers } from '../../../shared/contracts/questionnaires.ts';
import type { Db, Trx } from '../../db.ts';
import { APP_ROLE } from '../../platform/db/scope.ts';
import { AppError } from '../../platform/http/app-error.ts';
import { recordAudit } from '../audit/index.ts';
import { caseForLink } from '../cases/index.ts';
import { localToday } from './import.service.ts';
import type { InstrumentDefinition } from './instruments/index.ts';
import { entryFormOf, resolveInstrument } from './instruments.service.ts';
import type { EntryForm } from './licensed-form.ts';
import type { QuestionnaireLinkTable } from './measures.tables.ts';
import { answerProblems, formOf, storeAdministration, tokenHash } from './questionnaires.service.ts';

/*
 * The parent's side of a link (issue 4 item 6a). No account and no organisation: the token is the only key. A used,
 * expired, cancelled, unknown or malformed token gets the same answer, so the link reveals nothing by its refusal
 * either; and what it shows is the questionnaire and the answers so far, never the case.
 */

/** The one answer for every link that does not work. */
export const linkGone = (): AppError =>
  new AppError('not_found', 'This questionnaire link does not work. It may have been used already or have expired: ask the person who sent it for a new one.');

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

type OpenLink = {
  id: string;
  organisationId: string;
  caseId: string;
  personId: string;
  subjectPersonId: string | null;
  timepoint: QuestionnaireLinkTable['timepoint'];
  answers: Answers;
  expiresAt: Date;
  instrument: InstrumentDefinition;
  /** What the parent sees and answers: the organisation's licensed wording or printed BCAP form, if it loaded one. */
  form: EntryForm;
};

/**
 * Runs `work` for an open, unexpired link, as that link's organisation. The transaction may first read the one link
 * whose token hash it names (the row-level security policy questionnaire_link_by_token), to learn the organisation;
 * from then on it is scoped like any other request.
 */
const withLink = async <T>(db: Db, token: string, work: (trx: Trx, link: OpenLink) => Promise<T>, now = new Date()): Promise<T> => {
  if (!TOKEN_SHAPE.test(token)) throw linkGone();
  const hash = tokenHash(token);
  return db.transaction().execute(async (trx) => {
    await sql`SELECT set_config('role', ${APP_ROLE}, true), set_config('app.org_id', '', true), set_config('app.user_id', '', true), set_config('app.link_token_hash', ${hash}, true)`.execute(
      trx,
    );
    const row = await trx
      .selectFrom('questionnaireLink')
      .select(['id', 'organisationId', 'caseId', 'personId', 'subjectPersonId', 'instrumentId', 'timepoint', 'answers', 'status', 'expiresAt'])
      .where('tokenHash', '=', hash)
      .executeTakeFirst();
    if (!row || row.status !== 'open' || row.expiresAt <= now) throw linkGone();
    await sql`SELECT set_config('app.org_id', ${row.organisationId}, true)`.execute(trx);
    // The organisation's own instruments too; an own instrument's latest version is the one the parent answers.
    const instrument = await resolveInstrument(trx, row.organisationId, row.instrumentId);
    if (!instrument) throw linkGone();
    return work(trx, { ...row, instrument, form: await entryFormOf(trx, row.organisationId, instrument) });
  });
};

const audit = (trx: Trx, link: OpenLink, action: string, ip: string | null, detail: Record<string, unknown> = {}) =>
  recordAudit(trx, { organisationId: link.organisationId, actorUserId: null, action, entityType: 'questionnaire_link', entityId: link.id, ip, detail: { via: 'link', ...detail } });

export const openQuestionnaire = async (db: Db, token: string, ip: string | null): Promise<z.infer<typeof publicQuestionnaire>> =>
  withLink(db, token, async (trx, link) => {
    await audit(trx, link, 'view:questionnaire_link', ip);
    return { form: formOf(link.form.entry), answers: link.answers, completeBy: link.expiresAt.toISOString().slice(0, 10) };
  });

const checkAnswers = (instrument: InstrumentDefinition, answers: Answers): void => {
  const problems = answerProblems(instrument, answers, 'body.answers');
  if (problems.length > 0) throw new AppError('bad_request', `Nothing was saved: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, { fields: problems });
};

/**
 * Saves some answers (a null clears one). Merged into what is stored, so sending the same answers again changes
 * nothing, and two tabs saving different items do not overwrite each other.
 */
export const saveAnswers = async (db: Db, token: string, answers: Answers, ip: string | null): Promise<z.infer<typeof savedAnswers>> =>
  withLink(db, token, async (trx, link) => {
    checkAnswers(link.form.entry, answers);
    const savedAt = new Date();
    const row = await trx
      .updateTable('questionnaireLink')
      .set({ answers: sql<string>`answers || ${JSON.stringify(answers)}::jsonb`, lastSavedAt: savedAt })
      .where('id', '=', link.id)
      .returning('answers')
      .executeTakeFirstOrThrow();
    await audit(trx, link, 'save:questionnaire_answers', ip, { items: Object.keys(answers).length });
    return { answers: row.answers, savedAt: savedAt.toISOString() };
  });

/** Submits the questionnaire once: scores it, stores the administration, raises any alert, and spends the link. */
export const submitQuestionnaire = async (db: Db, token: string, answers: Answers | undefined, ip: string | null): Promise<{ status: 'submitted' }> =>
  withLink(db, token, async (trx, link) => {
    if (answers) checkAnswers(link.form.entry, answers);
    const all = { ...link.answers, ...(answers ?? {}) };
    // Spend the link first: of two submissions at once, the second finds it no longer open.
    const spent = await trx
      .updateTable('questionnaireLink')
      .set({ status: 'submitted', submittedAt: new Date(), answers: JSON.stringify(all) })
      .where('id', '=', link.id)
      .where('status', '=', 'open')
      .returning('id')
      .executeTakeFirst();
    if (!spent) throw linkGone();
    const c = await caseForLink(trx, link.organisationId, link.caseId);
    const person = c.people.find((p) => p.personId === link.personId);
    const subject = link.subjectPersonId ? (c.people.find((p) => p.personId === link.subjectPersonId) ?? null) : null;
    if (!person || (link.subjectPersonId && !subject)) throw linkGone();
    let administrationId: string;
    try {
      administrationId = await storeAdministration(trx, {
        organisationId: link.organisationId,
        c,
        target: { person, subject, instrument: link.instrument, timepoint: link.timepoint },
        responses: link.form.toScoring(all),
        completedOn: localToday(),
        source: 'link',
        userId: null,
        ip,
      });
    } catch (error) {
      // Staff keyed the paper form meanwhile: say so without naming anyone.
      if (error instanceof AppError && error.code === 'conflict') throw new AppError('conflict', 'This questionnaire has already been recorded. Thank you.');
      throw error;
    }
    await trx.updateTable('questionnaireLink').set({ administrationId }).where('id', '=', link.id).execute();
    await audit(trx, link, 'submit:questionnaire_link', ip, { administrationId });
    return { status: 'submitted' as const };
  });
