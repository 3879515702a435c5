import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { z } from 'zod';
import type {
  AdministrationSummary,
  Answers,
  CaseQuestionnaires,
  QuestionnaireForm,
  Timepoint,
  createLinkBody,
  createdLink,
  paperEntryBody,
  ProgrammeSchedule,
  setScheduleBody,
} from '../../../shared/contracts/questionnaires.ts';
import type { Db, Trx } from '../../db.ts';
import { inScope } from '../../platform/db/scope.ts';
import { scopeOf, type Actor } from '../../platform/http/actor.ts';
import { AppError, badField, notFound, staleVersion, type FieldProblem } from '../../platform/http/app-error.ts';
import { recordAudit } from '../audit/index.ts';
import { caseForQuestionnaires, raiseQuestionnaireAlert, type QuestionnaireCase, type QuestionnairePerson } from '../cases/index.ts';
import { findProgramme, groupEndsOf } from '../programmes/index.ts';
import { ownAlerts, seriesAlerts, shortTitle } from './alerts.ts';
import { localToday } from './import.service.ts';
import { builtInInstruments, type InstrumentDefinition } from './instruments/index.ts';
import { entryFormOf, instrumentLibrary, resolveInstrument } from './instruments.service.ts';
import type { RespondentRole } from './measures.tables.ts';
import { anchorsFrom, builtInSchedules, expectationKey, expectedAdministrations, scheduleSchemaFor, stateOf, type MeasurementSchedule } from './schedule.ts';
import { scoreAdministration, validateResponses } from './scoring/index.ts';

/** How long a parent's link works. Long enough to be chased once; short enough that an old message is harmless. */
export const LINK_DAYS = 14;

// ---- Forms ----

/** SDQ forms filled in by a parent or teacher are about a child (the same rule as the CSV import). */
export const isAboutAChild = (instrument: InstrumentDefinition): boolean =>
  instrument.id.startsWith('sdq-') && (instrument.respondent === 'parent' || instrument.respondent === 'teacher');

/** What a respondent or a member of staff keying a paper form sees: wording only where the licence allows it. */
export const formOf = (instrument: InstrumentDefinition): QuestionnaireForm => {
  const wordingShown = instrument.licence.wordingAllowed;
  return {
    instrumentId: instrument.id,
    title: instrument.title,
    instructions: wordingShown ? (instrument.stem ?? null) : null,
    recallPeriod: wordingShown ? (instrument.recallPeriod ?? null) : null,
    copyrightNotice: instrument.licence.copyrightNotice ?? null,
    wordingShown,
    aboutAChild: isAboutAChild(instrument),
    items: instrument.items.map((item) => ({
      key: item.key,
      text: wordingShown ? (item.text ?? null) : null,
      // Unlabelled options (QMI's 1–7) show their number: the printed scale's anchors are the only labels.
      options: item.options.map((option) => ({ value: option.value, label: option.label ?? String(option.value) })),
    })),
  };
};

export const questionnaireForms = (): QuestionnaireForm[] => builtInInstruments.map(formOf);

/** The forms of every instrument the organisation can give: the built-ins and its own. */
export const organisationForms = async (db: Db, actor: Actor): Promise<QuestionnaireForm[]> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const forms: QuestionnaireForm[] = [];
    // With the organisation's licensed wording or BCAP key where it has loaded them.
    for (const instrument of (await instrumentLibrary(trx, organisationId)).values()) forms.push(formOf((await entryFormOf(trx, organisationId, instrument)).entry));
    return forms;
  });

// ---- Shared by links and paper entry ----

export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

const roleOf = (person: QuestionnairePerson): RespondentRole => {
  if (person.isChild) return 'child';
  if (['foster_carer', 'special_guardian', 'other_carer'].includes(person.relationship)) return 'carer';
  if (person.gender === 'female') return 'mother';
  if (person.gender === 'male') return 'father';
  return 'carer';
};

/** The programme's stored schedule, else the built-in one for its name, else none. */
export const scheduleOf = async (trx: Trx, organisationId: string, c: Pick<QuestionnaireCase, 'programmeId' | 'programmeName'>): Promise<MeasurementSchedule> => {
  if (!c.programmeId) return [];
  const stored = await trx
    .selectFrom('measurementSchedule')
    .select('entries')
    .where('organisationId', '=', organisationId)
    .where('programmeId', '=', c.programmeId)
    .executeTakeFirst();
  if (stored) {
    // Instruments are checked when the schedule is set; one removed since is skipped when the schedule is read.
    const parsed = scheduleSchemaFor(() => true).safeParse(stored.entries);
    if (parsed.success) return parsed.data;
  }
  return builtInSchedules[c.programmeName ?? ''] ?? [];
};

/** Gives a programme its own schedule (validated), replacing the built-in one. For templates and the demo. */
export const setMeasurementSchedule = async (trx: Trx, organisationId: string, programmeId: string, entries: MeasurementSchedule, userId: string | null): Promise<void> => {
  const library = await instrumentLibrary(trx, organisationId);
  const valid = scheduleSchemaFor((id) => library.has(id)).parse(entries);
  await trx
    .insertInto('measurementSchedule')
    .values({ organisationId, programmeId, entries: JSON.stringify(valid), updatedBy: userId })
    .onConflict((oc) => oc.columns(['organisationId', 'programmeId']).doUpdateSet({ entries: JSON.stringify(valid), updatedBy: userId, updatedAt: new Date(), version: sql<number>`measurement_schedule.version + 1` }))
    .execute();
};

const programmeOf = async (trx: Trx, organisationId: string, programmeId: string) => {
  const programme = await findProgramme(trx, organisationId, programmeId);
  if (!programme) throw notFound('Programme');
  return programme;
};

const readSchedule = async (trx: Trx, organisationId: string, programme: { id: string; name: string }): Promise<ProgrammeSchedule> => {
  const stored = await trx.selectFrom('measurementSchedule').select(['entries', 'version']).where('organisationId', '=', organisationId).where('programmeId', '=', programme.id).executeTakeFirst();
  const entries = await scheduleOf(trx, organisationId, { programmeId: programme.id, programmeName: programme.name });
  const origin = stored ? 'stored' : builtInSchedules[programme.name] ? 'built_in' : 'none';
  return { programmeId: programme.id, programmeName: programme.name, entries, origin, version: stored?.version ?? null };
};

/** A programme's schedule as the page edits it: its own, else the built-in one for its name, else none. */
export const programmeSchedule = async (db: Db, actor: Actor, programmeId: string): Promise<ProgrammeSchedule> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    return readSchedule(trx, organisationId, await programmeOf(trx, organisationId, programmeId));
  });

/**
 * Sets a programme's schedule from the web page. Each problem is named at its field (an unknown instrument at
 * `body.entries.2.instrumentId`); a schedule changed since it was read answers 409. Families already measured keep
 * what they gave: the schedule only says what is expected from now on. Audited.
 */
export const saveProgrammeSchedule = async (db: Db, actor: Actor, programmeId: string, body: z.infer<typeof setScheduleBody>): Promise<ProgrammeSchedule> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const programme = await programmeOf(trx, organisationId, programmeId);
    const library = await instrumentLibrary(trx, organisationId);
    const problems: FieldProblem[] = [];
    const seen = new Map<string, number>();
    body.entries.forEach((entry, i) => {
      const instrument = library.get(entry.instrumentId);
      if (!instrument) problems.push({ path: `body.entries.${i}.instrumentId`, message: `"${entry.instrumentId}" is not a questionnaire this organisation can give` });
      else if (entry.aboutEachChild !== isAboutAChild(instrument)) {
        problems.push({ path: `body.entries.${i}.aboutEachChild`, message: isAboutAChild(instrument) ? `${instrument.title} is about a child: it is given about each child` : `${instrument.title} is not about a child` });
      }
      if (seen.has(entry.instrumentId)) problems.push({ path: `body.entries.${i}.instrumentId`, message: `${entry.instrumentId} is already in the schedule (entry ${(seen.get(entry.instrumentId) ?? 0) + 1})` });
      else seen.set(entry.instrumentId, i);
      if (entry.childAge && !entry.aboutEachChild) problems.push({ path: `body.entries.${i}.childAge`, message: 'an age range applies only to a questionnaire about each child' });
    });
    if (problems.length > 0) throw new AppError('bad_request', `The schedule was not saved: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, { fields: problems });
    const valid = scheduleSchemaFor((id) => library.has(id)).parse(body.entries);
    const stored = await trx.selectFrom('measurementSchedule').select('version').where('organisationId', '=', organisationId).where('programmeId', '=', programme.id).executeTakeFirst();
    if ((stored?.version ?? null) !== body.version) throw staleVersion("The programme's schedule");
    const written = stored
      ? await trx
          .updateTable('measurementSchedule')
          .set({ entries: JSON.stringify(valid), updatedBy: actor.userId, updatedAt: new Date(), version: stored.version + 1 })
          .where('organisationId', '=', organisationId)
          .where('programmeId', '=', programme.id)
          .where('version', '=', stored.version)
          .returning('version')
          .executeTakeFirst()
      : await trx
          .insertInto('measurementSchedule')
          .values({ organisationId, programmeId: programme.id, entries: JSON.stringify(valid), updatedBy: actor.userId })
          .onConflict((oc) => oc.columns(['organisationId', 'programmeId']).doNothing())
          .returning('version')
          .executeTakeFirst();
    if (!written) throw staleVersion("The programme's schedule");
    await recordAudit(trx, {
      organisationId,
      actorUserId: actor.userId,
      action: 'update:measurement_schedule',
      entityType: 'programme',
      entityId: programme.id,
      ip: actor.ip,
      detail: { version: written.version, instruments: valid.map((e) => `${e.instrumentId}:${e.timepoints.map((t) => `${t.timepoint}±${t.windowDays}`).join(',')}`) },
    });
    return readSchedule(trx, organisationId, programme);
  });

type Target = { person: QuestionnairePerson; subject: QuestionnairePerson | null; instrument: InstrumentDefinition; timepoint: Timepoint };

/** Who answers, about whom, which questionnaire: each checked against the family, with the field named. */
const targetOf = (
  c: QuestionnaireCase,
  body: { personId: string; instrumentId: string; timepoint: Timepoint; subjectPersonId?: string | undefined },
  instrument: InstrumentDefinition | undefined,
): Target => {
  const problems: FieldProblem[] = [];
  if (!instrument) problems.push({ path: 'body.instrumentId', message: 'is not a questionnaire Tandem knows' });
  const person = c.people.find((p) => p.personId === body.personId && !p.isChild);
  if (!person) problems.push({ path: 'body.personId', message: 'is not a parent or carer in this family' });
  let subject: QuestionnairePerson | null = null;
  if (instrument && isAboutAChild(instrument)) {
    if (!body.subjectPersonId) problems.push({ path: 'body.subjectPersonId', message: `choose the child ${instrument.title} is about` });
    else {
      subject = c.people.find((p) => p.personId === body.subjectPersonId && p.isChild) ?? null;
      if (!subject) problems.push({ path: 'body.subjectPersonId', message: 'is not a child in this family' });
    }
  } else if (instrument && body.subjectPersonId) {
    problems.push({ path: 'body.subjectPersonId', message: `must be left out: ${instrument.title} is not about a child` });
  }
  if (problems.length > 0 || !instrument || !person) {
    throw new AppError('bad_request', problems.map((p) => `${p.path}: ${p.message}`).join('; '), { fields: problems });
  }
  return { person, subject, instrument, timepoint: body.timepoint };
};

/** The respondent record of a person, made on first use. Its reference is the person's id (the import uses the organisation's own). */
const respondentOf = async (trx: Trx, organisationId: string, personId: string): Promise<string> => {
  const found = await trx.selectFrom('respondent').select('id').where('organisationId', '=', organisationId).where('personId', '=', personId).executeTakeFirst();
  if (found) return found.id;
  await trx
    .insertInto('respondent')
    .values({ organisationId, externalRef: `person:${personId}`, personId })
    .onConflict((oc) => oc.columns(['organisationId', 'externalRef']).doNothing())
    .execute();
  return (await trx.selectFrom('respondent').select('id').where('organisationId', '=', organisationId).where('externalRef', '=', `person:${personId}`).executeTakeFirstOrThrow()).id;
};

/** An administration already stored for this respondent, subject, instrument, timepoint and programme (the identity key). */
const existingAdministration = async (trx: Trx, organisationId: string, c: QuestionnaireCase, target: Target): Promise<string | null> => {
  const respondent = await trx.selectFrom('respondent').select('id').where('organisationId', '=', organisationId).where('personId', '=', target.person.personId).executeTakeFirst();
  if (!respondent) return null;
  const row = await trx
    .selectFrom('administration')
    .select('id')
    .where('organisationId', '=', organisationId)
    .where('respondentId', '=', respondent.id)
    .where('subjectRef', '=', target.subject?.personId ?? '')
    .where('instrumentId', '=', target.instrument.id)
    .where('timepoint', '=', target.timepoint)
    .where('programme', '=', c.programmeName ?? '')
    .where('groupLabel', '=', '')
    .executeTakeFirst();
  return row?.id ?? null;
};

const alreadyRecorded = (target: Target): AppError =>
  new AppError('conflict', `${target.instrument.title} at ${target.timepoint} is already recorded for ${target.person.name}${target.subject ? ` about ${target.subject.name}` : ''}`);

/**
 * Scores and stores an administration given in the app (a submitted link or a paper form), then raises any alert it
 * calls for, all in the caller's transaction.
 */
export const storeAdministration = async (
  trx: Trx,
  input: { organisationId: string; c: QuestionnaireCase; target: Target; responses: Answers; completedOn: string; source: 'link' | 'paper'; userId: string | null; ip: string | null },
): Promise<string> => {
  const { organisationId, c, target } = input;
  if (await existingAdministration(trx, organisationId, c, target)) throw alreadyRecorded(target);
  // Every item is stored, null where it was not answered, as the import does.
  const responses = Object.fromEntries(target.instrument.items.map((item) => [item.key, input.responses[item.key] ?? null]));
  const result = scoreAdministration(target.instrument, responses);
  const respondentId = await respondentOf(trx, organisationId, target.person.personId);
  const inserted = await trx
    .insertInto('administration')
    .values({
      organisationId,
      respondentId,
      respondentRole: roleOf(target.person),
      subjectRef: target.subject?.personId ?? '',
      familyRef: c.reference,
      programme: c.programmeName ?? '',
      groupLabel: '',
      instrumentId: target.instrument.id,
      instrumentVersion: Number(target.instrument.version),
      timepoint: target.timepoint,
      completedOn: input.completedOn,
      source: input.source,
      responses: JSON.stringify(responses),
      status: result.status,
      scores: JSON.stringify(result.scores),
      bands: JSON.stringify(result.bands),
      flags: result.flags,
      valid: result.valid,
      importBatchId: null,
      caseId: c.id,
      createdBy: input.userId,
    })
    // Two submissions racing for the same key: the unique index decides, and the loser is told it is recorded.
    .onConflict((oc) => oc.columns(['organisationId', 'respondentId', 'subjectRef', 'instrumentId', 'timepoint', 'programme', 'groupLabel']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) throw alreadyRecorded(target);
  await recordAudit(trx, {
    organisationId,
    actorUserId: input.userId,
    action: 'create:administration',
    entityType: 'administration',
    entityId: inserted.id,
    ip: input.ip,
    detail: { caseId: c.id, personId: target.person.personId, instrument: target.instrument.id, timepoint: target.timepoint, source: input.source },
  });

  const series = await trx
    .selectFrom('administration')
    .select(['timepoint', 'status', 'scores'])
    .where('organisationId', '=', organisationId)
    .where('respondentId', '=', respondentId)
    .where('subjectRef', '=', target.subject?.personId ?? '')
    .where('instrumentId', '=', target.instrument.id)
    .where('status', '=', 'scored')
    .where('id', '!=', inserted.id)
    .execute();
  const reasons = [
    ...ownAlerts(target.instrument, result, target.timepoint),
    ...(result.status === 'scored' ? seriesAlerts(target.instrument, { timepoint: target.timepoint, status: result.status, scores: result.scores }, series) : []),
  ];
  for (const reason of reasons) {
    await raiseQuestionnaireAlert(trx, { organisationId, caseId: c.id, administrationId: inserted.id, reason: `${reason}, answered by ${target.person.name}`, raisedBy: input.userId, ip: input.ip });
  }
  return inserted.id;
};

// ---- Staff ----

const orgOf = (actor: Actor): string => {
  if (!actor.organisationId) throw new AppError('forbidden', 'Choose an organisation first');
  return actor.organisationId;
};

const newToken = (): string => randomBytes(32).toString('base64url');

/** A single-use link for a parent; an open link for the same questionnaire is replaced, so only the newest works. */
export const createQuestionnaireLink = async (db: Db, actor: Actor, caseId: string, body: z.infer<typeof createLinkBody>, now = new Date()): Promise<z.infer<typeof createdLink>> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const c = await caseForQuestionnaires(trx, actor, caseId);
    const target = targetOf(c, body, await resolveInstrument(trx, organisationId, body.instrumentId));
    if (await existingAdministration(trx, organisationId, c, target)) throw alreadyRecorded(target);
    const replaced = await trx
      .updateTable('questionnaireLink')
      .set({ status: 'cancelled' })
      .where('organisationId', '=', organisationId)
      .where('caseId', '=', c.id)
      .where('personId', '=', target.person.personId)
      .where('instrumentId', '=', target.instrument.id)
      .where('timepoint', '=', target.timepoint)
      .where((eb) => (target.subject ? eb('subjectPersonId', '=', target.subject.personId) : eb('subjectPersonId', 'is', null)))
      .where('status', '=', 'open')
      .returning('id')
      .execute();
    const token = newToken();
    const expiresAt = new Date(now.getTime() + LINK_DAYS * 86_400_000);
    const link = await trx
      .insertInto('questionnaireLink')
      .values({
        organisationId,
        caseId: c.id,
        personId: target.person.personId,
        subjectPersonId: target.subject?.personId ?? null,
        instrumentId: target.instrument.id,
        timepoint: target.timepoint,
        tokenHash: tokenHash(token),
        expiresAt,
        createdBy: actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      organisationId,
      actorUserId: actor.userId,
      action: 'create:questionnaire_link',
      entityType: 'questionnaire_link',
      entityId: link.id,
      ip: actor.ip,
      detail: { caseId: c.id, personId: target.person.personId, instrument: target.instrument.id, timepoint: target.timepoint, replaced: replaced.map((r) => r.id) },
    });
    return { linkId: link.id, path: `/q/${token}`, expiresAt: expiresAt.toISOString() };
  });

/** Each answer's problem as a field of the body (`body.responses.6`), so a page can point at the item. */
export const answerProblems = (instrument: InstrumentDefinition, answers: Answers, field: string): FieldProblem[] =>
  validateResponses(instrument, answers).map((p) => ({ path: `${field}.${p.item}`, message: p.message.replace(/^item "[^"]*": /, '') }));

export const mismatchesOf = (instrument: InstrumentDefinition, first: Answers, second: Answers): FieldProblem[] =>
  instrument.items
    .filter((item) => (first[item.key] ?? null) !== (second[item.key] ?? null))
    .map((item) => ({
      path: `body.secondEntry.${item.key}`,
      message: `item ${item.key} was keyed as ${first[item.key] ?? 'not answered'} the first time and ${second[item.key] ?? 'not answered'} the second`,
    }));

/** Staff key a paper form; with a second entry, any item keyed differently refuses the save and is listed. */
export const enterPaperForm = async (db: Db, actor: Actor, caseId: string, body: z.infer<typeof paperEntryBody>, today = localToday()): Promise<AdministrationSummary> => {
  const administrationId = await inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const c = await caseForQuestionnaires(trx, actor, caseId);
    const target = targetOf(c, body, await resolveInstrument(trx, organisationId, body.instrumentId));
    // Keyed as the organisation's form shows it: with a BCAP key, by printed item number, turned into roles below.
    const { entry, toScoring } = await entryFormOf(trx, organisationId, target.instrument);
    const problems: FieldProblem[] = [];
    if (body.completedOn > today) problems.push({ path: 'body.completedOn', message: 'must not be in the future' });
    problems.push(...answerProblems(entry, body.responses, 'body.responses'));
    if (body.secondEntry) problems.push(...answerProblems(entry, body.secondEntry, 'body.secondEntry'));
    if (Object.values(body.responses).every((v) => v === null)) problems.push({ path: 'body.responses', message: 'enter at least one answer' });
    if (problems.length === 0 && body.secondEntry) problems.push(...mismatchesOf(entry, body.responses, body.secondEntry));
    if (problems.length > 0) {
      throw new AppError('bad_request', `Nothing was saved: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, { fields: problems });
    }
    return storeAdministration(trx, { organisationId, c, target, responses: toScoring(body.responses), completedOn: body.completedOn, source: 'paper', userId: actor.userId, ip: actor.ip });
  });
  const all = await caseQuestionnaires(db, actor, caseId, today, false);
  const saved = all.administrations.find((a) => a.id === administrationId);
  if (!saved) throw new AppError('internal', 'The saved form could not be read back');
  return saved;
};

/** The case's administrations, links and what the schedule expects of the family. */
export const caseQuestionnaires = async (db: Db, actor: Actor, caseId: string, today = localToday(), audit = true): Promise<CaseQuestionnaires> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const c = await caseForQuestionnaires(trx, actor, caseId);
    const nameOf = (personId: string | null): string | null => (personId ? (c.people.find((p) => p.personId === personId)?.name ?? null) : null);
    const library = await instrumentLibrary(trx, organisationId);
    const titleOf = (id: string): string => {
      const instrument = library.get(id);
      return instrument ? shortTitle(instrument) : id;
    };
    const rows = await trx
      .selectFrom('administration')
      .innerJoin('respondent', 'respondent.id', 'administration.respondentId')
      .select([
        'administration.id',
        'respondent.personId',
        'administration.subjectRef',
        'administration.instrumentId',
        'administration.timepoint',
        'administration.completedOn',
        'administration.source',
        'administration.status',
        'administration.scores',
        'administration.bands',
        'administration.flags',
        'administration.valid',
        'administration.version',
      ])
      .where('administration.organisationId', '=', organisationId)
      .where('administration.caseId', '=', c.id)
      .orderBy('administration.completedOn')
      .orderBy('administration.createdAt')
      .execute();
    const alerts = rows.length
      ? await trx
          .selectFrom('safeguardingFlag')
          .select(['administrationId', 'reason'])
          .where('organisationId', '=', organisationId)
          .where('administrationId', 'in', rows.map((r) => r.id))
          .where('status', '=', 'open')
          .execute()
      : [];
    const administrations: AdministrationSummary[] = rows.map((r) => ({
      id: r.id,
      personId: r.personId,
      personName: nameOf(r.personId),
      subjectPersonId: r.subjectRef === '' ? null : r.subjectRef,
      subjectName: r.subjectRef === '' ? null : nameOf(r.subjectRef),
      instrumentId: r.instrumentId,
      instrumentTitle: titleOf(r.instrumentId),
      timepoint: r.timepoint,
      completedOn: r.completedOn,
      source: r.source,
      status: r.status,
      scores: r.scores,
      bands: r.bands,
      flags: r.flags,
      valid: r.valid,
      alerts: alerts.filter((a) => a.administrationId === r.id).map((a) => a.reason),
      version: r.version,
    }));
    const links = await trx
      .selectFrom('questionnaireLink')
      .select(['id', 'personId', 'subjectPersonId', 'instrumentId', 'timepoint', 'status', 'answers', 'expiresAt', 'createdAt'])
      .where('organisationId', '=', organisationId)
      .where('caseId', '=', c.id)
      .orderBy('createdAt', 'desc')
      .limit(200)
      .execute();
    const now = new Date();
    const done = new Set(administrations.map((a) => expectationKey({ personId: a.personId ?? '', subjectPersonId: a.subjectPersonId, instrumentId: a.instrumentId, timepoint: a.timepoint })));
    const groupEnds = await groupEndsOf(trx, organisationId, [c.id]);
    const expected = expectedAdministrations(await scheduleOf(trx, organisationId, c), c.people, anchorsOf(c, groupEnds), (id) => library.get(id)).map((x) => ({
      personId: x.personId,
      personName: x.personName,
      subjectPersonId: x.subjectPersonId,
      subjectName: x.subjectName,
      instrumentId: x.instrument.id,
      instrumentTitle: shortTitle(x.instrument),
      timepoint: x.timepoint,
      opensOn: x.opensOn,
      dueOn: x.dueOn,
      state: stateOf(x, done.has(expectationKey({ ...x, instrumentId: x.instrument.id })), today),
    }));
    if (audit) {
      await recordAudit(trx, { organisationId, actorUserId: actor.userId, action: 'view:administration', entityType: 'case', entityId: c.id, ip: actor.ip, detail: { administrations: rows.length } });
    }
    return {
      administrations,
      links: links.map((l) => ({
        id: l.id,
        personId: l.personId,
        personName: nameOf(l.personId) ?? 'Someone no longer in the family',
        subjectPersonId: l.subjectPersonId,
        subjectName: nameOf(l.subjectPersonId),
        instrumentId: l.instrumentId,
        instrumentTitle: titleOf(l.instrumentId),
        timepoint: l.timepoint,
        status: l.status === 'open' && l.expiresAt <= now ? ('expired' as const) : l.status,
        answered: Object.values(l.answers).filter((v) => v !== null).length,
        itemCount: library.get(l.instrumentId)?.items.length ?? 0,
        expiresAt: l.expiresAt.toISOString(),
        createdAt: l.createdAt.toISOString(),
      })),
      expected,
    };
  });

/** Post hangs on the last session of the family's group; a case in no group (therapy, say) on the day it completed. */
const anchorsOf = (c: Pick<QuestionnaireCase, 'id' | 'assessmentOn' | 'programmeEndedOn'>, groupEnds: ReadonlyMap<string, string>) =>
  anchorsFrom({ assessmentOn: c.assessmentOn, programmeEndedOn: groupEnds.get(c.id) ?? c.programmeEndedOn });

// ---- My work ----

export type QuestionnaireTask = {
  kind: 'questionnaire_due';
  title: string;
  dueOn: string;
  overdue: boolean;
  link: string;
  caseId: string;
  referralId: null;
};

/** Stages in which a family is still being measured; withdrawn and closed families are not chased for forms. */
const measuredStages = new Set(['assessment_booked', 'assessed', 'awaiting_group', 'in_service', 'completed', 'follow_up']);

/**
 * One task per case and timepoint with questionnaires open and not yet given, due by the earliest of their due dates;
 * overdue once that date has passed. Called by the cases module for My work, inside its transaction.
 */
export const questionnaireTasksFor = async (trx: Trx, organisationId: string, cases: readonly QuestionnaireCase[], today: string): Promise<QuestionnaireTask[]> => {
  const measured = cases.filter((c) => measuredStages.has(c.stage));
  if (measured.length === 0) return [];
  const given = await trx
    .selectFrom('administration')
    .innerJoin('respondent', 'respondent.id', 'administration.respondentId')
    .select(['administration.caseId', 'respondent.personId', 'administration.subjectRef', 'administration.instrumentId', 'administration.timepoint'])
    .where('administration.organisationId', '=', organisationId)
    .where('administration.caseId', 'in', measured.map((c) => c.id))
    .execute();
  const done = new Set(given.map((g) => `${g.caseId}|${expectationKey({ personId: g.personId ?? '', subjectPersonId: g.subjectRef || null, instrumentId: g.instrumentId, timepoint: g.timepoint })}`));
  const tasks: QuestionnaireTask[] = [];
  const library = await instrumentLibrary(trx, organisationId);
  const groupEnds = await groupEndsOf(trx, organisationId, measured.map((c) => c.id));
  for (const c of measured) {
    const schedule = await scheduleOf(trx, organisationId, c);
    const outstanding = expectedAdministrations(schedule, c.people, anchorsOf(c, groupEnds), (id) => library.get(id)).filter((x) => {
      const state = stateOf(x, done.has(`${c.id}|${expectationKey({ ...x, instrumentId: x.instrument.id })}`), today);
      return state === 'due' || state === 'overdue';
    });
    for (const timepoint of ['pre', 'post', 'followup'] as const) {
      const open = outstanding.filter((x) => x.timepoint === timepoint);
      if (open.length === 0) continue;
      const dueOn = open.map((x) => x.dueOn).sort()[0] ?? today;
      const label = timepoint === 'followup' ? 'Follow-up' : timepoint === 'pre' ? 'Pre' : 'Post';
      tasks.push({
        kind: 'questionnaire_due',
        title: `${label} questionnaires for ${c.reference} (${c.familyLabel}): ${open.length} to give`,
        dueOn,
        overdue: dueOn < today,
        link: `/cases/${c.id}`,
        caseId: c.id,
        referralId: null,
      });
    }
  }
  return tasks;
};
