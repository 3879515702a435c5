import { z } from 'zod';
import { isoTimestamp, uuid, version } from './common.ts';

export const ratings = ['none', 'low', 'medium', 'high'] as const;
export type Rating = (typeof ratings)[number];
const rating = z.enum(ratings, { message: 'must be none, low, medium or high' });
const notes = z.string().trim().max(4000, { message: 'must be at most 4000 characters' }).default('');

export const bookAssessmentBody = z
  .object({
    scheduledAt: z.iso.datetime({ offset: true, message: 'must be a date and time, e.g. 2026-12-01T10:00:00Z' }),
    location: z.string().trim().max(200, { message: 'must be at most 200 characters' }).optional(),
    facilitatorIds: z.array(uuid).min(1, { message: 'choose at least one facilitator' }).max(3, { message: 'at most 3 facilitators' }),
    ruleOverrideReason: z.string().trim().min(1, { message: 'is required' }).max(1000).optional().describe("A manager's reason for breaking the programme's facilitator rule"),
    caseVersion: version,
  })
  .refine((b) => new Set(b.facilitatorIds).size === b.facilitatorIds.length, { message: 'the same facilitator is chosen twice', path: ['facilitatorIds'] })
  .meta({ id: 'BookAssessmentBody' });

export const jointInterviewBody = z
  .object({ notes: z.string().trim().min(1, { message: 'is required' }).max(20000, { message: 'must be at most 20000 characters' }), version })
  .meta({ id: 'JointInterviewBody' });

export const riskAssessmentBody = z
  .object({
    riskToChild: rating,
    riskToChildNotes: notes,
    domesticAbuse: rating,
    domesticAbuseNotes: notes,
    domesticAbuseIndicated: z.boolean({ message: 'must be yes or no' }),
    mentalHealth: rating,
    mentalHealthNotes: notes,
    substanceUse: rating,
    substanceUseNotes: notes,
    privateDisclosure: z.string().trim().max(10000, { message: 'must be at most 10000 characters' }).optional().describe('Said by this parent alone; never shown to the other parent'),
    disclosureIsSafeguardingConcern: z.boolean().default(false),
    version: z.number().int().min(0).describe('0 for a first record, then the version you read'),
  })
  .refine((b) => !b.disclosureIsSafeguardingConcern || Boolean(b.privateDisclosure), {
    message: 'record the disclosure before marking it a safeguarding concern',
    path: ['privateDisclosure'],
  })
  .meta({ id: 'RiskAssessmentBody' });

export const outcomes = ['suitable', 'suitable_with_conditions', 'not_suitable'] as const;
export const assessmentOutcomeBody = z
  .object({
    outcome: z.enum(outcomes, { message: 'must be suitable, suitable_with_conditions or not_suitable' }),
    conditions: z.string().trim().max(2000).optional(),
    onwardReferral: z.string().trim().max(500).optional(),
    version,
  })
  .superRefine((b, ctx) => {
    if (b.outcome === 'suitable_with_conditions' && !b.conditions) ctx.addIssue({ code: 'custom', path: ['conditions'], message: 'say what the conditions are' });
    if (b.outcome === 'not_suitable' && !b.onwardReferral) ctx.addIssue({ code: 'custom', path: ['onwardReferral'], message: 'say where the family is referred on to' });
  })
  .meta({ id: 'AssessmentOutcomeBody' });

export const resolveFlagBody = z
  .object({ decision: z.string().trim().min(1, { message: 'record the decision' }).max(4000), version })
  .meta({ id: 'ResolveFlagBody' });

export const assessmentIdParams = z.object({ assessmentId: uuid });
export const riskParams = z.object({ assessmentId: uuid, personId: uuid });
export const flagIdParams = z.object({ flagId: uuid });

export const riskAssessment = z.object({
  id: uuid,
  personId: uuid,
  personName: z.string(),
  riskToChild: rating,
  riskToChildNotes: z.string(),
  domesticAbuse: rating,
  domesticAbuseNotes: z.string(),
  domesticAbuseIndicated: z.boolean(),
  mentalHealth: rating,
  mentalHealthNotes: z.string(),
  substanceUse: rating,
  substanceUseNotes: z.string(),
  recordedAt: isoTimestamp,
  version,
  /** Present only for staff with a need to know (managers, the case worker, the assessing facilitators). */
  privateDisclosures: z.array(z.object({ body: z.string(), isSafeguardingConcern: z.boolean(), recordedAt: isoTimestamp })).optional(),
});

export const assessment = z
  .object({
    id: uuid,
    caseId: uuid,
    scheduledAt: isoTimestamp,
    location: z.string().nullable(),
    status: z.enum(['booked', 'held', 'cancelled']),
    facilitators: z.array(z.object({ id: uuid, name: z.string(), gender: z.string().nullable() })),
    ruleOverrideReason: z.string().nullable(),
    jointInterviewNotes: z.string().nullable(),
    outcome: z.enum(outcomes).nullable(),
    outcomeConditions: z.string().nullable(),
    onwardReferral: z.string().nullable(),
    riskAssessments: z.array(riskAssessment),
    version,
  })
  .meta({ id: 'Assessment' });

export const safeguardingFlag = z
  .object({
    id: uuid,
    familyId: uuid,
    caseId: uuid.nullable(),
    caseReference: z.string().nullable(),
    kind: z.enum(['high_risk', 'disclosure', 'domestic_abuse', 'questionnaire_alert', 'session_concern']),
    reason: z.string(),
    raisedAt: isoTimestamp,
    raisedByName: z.string().nullable(),
    status: z.enum(['open', 'resolved']),
    decision: z.string().nullable(),
    resolvedByName: z.string().nullable(),
    resolvedAt: isoTimestamp.nullable(),
    version,
  })
  .meta({ id: 'SafeguardingFlag' });

export const safeguardingFlagList = z.object({ flags: z.array(safeguardingFlag) }).meta({ id: 'SafeguardingFlagList' });
export const flagQuery = z.object({ status: z.enum(['open', 'resolved'], { message: 'must be open or resolved' }).optional() });
