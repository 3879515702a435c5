import { z } from 'zod';
import { isoTimestamp, uuid, version } from './common.ts';

/*
 * Per-participant fund applications (issue 7, item 3): the Adoption Support Fund model, where an application is
 * made in the name of each child or family, rests on a current assessment, and follows a status flow from draft to
 * paid. See docs/funding.md, "Fund applications".
 */

export const applicationStatuses = ['draft', 'submitted', 'approved', 'rejected', 'delivered', 'claimed', 'paid', 'withdrawn'] as const;
export type ApplicationStatus = (typeof applicationStatuses)[number];
export const applicationStatusLabels: Record<ApplicationStatus, string> = {
  draft: 'Draft',
  submitted: 'Submitted',
  approved: 'Approved',
  rejected: 'Rejected',
  delivered: 'Service delivered',
  claimed: 'Claimed',
  paid: 'Paid',
  withdrawn: 'Withdrawn',
};
export const applicationKinds = ['child', 'family'] as const;

/** Pence as pounds for people: 500000 → "£5,000.00". Integer arithmetic only; no floating point touches money. */
export const formatPence = (pence: number): string => {
  const sign = pence < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(pence));
  const pounds = Math.floor(abs / 100).toLocaleString('en-GB');
  return `${sign}£${pounds}.${String(abs % 100).padStart(2, '0')}`;
};

const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
/** "2025-03-03" → "3 March 2025". */
export const formatDay = (iso: string): string => {
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  return `${d ?? ''} ${months[(m ?? 1) - 1] ?? ''} ${y ?? ''}`;
};

// No transforms or defaults in schemas that also describe responses: Zod cannot encode through them.
const text = (max: number) => z.string().trim().max(max, { message: `must be at most ${max} characters` });
const pence = z
  .number({ message: 'must be a number of pence' })
  .int({ message: 'must be a whole number of pence' })
  .min(0, { message: 'cannot be negative' })
  .max(100_000_000, { message: 'must be at most £1,000,000.00' });
const isoDate = z.iso.date({ message: 'must be a date YYYY-MM-DD' });

export const applicationIdParams = z.object({ applicationId: uuid });
export const caseIdParams = z.object({ caseId: uuid });

export const createApplicationBody = z
  .object({
    kind: z.enum(applicationKinds, { message: 'must be child or family' }).describe('One application per child, or one for the family'),
    childIds: z.array(uuid).min(1, { message: 'name at least one child' }).max(12).describe('The children it is in the name of (one for a child application)'),
    funderId: uuid,
    programmeId: uuid.describe('The service applied for'),
    assessmentId: uuid.nullable().describe('The assessment it rests on; it must be current when the application is submitted'),
    serviceFrom: isoDate.describe('When the service starts; it decides the funding year the amount counts in'),
    amountPence: pence.describe('The whole cost of the service for this application'),
    matchFundingPence: pence.describe('The part paid by someone else (required above the annual limit)'),
    matchFunder: text(200).nullable().describe('Who provides the match funding'),
    fundReference: text(100).nullable().describe("The fund's own reference, once it has one"),
  })
  .meta({ id: 'CreateFundApplicationBody' });

export const updateApplicationBody = createApplicationBody.omit({ kind: true, funderId: true }).extend({ version }).meta({ id: 'UpdateFundApplicationBody' });

export const changeStatusBody = z
  .object({
    to: z.enum(applicationStatuses, { message: `must be one of ${applicationStatuses.join(', ')}` }),
    note: text(1000).nullable().describe("The fund's decision, a reason or a reference (no clinical detail)"),
    fundReference: text(100).nullable().optional(),
    version,
  })
  .meta({ id: 'ChangeFundApplicationStatusBody' });

export const statusChange = z.object({ from: z.enum(applicationStatuses).nullable(), to: z.enum(applicationStatuses), byName: z.string().nullable(), at: isoTimestamp, note: z.string().nullable() });

export const fundApplication = z
  .object({
    id: uuid,
    caseId: uuid,
    caseReference: z.string(),
    familyLabel: z.string(),
    kind: z.enum(applicationKinds),
    children: z.array(z.object({ personId: uuid, name: z.string() })),
    funderId: uuid,
    funderName: z.string(),
    programmeId: uuid,
    programmeName: z.string(),
    assessmentId: uuid.nullable(),
    assessmentHeldOn: z.string().nullable(),
    serviceFrom: z.string(),
    amountPence: z.number().int(),
    matchFundingPence: z.number().int(),
    matchFunder: z.string().nullable(),
    fundPence: z.number().int().describe('What the fund is asked to pay: the amount less the match funding'),
    fundReference: z.string().nullable(),
    status: z.enum(applicationStatuses),
    history: z.array(statusChange),
    nextStatuses: z.array(z.enum(applicationStatuses)).describe('Where the caller may move it next'),
    version: z.number().int(),
  })
  .meta({ id: 'FundApplication' });
export type FundApplication = z.infer<typeof fundApplication>;

export const caseApplications = z
  .object({
    applications: z.array(fundApplication),
    funders: z.array(z.object({ id: uuid, name: z.string(), annualLimitPence: z.number().int().nullable(), assessmentValidMonths: z.number().int() })),
    children: z.array(z.object({ personId: uuid, name: z.string() })),
    assessments: z.array(z.object({ id: uuid, heldOn: z.string(), status: z.string(), outcome: z.string().nullable(), current: z.boolean(), problem: z.string().nullable() })),
    programmes: z.array(z.object({ id: uuid, name: z.string() })),
  })
  .meta({ id: 'CaseFundApplications' });

export const applicationQuery = z.object({
  status: z.enum(applicationStatuses, { message: `must be one of ${applicationStatuses.join(', ')}` }).optional(),
  funderId: uuid.optional(),
});

/**
 * What commissioners see "per participant": each application with the case reference and which participant it is
 * (the family, or child 1, 2 … of the case), its funder, service, status and money — never names, dates of birth or
 * anything from the assessment beyond whether one was current when it was submitted.
 */
export const participantApplication = z.object({
  id: uuid,
  caseReference: z.string(),
  participant: z.string().describe('"family" or "child 1", "child 2" … within the case'),
  funderName: z.string(),
  programmeName: z.string(),
  serviceFrom: z.string(),
  status: z.enum(applicationStatuses),
  amountPence: z.number().int(),
  matchFundingPence: z.number().int(),
  fundPence: z.number().int(),
  submittedOn: z.string().nullable(),
  decidedOn: z.string().nullable(),
});
export const applicationList = z
  .object({
    applications: z.array(participantApplication),
    totals: z.object({ count: z.number().int(), amountPence: z.number().int(), fundPence: z.number().int(), approvedFundPence: z.number().int() }),
  })
  .meta({ id: 'FundApplicationList' });

export const applicationRule = z
  .object({
    funderId: uuid,
    funderName: z.string(),
    annualLimitPence: z.number().int().nullable().describe('Per child per funding year; null for no limit'),
    assessmentValidMonths: z.number().int(),
    yearStartMonth: z.number().int().describe('4 = the UK financial year from 1 April'),
    version: z.number().int().describe('0 when nothing has been set yet (the defaults apply)'),
  })
  .meta({ id: 'FundApplicationRule' });
export const applicationRules = z.object({ rules: z.array(applicationRule) }).meta({ id: 'FundApplicationRules' });
export const funderIdParams = z.object({ funderId: uuid });
export const putRuleBody = z
  .object({
    annualLimitPence: pence.nullable(),
    assessmentValidMonths: z.number({ message: 'must be a number' }).int({ message: 'must be a whole number' }).min(1, { message: 'must be at least 1' }).max(60, { message: 'must be at most 60' }),
    yearStartMonth: z.number({ message: 'must be a number' }).int({ message: 'must be a whole number' }).min(1, { message: 'must be 1–12' }).max(12, { message: 'must be 1–12' }),
    version: z.number().int().min(0).describe('0 to set a funder’s rule for the first time'),
  })
  .meta({ id: 'PutFundApplicationRuleBody' });
