import { z } from 'zod';
import { assessment, safeguardingFlag } from './assessment.ts';
import { isoTimestamp, uuid, version } from './common.ts';

const text = (max: number) => z.string().trim().max(max, { message: `must be at most ${max} characters` });
const required = (max: number) => text(max).min(1, { message: 'is required' });
// No transforms in these schemas: they also describe responses, and Zod cannot encode through a transform.
// An empty optional field ('' from a form) is treated as absent by the code that reads it.
const optionalText = (max: number) => text(max).optional();

/** A date that has happened: dates of birth cannot be in the future. */
export const pastDate = z.iso
  .date({ message: 'must be a date YYYY-MM-DD' })
  .refine((d) => d <= new Date().toISOString().slice(0, 10), { message: 'cannot be in the future' });

export const genders = ['female', 'male', 'other', 'not_stated'] as const;
export const contactPreferences = ['phone', 'email', 'text', 'letter'] as const;
export const adultRelationships = [
  'birth_parent',
  'adoptive_parent',
  'step_parent',
  'special_guardian',
  'foster_carer',
  'co_parent_living_apart',
  'other_carer',
] as const;
export const relationships = [...adultRelationships, 'child'] as const;
export type Relationship = (typeof relationships)[number];

const phone = optionalText(40).refine((v) => !v || /^[0-9+()\s-]{6,40}$/.test(v), { message: 'must be a phone number' });
const contactEmail = optionalText(254).refine((v) => !v || z.email().safeParse(v).success, { message: 'must be an email address' });

export const referralParent = z.object({
  givenName: required(100),
  familyName: required(100),
  dateOfBirth: pastDate.optional(),
  gender: z.enum(genders, { message: 'must be one of female, male, other, not_stated' }).optional(),
  relationship: z.enum(adultRelationships, { message: 'must be a relationship to the children' }),
  email: contactEmail,
  phone,
  willingToAttend: z.boolean({ message: 'must be yes or no' }),
});

export const referralChild = z.object({
  givenName: required(100),
  familyName: required(100),
  dateOfBirth: pastDate,
});

/** What a referral holds, as stored and shown (an erased entry no longer meets the rules for a new form). */
export const referralSubmissionShape = z.object({
    referrer: z.object({
      kind: z.enum(['self', 'professional'], { message: 'must be self or professional' }),
      name: required(200),
      agency: optionalText(200),
      role: optionalText(200),
      email: contactEmail,
      phone,
    }),
    programmeId: uuid.optional(),
    parents: z.array(referralParent).min(1, { message: 'give at least one parent or carer' }).max(4, { message: 'at most 4 adults' }),
    children: z.array(referralChild).min(1, { message: 'give at least one child' }).max(10, { message: 'at most 10 children' }),
    reason: required(4000),
    circumstances: z.object({
      activeCourtProceedings: z.enum(['yes', 'no', 'unknown'], { message: 'must be yes, no or unknown' }),
      adoptiveFamily: z.boolean({ message: 'must be yes or no' }),
    }),
    consent: z.object({
      toReferral: z.literal(true, { message: 'the family must agree to the referral' }),
      toShareInformation: z.boolean({ message: 'must be yes or no' }),
    }),
    contact: z.object({
      preference: z.enum(contactPreferences, { message: 'must be phone, email, text or letter' }),
      safeTimes: optionalText(500),
      safeToLeaveMessage: z.boolean({ message: 'must be yes or no' }),
    }),
  });

/** A new referral: the shape plus the rules a form must meet when it is sent. */
export const referralSubmission = referralSubmissionShape.superRefine((s, ctx) => {
  if (s.referrer.kind === 'professional' && !s.referrer.agency) {
    ctx.addIssue({ code: 'custom', path: ['referrer', 'agency'], message: 'is required for a professional referral' });
  }
  if (!s.referrer.email && !s.referrer.phone) {
    ctx.addIssue({ code: 'custom', path: ['referrer', 'email'], message: 'give an email address or a phone number' });
  }
});
export type ReferralSubmission = z.infer<typeof referralSubmission>;

/** The public form adds a honeypot field that people never see; robots fill it. */
export const publicReferralBody = z
  .object({ submission: referralSubmission, website: z.string().max(200).optional() })
  .meta({ id: 'PublicReferralBody' });
export const staffReferralBody = z.object({ submission: referralSubmission }).meta({ id: 'StaffReferralBody' });

export const referralReceipt = z
  .object({ reference: z.string(), message: z.string() })
  .meta({ id: 'ReferralReceipt' })
  .describe('The same answer whatever the form matched, so it reveals nothing about existing records');

export const orgSlugParams = z.object({ orgSlug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: 'is not an organisation' }) });

export const publicProgramme = z.object({ id: uuid, name: z.string(), description: z.string() });
export const publicReferralForm = z
  .object({ organisation: z.string(), programmes: z.array(publicProgramme) })
  .meta({ id: 'PublicReferralForm' });

export const eligibilityRule = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('child_under_age'), age: z.number().int().min(1).max(25) }),
  z.object({ kind: z.literal('all_parents_willing') }),
  z.object({ kind: z.literal('no_active_court_proceedings') }),
  z.object({ kind: z.literal('adoptive_family') }),
  z.object({ kind: z.literal('at_least_two_parents') }),
]);
export type EligibilityRule = z.infer<typeof eligibilityRule>;

export const eligibilityOutcome = z.object({
  rule: z.string(),
  met: z.enum(['yes', 'no', 'unknown']),
  reason: z.string(),
});
export type EligibilityOutcome = z.infer<typeof eligibilityOutcome>;

export const referralStatuses = ['new', 'accepted', 'declined', 'waiting_list', 'redirected'] as const;

export const possibleDuplicate = z.object({
  parentIndex: z.number().int().describe('Which adult of the submission (0-based) this may be'),
  personId: uuid,
  name: z.string(),
  dateOfBirth: z.string().nullable(),
  matchedOn: z.array(z.enum(['name_and_date_of_birth', 'email', 'phone'])),
});

export const referralSummary = z
  .object({
    id: uuid,
    reference: z.string(),
    source: z.enum(['public', 'staff']),
    status: z.enum(referralStatuses),
    programmeId: uuid.nullable(),
    programmeName: z.string().nullable(),
    familyName: z.string(),
    childrenCount: z.number().int(),
    receivedAt: isoTimestamp,
    eligible: z.enum(['yes', 'no', 'unknown']),
    version,
  })
  .meta({ id: 'ReferralSummary' });

export const referralDetail = referralSummary
  .extend({
    submission: referralSubmissionShape,
    eligibility: z.array(eligibilityOutcome),
    possibleDuplicates: z.array(possibleDuplicate),
    decisionReason: z.string().nullable(),
    redirectedTo: z.string().nullable(),
    caseId: uuid.nullable(),
  })
  .meta({ id: 'ReferralDetail' });

export const referralQuery = z.object({
  status: z.enum(referralStatuses, { message: 'must be a referral status' }).optional(),
});
export const referralList = z.object({ referrals: z.array(referralSummary) }).meta({ id: 'ReferralList' });
export const referralIdParams = z.object({ referralId: uuid });

export const referralDecisionBody = z
  .object({
    decision: z.enum(['accept', 'decline', 'waiting_list', 'redirect'], { message: 'must be accept, decline, waiting_list or redirect' }),
    reason: optionalText(2000),
    redirectedTo: optionalText(200),
    programmeId: uuid.optional(),
    caseWorkerId: uuid.optional(),
    /** Adults the case worker confirmed are already known: submission parent index → existing person. */
    samePeople: z.array(z.object({ parentIndex: z.number().int().min(0).max(3), personId: uuid })).max(4).default([]),
    version,
  })
  .superRefine((b, ctx) => {
    if ((b.decision === 'decline' || b.decision === 'waiting_list') && !b.reason) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'give a reason' });
    }
    if (b.decision === 'redirect' && !b.redirectedTo) {
      ctx.addIssue({ code: 'custom', path: ['redirectedTo'], message: 'say which service the family is redirected to' });
    }
  })
  .meta({ id: 'ReferralDecisionBody' });

export const caseStages = [
  'referred',
  'triaged',
  'assessment_booked',
  'assessed',
  'awaiting_group',
  'in_service',
  'completed',
  'withdrawn',
  'follow_up',
  'closed',
] as const;
export type CaseStage = (typeof caseStages)[number];

export const caseSummary = z
  .object({
    id: uuid,
    reference: z.string(),
    familyId: uuid,
    familyLabel: z.string(),
    programmeId: uuid.nullable(),
    programmeName: z.string().nullable(),
    stage: z.enum(caseStages),
    stageChangedAt: isoTimestamp,
    caseWorkerId: uuid.nullable(),
    caseWorkerName: z.string().nullable(),
    safeguarding: z.boolean().describe('An open safeguarding flag on the family'),
    version,
  })
  .meta({ id: 'CaseSummary' });

export const familyMember = z.object({
  personId: uuid,
  givenName: z.string(),
  familyName: z.string(),
  dateOfBirth: z.string().nullable(),
  relationship: z.enum(relationships),
  isChild: z.boolean(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  contactPreference: z.enum(contactPreferences).nullable(),
  safeContactNotes: z.string().nullable(),
});

export const stageChange = z.object({
  fromStage: z.enum(caseStages).nullable(),
  toStage: z.enum(caseStages),
  reason: z.string(),
  changedByName: z.string().nullable(),
  changedAt: isoTimestamp,
});

export const caseDetail = caseSummary
  .extend({
    members: z.array(familyMember),
    history: z.array(stageChange),
    allowedNextStages: z.array(z.enum(caseStages)),
    referralId: uuid.nullable(),
    assessments: z.array(assessment),
    safeguardingFlags: z.array(safeguardingFlag),
  })
  .meta({ id: 'CaseDetail' });

export const caseQuery = z.object({
  stage: z.enum(caseStages, { message: 'must be a case stage' }).optional(),
  caseWorker: z.union([z.literal('me'), z.literal('unallocated'), uuid]).optional().describe('"me", "unallocated" or a user id'),
});
export const caseList = z.object({ cases: z.array(caseSummary) }).meta({ id: 'CaseList' });
export const caseIdParams = z.object({ caseId: uuid });

export const stageChangeBody = z
  .object({ to: z.enum(caseStages, { message: 'must be a case stage' }), reason: optionalText(2000), version })
  .meta({ id: 'StageChangeBody' });
export const allocateBody = z.object({ caseWorkerId: uuid.nullable(), version }).meta({ id: 'AllocateBody' });
export const takeCaseBody = z.object({ version }).meta({ id: 'TakeCaseBody' });
export const notificationIdParams = z.object({ notificationId: uuid });

export const task = z
  .object({
    kind: z.enum(['triage_referral', 'book_assessment', 'hold_assessment', 'follow_up_due', 'close_case', 'safeguarding_decision', 'questionnaire_due']),
    title: z.string(),
    dueOn: z.string().describe('YYYY-MM-DD'),
    overdue: z.boolean(),
    link: z.string(),
    caseId: uuid.nullable(),
    referralId: uuid.nullable(),
  })
  .meta({ id: 'Task' });
export const myWork = z
  .object({ tasks: z.array(task), notifications: z.array(z.object({ id: uuid, message: z.string(), link: z.string().nullable(), createdAt: isoTimestamp })) })
  .meta({ id: 'MyWork' });

export const programmeSummary = z
  .object({
    id: uuid,
    name: z.string(),
    kind: z.enum(['group', 'couple_therapy', 'course']),
    description: z.string(),
    eligibility: z.array(eligibilityRule),
    facilitatorRule: z.enum(['male_female_pair', 'pair', 'one', 'any']),
    acceptsReferrals: z.boolean(),
    version,
  })
  .meta({ id: 'Programme' });
export const programmeList = z.object({ programmes: z.array(programmeSummary) }).meta({ id: 'ProgrammeList' });
