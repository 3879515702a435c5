import { z } from 'zod';
import { organisationKinds, permissions, roles } from '../permissions.ts';
import { email, isoTimestamp, personName, uuid, version } from './common.ts';

export const password = z
  .string()
  .min(12, { message: 'must be at least 12 characters' })
  .max(200, { message: 'must be at most 200 characters' });

export const signInBody = z
  .object({
    email,
    password: z.string().min(1, { message: 'is required' }).max(200),
    totp: z.string().regex(/^\d{6}$/, { message: 'must be the 6-digit code from your authenticator app' }).optional(),
  })
  .meta({ id: 'SignInBody' });

export const organisationSummary = z
  .object({ id: uuid, name: z.string(), kind: z.enum(organisationKinds), role: z.enum(roles), isDemo: z.boolean() })
  .meta({ id: 'OrganisationMembership' });

export const sessionInfo = z
  .object({
    user: z.object({ id: uuid, email: z.string(), name: z.string(), totpEnabled: z.boolean() }),
    organisations: z.array(organisationSummary),
    currentOrganisation: organisationSummary.nullable(),
    permissions: z.array(z.enum(permissions)),
    csrfToken: z.string().describe('Send back as the X-CSRF-Token header on every write'),
    expiresAt: isoTimestamp,
  })
  .meta({ id: 'SessionInfo' });
export type SessionInfo = z.infer<typeof sessionInfo>;

export const signInResult = z
  .union([
    z.object({ status: z.literal('signed_in'), session: sessionInfo }),
    z.object({ status: z.literal('totp_required') }),
  ])
  .meta({ id: 'SignInResult' });

export const switchOrganisationBody = z.object({ organisationId: uuid }).meta({ id: 'SwitchOrganisationBody' });

export const passwordResetRequestBody = z.object({ email }).meta({ id: 'PasswordResetRequestBody' });
export const tokenPasswordBody = z
  .object({
    token: z.string().min(20, { message: 'is not a valid link' }).max(200, { message: 'is not a valid link' }),
    password,
    name: personName.optional(),
  })
  .meta({ id: 'TokenPasswordBody' });

export const totpSetup = z.object({ secret: z.string(), uri: z.string() }).meta({ id: 'TotpSetup' });
export const totpConfirmBody = z
  .object({ code: z.string().regex(/^\d{6}$/, { message: 'must be the 6-digit code from your authenticator app' }) })
  .meta({ id: 'TotpConfirmBody' });

export const staffMember = z
  .object({
    id: uuid,
    email: z.string(),
    name: z.string(),
    role: z.enum(roles),
    gender: z.enum(['female', 'male', 'other', 'not_stated']).nullable().describe('For the facilitator pair rule'),
    active: z.boolean(),
    invitationPending: z.boolean(),
    totpEnabled: z.boolean(),
    version,
    createdAt: isoTimestamp,
  })
  .meta({ id: 'StaffMember' });
export type StaffMember = z.infer<typeof staffMember>;

export const staffList = z.object({ users: z.array(staffMember) }).meta({ id: 'StaffList' });

export const createUserBody = z
  .object({ email, name: personName, role: z.enum(roles, { message: 'must be one of the roles' }) })
  .meta({ id: 'CreateUserBody' });

export const createUserResult = z
  .object({
    user: staffMember,
    invitationUrl: z.string().nullable().describe('Single-use link for a new account; null when the person already had an account'),
  })
  .meta({ id: 'CreateUserResult' });

export const updateUserBody = z
  .object({
    role: z.enum(roles, { message: 'must be one of the roles' }).optional(),
    active: z.boolean().optional(),
    gender: z.enum(['female', 'male', 'other', 'not_stated'], { message: 'must be female, male, other or not_stated' }).optional(),
    version,
  })
  .refine((body) => body.role !== undefined || body.active !== undefined || body.gender !== undefined, { message: 'give a role, active or gender', path: ['role'] })
  .meta({ id: 'UpdateUserBody' });

export const userIdParams = z.object({ userId: uuid });
