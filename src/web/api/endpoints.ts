import { z } from 'zod';
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
import type { Role } from '../../shared/permissions.ts';
import { request } from './client.ts';

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
  updateUser: (userId: string, body: { role?: Role; active?: boolean; version: number }): Promise<StaffMember> =>
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
  myWork: (): Promise<MyWork> => request('GET', '/my-work', { schema: myWork }),
};
