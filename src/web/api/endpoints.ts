import { z } from 'zod';
import { assessment, safeguardingFlag, safeguardingFlagList, type Rating } from '../../shared/contracts/assessment.ts';
import { auditPage, type AuditQuery } from '../../shared/contracts/audit.ts';
import {
  createUserResult,
  sessionInfo,
  signInResult,
  staffList,
  staffMember,
  totpSetup,
  type SessionInfo,
  type StaffMember,
} from '../../shared/contracts/identity.ts';
import {
  caseDetail,
  caseList,
  myWork,
  programmeList,
  publicReferralForm,
  referralDetail,
  referralList,
  referralReceipt,
  type CaseStage,
  type ReferralSubmission,
} from '../../shared/contracts/journey.ts';
import {
  caseDocument,
  caseDocumentList,
  caseNote,
  caseNoteList,
  erasureResult,
  retentionPolicies,
  type noteKinds,
  type retentionRecordTypes,
} from '../../shared/contracts/records.ts';
import type { Role } from '../../shared/permissions.ts';
import { request, upload } from './client.ts';

export type SignInResult = z.infer<typeof signInResult>;
export type AuditPage = z.infer<typeof auditPage>;
export type AuditEvent = AuditPage['events'][number];
export type CreateUserResult = z.infer<typeof createUserResult>;
export type TotpSetup = z.infer<typeof totpSetup>;

export type PublicReferralForm = z.infer<typeof publicReferralForm>;
export type ReferralReceipt = z.infer<typeof referralReceipt>;
export type Programme = z.infer<typeof programmeList>['programmes'][number];
export type ReferralSummary = z.infer<typeof referralList>['referrals'][number];
export type ReferralDetail = z.infer<typeof referralDetail>;
export type ReferralStatus = ReferralSummary['status'];
export type ReferralDecision = {
  decision: 'accept' | 'decline' | 'waiting_list' | 'redirect';
  reason?: string | undefined;
  redirectedTo?: string | undefined;
  programmeId?: string | undefined;
  caseWorkerId?: string | undefined;
  samePeople: { parentIndex: number; personId: string }[];
  version: number;
};
export type CaseSummary = z.infer<typeof caseList>['cases'][number];
export type CaseDetail = z.infer<typeof caseDetail>;
export type MyWork = z.infer<typeof myWork>;
export type Assessment = z.infer<typeof assessment>;
export type RiskAssessment = Assessment['riskAssessments'][number];
export type SafeguardingFlag = z.infer<typeof safeguardingFlag>;
export type CaseNote = z.infer<typeof caseNote>;
export type NoteKind = (typeof noteKinds)[number];
export type CaseDocument = z.infer<typeof caseDocument>;
export type RetentionRecordType = (typeof retentionRecordTypes)[number];
export type RetentionPolicy = { recordType: RetentionRecordType; keepMonths: number };
export type ErasureResult = z.infer<typeof erasureResult>;
export type Gender = NonNullable<StaffMember['gender']>;

export type BookAssessment = {
  scheduledAt: string;
  location?: string | undefined;
  facilitatorIds: string[];
  ruleOverrideReason?: string | undefined;
  caseVersion: number;
};
export type RiskAssessmentInput = {
  riskToChild: Rating;
  riskToChildNotes: string;
  domesticAbuse: Rating;
  domesticAbuseNotes: string;
  domesticAbuseIndicated: boolean;
  mentalHealth: Rating;
  mentalHealthNotes: string;
  substanceUse: Rating;
  substanceUseNotes: string;
  privateDisclosure?: string | undefined;
  disclosureIsSafeguardingConcern: boolean;
  version: number;
};
export type AssessmentOutcome = {
  outcome: 'suitable' | 'suitable_with_conditions' | 'not_suitable';
  conditions?: string | undefined;
  onwardReferral?: string | undefined;
  version: number;
};

/**
 * The parts of a subject access bundle this app shows before the export is downloaded. The server answers it as
 * open JSON (it is a document, not a record), so the app checks only what it reads.
 */
const subjectAccessSummary = z.object({
  generatedAt: z.string(),
  organisation: z.string(),
  person: z.looseObject({ givenName: z.string().nullable().optional(), familyName: z.string().nullable().optional() }),
  families: z.array(z.looseObject({ label: z.string() })),
  cases: z.array(z.looseObject({ reference: z.string() })),
  referrals: z.array(z.unknown()),
  riskAssessments: z.array(z.unknown()),
  ownDisclosures: z.array(z.unknown()),
  caseNotes: z.array(z.unknown()),
  documents: z.array(z.unknown()),
  questionnaires: z.array(z.unknown()),
  withheld: z.array(z.string()),
});
export type SubjectAccessSummary = z.infer<typeof subjectAccessSummary>;

const retentionRun = z.object({ results: z.array(z.object({ recordType: z.string(), count: z.number().int(), kept: z.number().int() })) });
export type RetentionRunResult = z.infer<typeof retentionRun>['results'][number];

const id = (value: string): string => encodeURIComponent(value);

/** Where the browser downloads a stored document (the server sends it as an attachment). */
export const documentHref = (documentId: string): string => `/api/documents/${id(documentId)}`;
/** The readable subject access page, to save or print. */
export const subjectAccessHref = (personId: string, format: 'html' | 'json'): string => `/api/people/${id(personId)}/subject-access?format=${format}`;

const health = z.object({ status: z.literal('ok') });

/** Typed calls, one per API route the web app uses. Bodies are the shared contracts' input types. */
export const api = {
  health: () => request('GET', '/health', { schema: health }),

  signIn: (body: { email: string; password: string; totp?: string }): Promise<SignInResult> =>
    request('POST', '/auth/sign-in', { body, schema: signInResult, withoutCsrf: true }),
  signOut: (): Promise<undefined> => request('POST', '/auth/sign-out'),
  session: (): Promise<SessionInfo> => request('GET', '/session', { schema: sessionInfo }),
  switchOrganisation: (organisationId: string): Promise<SessionInfo> =>
    request('POST', '/session/organisation', { body: { organisationId }, schema: sessionInfo }),

  requestPasswordReset: (email: string): Promise<undefined> =>
    request('POST', '/auth/password-reset/request', { body: { email }, withoutCsrf: true }),
  completePasswordReset: (body: { token: string; password: string }): Promise<undefined> =>
    request('POST', '/auth/password-reset/complete', { body, withoutCsrf: true }),
  acceptInvitation: (body: { token: string; password: string; name?: string }): Promise<undefined> =>
    request('POST', '/auth/invitations/accept', { body, withoutCsrf: true }),

  startTotpSetup: (): Promise<TotpSetup> => request('POST', '/auth/totp/setup', { schema: totpSetup }),
  confirmTotp: (code: string): Promise<undefined> => request('POST', '/auth/totp/confirm', { body: { code } }),

  listUsers: (): Promise<StaffMember[]> => request('GET', '/users', { schema: staffList }).then((list) => list.users),
  getUser: (userId: string): Promise<StaffMember> => request('GET', `/users/${encodeURIComponent(userId)}`, { schema: staffMember }),
  createUser: (body: { email: string; name: string; role: Role }): Promise<CreateUserResult> =>
    request('POST', '/users', { body, schema: createUserResult }),
  updateUser: (userId: string, body: { role?: Role; active?: boolean; gender?: Gender; version: number }): Promise<StaffMember> =>
    request('PATCH', `/users/${encodeURIComponent(userId)}`, { body, schema: staffMember }),

  searchAudit: (query: Partial<AuditQuery>): Promise<AuditPage> => request('GET', '/audit', { query, schema: auditPage }),

  // The public referral form: no session, so no CSRF token.
  publicReferralForm: (orgSlug: string): Promise<PublicReferralForm> =>
    request('GET', `/public/referral-forms/${encodeURIComponent(orgSlug)}`, { schema: publicReferralForm, withoutCsrf: true }),
  sendPublicReferral: (orgSlug: string, body: { submission: ReferralSubmission; website?: string }): Promise<ReferralReceipt> =>
    request('POST', `/public/referral-forms/${encodeURIComponent(orgSlug)}`, { body, schema: referralReceipt, withoutCsrf: true }),

  listProgrammes: (): Promise<Programme[]> => request('GET', '/programmes', { schema: programmeList }).then((list) => list.programmes),
  createReferral: (submission: ReferralSubmission): Promise<ReferralDetail> =>
    request('POST', '/referrals', { body: { submission }, schema: referralDetail }),
  listReferrals: (status?: ReferralStatus): Promise<ReferralSummary[]> =>
    request('GET', '/referrals', { query: { status }, schema: referralList }).then((list) => list.referrals),
  getReferral: (referralId: string): Promise<ReferralDetail> =>
    request('GET', `/referrals/${encodeURIComponent(referralId)}`, { schema: referralDetail }),
  decideReferral: (referralId: string, body: ReferralDecision): Promise<ReferralDetail> =>
    request('POST', `/referrals/${encodeURIComponent(referralId)}/decision`, { body, schema: referralDetail }),

  listCases: (query: { stage?: CaseStage | undefined; caseWorker?: string | undefined }): Promise<CaseSummary[]> =>
    request('GET', '/cases', { query, schema: caseList }).then((list) => list.cases),
  getCase: (caseId: string): Promise<CaseDetail> => request('GET', `/cases/${encodeURIComponent(caseId)}`, { schema: caseDetail }),
  changeStage: (caseId: string, body: { to: CaseStage; reason?: string | undefined; version: number }): Promise<CaseDetail> =>
    request('POST', `/cases/${encodeURIComponent(caseId)}/stage`, { body, schema: caseDetail }),
  allocateCase: (caseId: string, body: { caseWorkerId: string | null; version: number }): Promise<CaseDetail> =>
    request('PUT', `/cases/${encodeURIComponent(caseId)}/case-worker`, { body, schema: caseDetail }),
  takeCase: (caseId: string, version: number): Promise<CaseDetail> => request('POST', `/cases/${id(caseId)}/take`, { body: { version }, schema: caseDetail }),
  myWork: (): Promise<MyWork> => request('GET', '/my-work', { schema: myWork }),
  markNotificationRead: (notificationId: string): Promise<undefined> => request('POST', `/notifications/${id(notificationId)}/read`),

  bookAssessment: (caseId: string, body: BookAssessment): Promise<Assessment> =>
    request('POST', `/cases/${id(caseId)}/assessments`, { body, schema: assessment }),
  recordJointInterview: (assessmentId: string, body: { notes: string; version: number }): Promise<Assessment> =>
    request('PUT', `/assessments/${id(assessmentId)}/joint-interview`, { body, schema: assessment }),
  recordRiskAssessment: (assessmentId: string, personId: string, body: RiskAssessmentInput): Promise<Assessment> =>
    request('PUT', `/assessments/${id(assessmentId)}/risk/${id(personId)}`, { body, schema: assessment }),
  recordOutcome: (assessmentId: string, body: AssessmentOutcome): Promise<Assessment> =>
    request('POST', `/assessments/${id(assessmentId)}/outcome`, { body, schema: assessment }),

  listSafeguardingFlags: (status?: 'open' | 'resolved'): Promise<SafeguardingFlag[]> =>
    request('GET', '/safeguarding-flags', { query: { status }, schema: safeguardingFlagList }).then((list) => list.flags),
  resolveSafeguardingFlag: (flagId: string, body: { decision: string; version: number }): Promise<SafeguardingFlag> =>
    request('POST', `/safeguarding-flags/${id(flagId)}/resolve`, { body, schema: safeguardingFlag }),

  listNotes: (caseId: string): Promise<CaseNote[]> => request('GET', `/cases/${id(caseId)}/notes`, { schema: caseNoteList }).then((list) => list.notes),
  addNote: (caseId: string, body: { kind: NoteKind; occurredOn: string; body: string }): Promise<CaseNote> =>
    request('POST', `/cases/${id(caseId)}/notes`, { body, schema: caseNote }),
  listDocuments: (caseId: string): Promise<CaseDocument[]> =>
    request('GET', `/cases/${id(caseId)}/documents`, { schema: caseDocumentList }).then((list) => list.documents),
  uploadDocument: (caseId: string, file: File): Promise<CaseDocument> =>
    upload(`/cases/${id(caseId)}/documents`, file, { query: { fileName: file.name }, schema: caseDocument }),

  subjectAccess: (personId: string): Promise<SubjectAccessSummary> =>
    request('GET', `/people/${id(personId)}/subject-access`, { query: { format: 'json' }, schema: subjectAccessSummary }),
  erasePerson: (personId: string, reason: string): Promise<ErasureResult> =>
    request('POST', `/people/${id(personId)}/erasure`, { body: { reason }, schema: erasureResult }),
  retention: (): Promise<RetentionPolicy[]> => request('GET', '/retention', { schema: retentionPolicies }).then((list) => list.policies),
  setRetention: (policies: RetentionPolicy[]): Promise<RetentionPolicy[]> =>
    request('PUT', '/retention', { body: { policies }, schema: retentionPolicies }).then((list) => list.policies),
  runRetention: (): Promise<RetentionRunResult[]> => request('POST', '/retention/run', { schema: retentionRun }).then((run) => run.results),
};
