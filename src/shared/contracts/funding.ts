import { z } from 'zod';
import { isoTimestamp, uuid, version } from './common.ts';
import { outcomeMeasures } from './evaluation.ts';

// No transforms or defaults in schemas that also describe responses: Zod cannot encode through them.
const text = (max: number) => z.string().trim().max(max, { message: `must be at most ${max} characters` });
const required = (max: number) => text(max).min(1, { message: 'is required' });
const int = (min: number, max: number) =>
  z.number({ message: 'must be a number' }).int({ message: 'must be a whole number' }).min(min, { message: `must be at least ${min}` }).max(max, { message: `must be at most ${max}` });
/** Money is whole pence: £500.00 is 50000. */
const pence = (max = 1_000_000_000_00) => int(0, max).describe('Amount in pence (integer)');
const isoDate = z.iso.date({ message: 'must be a date YYYY-MM-DD' });

export const funderKinds = ['government_department', 'adoption_support_fund', 'local_authority', 'regional_adoption_agency', 'charitable_trust', 'other'] as const;
export const funderKindLabels: Record<(typeof funderKinds)[number], string> = {
  government_department: 'Government department',
  adoption_support_fund: 'Adoption Support Fund',
  local_authority: 'Local authority',
  regional_adoption_agency: 'Regional adoption agency',
  charitable_trust: 'Charitable trust',
  other: 'Other',
};
export const purchaseKinds = ['block', 'spot', 'grant'] as const;
export const purchaseKindLabels: Record<(typeof purchaseKinds)[number], string> = {
  block: 'Block of places',
  spot: 'Per-family spot purchase',
  grant: 'Grant against targets',
};
export const contractStatuses = ['draft', 'active', 'ended'] as const;

export const funderBody = z
  .object({
    name: required(200),
    kind: z.enum(funderKinds, { message: `must be one of ${funderKinds.join(', ')}` }),
    funderOrganisationId: uuid.nullable().optional().describe("The funder's own organisation in Tandem, if it signs in"),
  })
  .meta({ id: 'FunderBody' });
export const updateFunderBody = z
  .object({ name: required(200).optional(), kind: z.enum(funderKinds).optional(), active: z.boolean().optional(), version })
  .meta({ id: 'UpdateFunderBody' });
export const funder = z
  .object({ id: uuid, name: z.string(), kind: z.enum(funderKinds), funderOrganisationId: uuid.nullable(), active: z.boolean(), version: z.number().int() })
  .meta({ id: 'Funder' });
export const funderList = z.object({ funders: z.array(funder) }).meta({ id: 'FunderList' });
export const funderIdParams = z.object({ funderId: uuid });

export const organisationChoice = z.object({ id: uuid, name: z.string(), kind: z.string() }).meta({ id: 'FundingOrganisation' });
export const organisationChoices = z.object({ organisations: z.array(organisationChoice) }).meta({ id: 'FundingOrganisationList' });

/**
 * An outcome target, reported from the evaluation's figures over the contract's families: e.g. "60 % of parents in
 * the clinical range before are not after" is {instrument: 'core-10', measure: 'recovered_pct', target: 60}.
 */
export const outcomeTarget = z
  .object({
    instrument: required(60).describe('A questionnaire id, e.g. core-10'),
    scale: text(60).nullable().optional().describe("The scale; the instrument's headline scale when left out"),
    measure: z.enum(outcomeMeasures, { message: `must be one of ${outcomeMeasures.join(', ')}` }),
    description: required(300),
    target: z.number({ message: 'must be a number' }).min(0, { message: 'must be at least 0' }).max(100_000, { message: 'must be at most 100000' }).describe('A percentage, or points of mean improvement'),
  })
  .meta({ id: 'FundingOutcomeTarget' });
const storedOutcomeTarget = z
  .object({ instrument: z.string(), scale: z.string().nullable(), measure: z.enum(outcomeMeasures).nullable().describe('null on targets recorded before targets named a measure'), description: z.string(), target: z.number() })
  .meta({ id: 'FundingStoredOutcomeTarget' });

const terms = {
  refundableBeforeSession: int(1, 60).describe('A withdrawal dated before this session is refunded'),
  refillBeforeSession: int(1, 60).describe('A place freed before this session can be re-filled up to its date; after it the place is freed late'),
  lateChargePercent: int(0, 100).describe('Per-family purchases: the share of the price charged after the refund point'),
};

export const createContractBody = z
  .object({
    funderId: uuid,
    reference: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,39}$/, { message: 'must be 1–40 letters, digits or -' }),
    title: required(200),
    purchaseKind: z.enum(purchaseKinds, { message: 'must be block, spot or grant' }),
    periodStart: isoDate,
    periodEnd: isoDate,
    valuePence: pence(),
    pricePence: pence(100_000_00).optional(),
    priceUnit: z.enum(['place', 'family']).optional(),
    targetFamilies: int(0, 100_000).optional(),
    targetCompleters: int(0, 100_000).optional(),
    outcomeTargets: z.array(outcomeTarget).max(20).optional(),
    ...terms,
    requiresParticipantApplications: z.boolean().optional(),
    programmeId: uuid.nullable().optional().describe("Grants: the provider's programme the grant funds; its families are the grant's reach"),
    instalments: int(1, 12).optional().describe('Grants: paid in this many equal instalments over the period (default 1)'),
    leadOrganisationId: uuid.describe('The commissioning organisation that is invoiced'),
    partnerOrganisationIds: z.array(uuid).max(5).optional().describe('Joint commissioners: they share vacancies and pay for the places they claim'),
  })
  .meta({ id: 'CreateContractBody' });

export const updateContractBody = z
  .object({
    title: required(200).optional(),
    periodEnd: isoDate.optional(),
    valuePence: pence().optional(),
    targetFamilies: int(0, 100_000).optional(),
    targetCompleters: int(0, 100_000).optional(),
    outcomeTargets: z.array(outcomeTarget).max(20).optional().describe('Replaces the outcome targets'),
    status: z.enum(contractStatuses).optional(),
    version,
  })
  .meta({ id: 'UpdateContractBody' });

export const moneyAtRisk = z
  .object({
    placesBought: z.number().int(),
    placesFilled: z.number().int(),
    placesVacant: z.number().int(),
    placesFreedLate: z.number().int(),
    placesFillable: z.number().int(),
    valueBoughtPence: z.number().int(),
    lostPence: z.number().int().describe('Value of places that can no longer be filled'),
    fillablePence: z.number().int().describe('Value of empty places that can still be filled'),
    familiesAtRisk: z.number().int().nullable().describe('Families at risk of dropping out; null when fewer than 5 (withheld)'),
    atRiskPence: z.number().int().nullable().describe('The value of their places; null when withheld'),
  })
  .meta({ id: 'MoneyAtRisk' });

export const contractSummary = z
  .object({
    id: uuid,
    reference: z.string(),
    title: z.string(),
    providerName: z.string(),
    funderName: z.string(),
    purchaseKind: z.enum(purchaseKinds),
    periodStart: z.string(),
    periodEnd: z.string(),
    valuePence: z.number().int(),
    pricePence: z.number().int(),
    priceUnit: z.enum(['place', 'family']),
    status: z.enum(contractStatuses),
    /** The caller's part: provider, lead or partner. */
    myRole: z.enum(['provider', 'lead', 'partner']),
    placesBought: z.number().int(),
    version: z.number().int(),
  })
  .meta({ id: 'ContractSummary' });
export const contractList = z.object({ contracts: z.array(contractSummary) }).meta({ id: 'ContractList' });
export const contractIdParams = z.object({ contractId: uuid });

export const placeStatuses = ['vacant', 'filled', 'freed'] as const;
export const fundedPlace = z
  .object({
    id: uuid,
    number: z.number().int(),
    status: z.enum(placeStatuses),
    payerName: z.string(),
    freedOn: z.string().nullable(),
    freedLate: z.boolean(),
    refundable: z.boolean(),
    atRisk: z.boolean(),
    claimable: z.boolean().describe('Empty, and can still be filled or claimed by a partner'),
    placementId: uuid.nullable().describe("The provider's own view only: the placement filling the place, to move the family; always null for commissioners"),
    version: z.number().int(),
  })
  .meta({ id: 'FundedPlace' });
export const placeBlock = z
  .object({
    id: uuid,
    groupId: uuid,
    groupLabel: z.string(),
    groupStartDate: z.string(),
    places: z.number().int(),
    pricePence: z.number().int(),
    refundDeadline: z.string(),
    refillDeadline: z.string(),
    boughtByName: z.string(),
    boughtAt: isoTimestamp,
    placeList: z.array(fundedPlace),
    moveTargets: z.array(z.object({ placeId: uuid, label: z.string() })).describe("The provider's own view only: the places on this group under any active contract a family here could move to"),
    risk: moneyAtRisk,
  })
  .meta({ id: 'PlaceBlock' });

export const invoiceSummary = z
  .object({ id: uuid, number: z.string(), periodStart: z.string(), periodEnd: z.string(), status: z.enum(['draft', 'issued']), totalPence: z.number().int(), creditedPence: z.number().int() })
  .meta({ id: 'InvoiceSummary' });

export const grantInstalment = z
  .object({ number: z.number().int(), periodStart: z.string(), periodEnd: z.string(), amountPence: z.number().int(), invoiceNumber: z.string().nullable().describe('The issued invoice that billed it') })
  .meta({ id: 'GrantInstalment' });

export const contractDetail = contractSummary
  .extend({
    funderId: uuid,
    targetFamilies: z.number().int(),
    targetCompleters: z.number().int(),
    outcomeTargets: z.array(storedOutcomeTarget),
    refundableBeforeSession: z.number().int(),
    refillBeforeSession: z.number().int(),
    lateChargePercent: z.number().int(),
    requiresParticipantApplications: z.boolean(),
    programmeId: uuid.nullable(),
    programmeName: z.string().nullable().describe('Grants: the programme funded'),
    instalmentList: z.array(grantInstalment).describe('Grants: the instalments and the invoice that billed each'),
    parties: z.array(z.object({ organisationId: uuid, name: z.string(), role: z.enum(['lead', 'partner']) })),
    blocks: z.array(placeBlock),
    risk: moneyAtRisk,
    invoices: z.array(invoiceSummary),
  })
  .meta({ id: 'ContractDetail' });

export const offeredGroup = z
  .object({ groupId: uuid, label: z.string(), startDate: z.string(), status: z.string(), capacity: z.number().int(), placesAvailable: z.number().int(), sessionCount: z.number().int() })
  .meta({ id: 'OfferedGroup' });
export const offeredGroups = z.object({ groups: z.array(offeredGroup) }).meta({ id: 'OfferedGroupList' });

export const buyPlacesBody = z.object({ groupId: uuid, places: int(1, 100) }).meta({ id: 'BuyPlacesBody' });

export const vacancy = z
  .object({
    placeId: uuid,
    contractId: uuid,
    contractReference: z.string(),
    groupLabel: z.string(),
    groupStartDate: z.string(),
    number: z.number().int(),
    status: z.enum(placeStatuses),
    freedOn: z.string().nullable(),
    claimUntil: z.string(),
    payerName: z.string(),
    pricePence: z.number().int(),
    version: z.number().int(),
  })
  .meta({ id: 'Vacancy' });
export const vacancyList = z.object({ vacancies: z.array(vacancy) }).meta({ id: 'VacancyList' });
export const placeIdParams = z.object({ placeId: uuid });
export const claimBody = z.object({ version }).meta({ id: 'ClaimVacancyBody' });

export const dashboardGroup = z.object({ groupLabel: z.string(), groupStartDate: z.string(), risk: moneyAtRisk }).meta({ id: 'DashboardGroup' });
export const dashboardContract = z
  .object({ contractId: uuid, reference: z.string(), title: z.string(), providerName: z.string(), myRole: z.enum(['provider', 'lead', 'partner']), risk: moneyAtRisk, groups: z.array(dashboardGroup) })
  .meta({ id: 'DashboardContract' });
export const dashboard = z
  .object({ asOf: z.string(), suppressed: z.boolean().describe('Counts of 1–4 families are withheld'), totals: moneyAtRisk, contracts: z.array(dashboardContract) })
  .meta({ id: 'FundingDashboard' });

export const createInvoiceBody = z.object({ periodStart: isoDate, periodEnd: isoDate }).meta({ id: 'CreateInvoiceBody' });
export const invoiceIdParams = z.object({ invoiceId: uuid });
export const invoiceLine = z
  .object({ lineNo: z.number().int(), description: z.string(), payerOrganisationId: uuid, payerName: z.string(), quantity: z.number().int(), unitPence: z.number().int(), amountPence: z.number().int() })
  .meta({ id: 'InvoiceLine' });
export const creditNote = z
  .object({
    id: uuid,
    number: z.string(),
    reason: z.string(),
    totalPence: z.number().int(),
    issuedAt: isoTimestamp,
    lines: z.array(z.object({ lineNo: z.number().int(), description: z.string(), payerName: z.string(), amountPence: z.number().int() })),
  })
  .meta({ id: 'CreditNote' });
export const invoice = z
  .object({
    id: uuid,
    number: z.string(),
    contractId: uuid,
    contractReference: z.string(),
    contractTitle: z.string(),
    providerName: z.string(),
    funderName: z.string(),
    periodStart: z.string(),
    periodEnd: z.string(),
    status: z.enum(['draft', 'issued']),
    totalPence: z.number().int(),
    issuedAt: isoTimestamp.nullable(),
    lines: z.array(invoiceLine),
    totalsByPayer: z.array(z.object({ payerName: z.string(), pence: z.number().int() })),
    creditNotes: z.array(creditNote),
    creditable: z.array(z.object({ description: z.string(), payerName: z.string(), amountPence: z.number().int() })).describe('Refundable withdrawals not yet credited'),
    version: z.number().int(),
  })
  .meta({ id: 'Invoice' });
export const issueInvoiceBody = z.object({ version }).meta({ id: 'IssueInvoiceBody' });
export const creditNoteBody = z.object({ reason: required(1000) }).meta({ id: 'CreditNoteBody' });
export const invoiceExportQuery = z.object({ format: z.enum(['csv', 'pdf'], { message: 'must be csv or pdf' }).optional().describe('csv (the default) or pdf') });

export const returnQuery = z.object({ quarter: z.string().regex(/^\d{4}-Q[1-4]$/, { message: 'must be a quarter like 2027-Q1' }).optional().describe('Defaults to the current quarter') });
export const fundingOutcome = z
  .object({
    description: z.string(),
    instrument: z.string(),
    instrumentTitle: z.string(),
    scale: z.string(),
    scaleLabel: z.string(),
    measure: z.enum(outcomeMeasures).nullable(),
    target: z.number(),
    figure: z.number().nullable().describe('A percentage or points of mean improvement; null when withheld or not available'),
    numerator: z.number().int().nullable().describe('The people counted (recovered, reliably improved) out of n'),
    n: z.number().int().nullable().describe('The people the figure is built on; null when withheld'),
    met: z.boolean().nullable().describe('figure ≥ target; null without a figure'),
    suppressed: z.boolean(),
    reason: z.string().nullable().describe('Why there is no figure: no_data, suppressed, unknown_measure'),
  })
  .meta({ id: 'FundingOutcome' });
export const fundingReturn = z
  .object({
    contractReference: z.string(),
    contractTitle: z.string(),
    funderName: z.string(),
    quarter: z.string(),
    from: z.string(),
    to: z.string(),
    familiesReached: z.number().int().nullable(),
    familiesReachedToDate: z.number().int().nullable(),
    targetFamilies: z.number().int(),
    completers: z.number().int().nullable(),
    completersToDate: z.number().int().nullable(),
    targetCompleters: z.number().int(),
    placesBought: z.number().int(),
    placesFilled: z.number().int(),
    invoicedPence: z.number().int(),
    creditedPence: z.number().int(),
    outcomeTargets: z.array(storedOutcomeTarget),
    outcomesFrom: z.string().describe('Outcomes are to date: questionnaires completed from the contract start to the end of the quarter'),
    outcomes: z.array(fundingOutcome),
    suppressed: z.boolean(),
    minCellSize: z.number().int().nullable().describe('Figures on fewer people than this are withheld; null when nothing is withheld'),
  })
  .meta({ id: 'FundingReturn' });

export const placementIdParams = z.object({ placementId: uuid });
export const moveFamilyBody = z
  .object({
    toPlaceId: uuid.nullable().describe('A place on the family\'s group (any contract), or null for an unfunded place'),
    on: isoDate.describe('The day the family leaves its current place: decides whether that place is refundable or freed late'),
  })
  .meta({ id: 'MoveFamilyBody' });
const movedPlace = z.object({ placeId: uuid, contractId: uuid, number: z.number().int() }).nullable();
export const familyMove = z.object({ placementId: uuid, from: movedPlace.describe('null: an unfunded place'), to: movedPlace, on: z.string() }).meta({ id: 'FamilyMove' });
