import type { ColumnType, Generated } from 'kysely';
import type { OrganisationKind, Role } from '../../../shared/permissions.ts';

type Gender = 'female' | 'male' | 'other' | 'not_stated';
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type OrganisationTable = {
  id: Generated<string>;
  name: string;
  kind: OrganisationKind;
  slug: string;
  isDemo: Generated<boolean>;
  createdAt: CreatedAt;
};

export type AppUserTable = {
  id: Generated<string>;
  email: string;
  name: string;
  passwordHash: string | null;
  totpSecret: string | null;
  totpEnabled: Generated<boolean>;
  disabledAt: Date | null;
  createdAt: CreatedAt;
  updatedAt: Timestamp;
};

export type MembershipTable = {
  organisationId: string;
  userId: string;
  role: Role;
  /** Used for the facilitator pair rule (one man, one woman) where a programme asks for it. */
  gender: ColumnType<Gender | null, Gender | null | undefined, Gender | null>;
  active: Generated<boolean>;
  version: Generated<number>;
  createdAt: CreatedAt;
  updatedAt: Timestamp;
};

export type UserSessionTable = {
  id: string;
  userId: string;
  /** The organisation the person is working in now (not tenant data: the session belongs to the person). */
  activeOrganisationId: string | null;
  csrfToken: string;
  createdAt: CreatedAt;
  lastSeenAt: Timestamp;
  expiresAt: Date;
  revokedAt: Date | null;
  ip: string | null;
  userAgent: string | null;
};

export type SignInThrottleTable = {
  emailKey: string;
  failures: number;
  windowStartedAt: Timestamp;
  lockedUntil: Date | null;
};

export type UserTokenTable = {
  id: string;
  userId: string;
  purpose: 'invitation' | 'password_reset';
  inviteOrganisationId: string | null;
  createdBy: string | null;
  createdAt: CreatedAt;
  expiresAt: Date;
  usedAt: Date | null;
};

export type EmailOutboxTable = {
  id: Generated<string>;
  toAddress: string;
  subject: string;
  body: string;
  createdAt: CreatedAt;
  sentAt: Date | null;
};

export type IdentityTables = {
  organisation: OrganisationTable;
  appUser: AppUserTable;
  membership: MembershipTable;
  userSession: UserSessionTable;
  signInThrottle: SignInThrottleTable;
  userToken: UserTokenTable;
  emailOutbox: EmailOutboxTable;
};
