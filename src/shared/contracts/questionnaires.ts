import { z } from 'zod';
import { isoTimestamp, uuid } from './common.ts';

/*
 * Questionnaires in the app (issue 4 items 5–7): the measurement schedule, links for parents, paper entry by staff,
 * and the case's administrations. The rules are in docs/measures.md.
 */

export const timepoints = ['pre', 'post', 'followup'] as const;
export type Timepoint = (typeof timepoints)[number];
const timepoint = z.enum(timepoints, { message: 'must be pre, post or followup' });

const instrumentId = z.string().trim().min(1, { message: 'is required' }).max(40, { message: 'must be at most 40 characters' });
const day = z.iso.date({ message: 'must be a date YYYY-MM-DD' });

/** Answers keyed by item as printed; a value is the position of the answer on the printed scale, null = not answered. */
export const answers = z
  .record(z.string().max(20), z.number().nullable(), { message: 'must be an object of item answers' })
  .meta({ id: 'QuestionnaireAnswers' });
export type Answers = z.infer<typeof answers>;

// ---- The form of an instrument: what a parent sees, and what staff key from paper ----

export const questionnaireForm = z
  .object({
    instrumentId: z.string(),
    title: z.string(),
    /** Instructions, where the licence allows the wording. */
    instructions: z.string().nullable(),
    recallPeriod: z.string().nullable(),
    /** Shown wherever the items are (CORE's copyright line). */
    copyrightNotice: z.string().nullable(),
    /** False: the licence does not let Tandem show the wording; items are shown by number (key them from the paper form). */
    wordingShown: z.boolean(),
    aboutAChild: z.boolean(),
    items: z.array(
      z.object({
        key: z.string(),
        text: z.string().nullable(),
        options: z.array(z.object({ value: z.number(), label: z.string() })),
      }),
    ),
  })
  .meta({ id: 'QuestionnaireForm' });
export type QuestionnaireForm = z.infer<typeof questionnaireForm>;

export const questionnaireFormList = z.object({ forms: z.array(questionnaireForm) }).meta({ id: 'QuestionnaireFormList' });

// ---- The public link ----

export const linkTokenParams = z.object({
  // 32 random bytes, base64url: 43 characters. Anything else cannot be a link and is answered like an unknown one.
  token: z.string().max(200),
});

export const publicQuestionnaire = z
  .object({
    form: questionnaireForm,
    answers,
    /** The last day the link works. */
    completeBy: day,
  })
  .meta({ id: 'PublicQuestionnaire' })
  .describe('What a link shows: the questionnaire and the answers saved so far, nothing about the case');

export const saveAnswersBody = z.object({ answers }).meta({ id: 'SaveAnswersBody' });
export const savedAnswers = z.object({ answers, savedAt: isoTimestamp }).meta({ id: 'SavedAnswers' });
export const submitAnswersBody = z.object({ answers: answers.optional() }).meta({ id: 'SubmitAnswersBody' });
export const submittedQuestionnaire = z.object({ status: z.literal('submitted') }).meta({ id: 'SubmittedQuestionnaire' });

// ---- Staff: links and paper entry ----

export const createLinkBody = z
  .object({
    personId: uuid.describe('The parent who answers'),
    instrumentId,
    timepoint,
    subjectPersonId: uuid.optional().describe('The child a child-focused questionnaire (SDQ) is about'),
  })
  .meta({ id: 'CreateQuestionnaireLinkBody' });

export const createdLink = z
  .object({
    linkId: uuid,
    /** The address to give the parent. Shown once: only a hash of the token is kept. */
    path: z.string(),
    expiresAt: isoTimestamp,
  })
  .meta({ id: 'CreatedQuestionnaireLink' });

export const paperEntryBody = z
  .object({
    personId: uuid.describe('The parent who answered'),
    instrumentId,
    timepoint,
    subjectPersonId: uuid.optional(),
    completedOn: day,
    responses: answers,
    /** Double entry: the same form keyed a second time; any item that differs refuses the save and is listed. */
    secondEntry: answers.optional(),
  })
  .meta({ id: 'PaperEntryBody' });

export const administrationSummary = z
  .object({
    id: uuid,
    personId: uuid.nullable(),
    personName: z.string().nullable(),
    subjectPersonId: uuid.nullable(),
    subjectName: z.string().nullable(),
    instrumentId: z.string(),
    instrumentTitle: z.string(),
    timepoint,
    completedOn: day,
    source: z.enum(['import', 'link', 'paper']),
    status: z.enum(['scored', 'not_scorable']),
    scores: z.record(z.string(), z.number().nullable()),
    bands: z.record(z.string(), z.string()),
    flags: z.array(z.string()),
    valid: z.boolean(),
    /** Open alerts this administration raised (their reasons). */
    alerts: z.array(z.string()),
    /** Goes up with each correction; send it back to correct the form again. */
    version: z.number().int(),
  })
  .meta({ id: 'AdministrationSummary' });
export type AdministrationSummary = z.infer<typeof administrationSummary>;

export const linkSummary = z
  .object({
    id: uuid,
    personId: uuid,
    personName: z.string(),
    subjectPersonId: uuid.nullable(),
    subjectName: z.string().nullable(),
    instrumentId: z.string(),
    instrumentTitle: z.string(),
    timepoint,
    status: z.enum(['open', 'submitted', 'cancelled', 'expired']),
    answered: z.number().int(),
    itemCount: z.number().int(),
    expiresAt: isoTimestamp,
    createdAt: isoTimestamp,
  })
  .meta({ id: 'QuestionnaireLinkSummary' });

export const expectedQuestionnaire = z
  .object({
    personId: uuid,
    personName: z.string(),
    subjectPersonId: uuid.nullable(),
    subjectName: z.string().nullable(),
    instrumentId: z.string(),
    instrumentTitle: z.string(),
    timepoint,
    opensOn: day,
    dueOn: day,
    state: z.enum(['not_yet_open', 'due', 'overdue', 'done']),
  })
  .meta({ id: 'ExpectedQuestionnaire' });
export type ExpectedQuestionnaire = z.infer<typeof expectedQuestionnaire>;

export const caseQuestionnaires = z
  .object({
    administrations: z.array(administrationSummary),
    links: z.array(linkSummary),
    /** The programme's schedule for this family; empty when the programme has none or its dates are not known yet. */
    expected: z.array(expectedQuestionnaire),
  })
  .meta({ id: 'CaseQuestionnaires' });
export type CaseQuestionnaires = z.infer<typeof caseQuestionnaires>;

// ---- Cancelling a link; correcting a stored paper form ----

export const linkParams = z.object({ caseId: uuid, linkId: uuid });
export const cancelledLink = z.object({ linkId: uuid, status: z.literal('cancelled') }).meta({ id: 'CancelledQuestionnaireLink' });

export const administrationParams = z.object({ caseId: uuid, administrationId: uuid });
export const correctPaperFormBody = z
  .object({
    completedOn: day,
    responses: answers,
    /** Double entry of the corrected form, as for a new one. */
    secondEntry: answers.optional(),
    reason: z.string().trim().min(1, { message: 'say why the form is corrected' }).max(1000, { message: 'must be at most 1000 characters' }),
    /** The version you corrected (from the case's list); stale → 409. */
    version: z.number().int().min(1),
  })
  .meta({ id: 'CorrectPaperFormBody' });

/** What a corrected form said before one correction, and why it was replaced. */
export const administrationRevision = z
  .object({
    /** The version these answers were. */
    version: z.number().int(),
    completedOn: day,
    status: z.enum(['scored', 'not_scorable']),
    scores: z.record(z.string(), z.number().nullable()),
    bands: z.record(z.string(), z.string()),
    flags: z.array(z.string()),
    reason: z.string(),
    replacedByName: z.string().nullable(),
    replacedAt: isoTimestamp,
    /** Items whose answer the correction changed (the instrument's item keys). */
    itemsChanged: z.array(z.string()),
    /** True when the correction changed the completion date. */
    dateChanged: z.boolean(),
  })
  .meta({ id: 'AdministrationRevision' });

/** One administration of a case with its answers as keyed, for correcting a paper form, and its corrections. */
export const administrationDetail = z
  .object({
    administration: administrationSummary,
    /** The form as the organisation keys it (licensed wording, the printed BCAP form), of the version it was scored with. */
    form: questionnaireForm,
    /** The stored answers, keyed as the form shows them. */
    responses: answers,
    /** Oldest first. */
    revisions: z.array(administrationRevision),
  })
  .meta({ id: 'AdministrationDetail' });
export type AdministrationDetail = z.infer<typeof administrationDetail>;

// ---- A programme's measurement schedule ----

/** One instrument of a programme's schedule: who answers, about whom, at which timepoints, within which window. */
export const scheduleEntry = z.object({
  instrumentId,
  /** Every adult of the family answers for themselves. */
  respondents: z.literal('each_parent', { message: 'must be each_parent' }),
  /** Child-focused instruments (SDQ): one administration per child of the family, answered by each parent. */
  aboutEachChild: z.boolean({ message: 'must be true or false' }),
  /** Children outside this age on the anchor day are left out. Unknown birth dates are kept. */
  childAge: z
    .object({ min: z.number().int({ message: 'must be a whole number of years' }).min(0, { message: 'must be 0 or more' }), max: z.number().int({ message: 'must be a whole number of years' }).min(0, { message: 'must be 0 or more' }) })
    .refine((age) => age.min <= age.max, { message: 'the youngest age must not be above the oldest', path: ['max'] })
    .optional(),
  timepoints: z
    .array(z.object({ timepoint, windowDays: z.number({ message: 'must be a number of days' }).int({ message: 'must be a whole number of days' }).min(0, { message: 'must be 0 or more' }).max(365, { message: 'must be at most 365 days' }) }))
    .min(1, { message: 'choose at least one timepoint' })
    .refine((list) => new Set(list.map((t) => t.timepoint)).size === list.length, { message: 'names a timepoint twice' }),
});

export const scheduleParams = z.object({ programmeId: uuid });

export const setScheduleBody = z
  .object({
    entries: z.array(scheduleEntry).max(50),
    /** The version replaced (from the last read); null when the programme has no stored schedule yet. Stale → 409. */
    version: z.number().int().min(1).nullable(),
  })
  .meta({ id: 'SetMeasurementScheduleBody' });

export const programmeSchedule = z
  .object({
    programmeId: uuid,
    programmeName: z.string(),
    entries: z.array(scheduleEntry),
    /** stored: the programme's own; built_in: Tandem's for its name; none: no questionnaires are expected. */
    origin: z.enum(['stored', 'built_in', 'none']),
    version: z.number().int().nullable(),
  })
  .meta({ id: 'ProgrammeMeasurementSchedule' });
export type ProgrammeSchedule = z.infer<typeof programmeSchedule>;
