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
import type { Role } from '../../shared/permissions.ts';
import { request } from './client.ts';

export type SignInResult = z.infer<typeof signInResult>;
export type AuditPage = z.infer<typeof auditPage>;
export type AuditEvent = AuditPage['events'][number];
export type CreateUserResult = z.infer<typeof createUserResult>;
export type TotpSetup = z.infer<typeof totpSetup>;

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
};
