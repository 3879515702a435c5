import { sql } from 'kysely';
import { permissionsOf, type Role } from '../../../shared/permissions.ts';
import type { SessionInfo } from '../../../shared/contracts/identity.ts';
import type { Config } from '../../config.ts';
import type { Db, Trx } from '../../db.ts';
import { inScope, systemScope } from '../../platform/db/scope.ts';
import type { Actor } from '../../platform/http/actor.ts';
import { AppError, notFound } from '../../platform/http/app-error.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { burnVerification, hashPassword, verifyPassword } from './password.ts';
import { hashToken, newToken } from './tokens.ts';
import { newTotpSecret, totpUri, verifyTotp } from './totp.ts';

const MAX_FAILURES = 5;
const FAILURE_WINDOW_MINUTES = 15;
const LOCK_MINUTES = 15;
const TOUCH_AFTER_MS = 60_000;
const RESET_LINK_HOURS = 2;

export type SessionPolicy = Pick<Config, 'sessionIdleMinutes' | 'sessionAbsoluteHours'>;

const badCredentials = (): AppError => new AppError('unauthenticated', 'Email or password is incorrect');
const lockedOut = (): AppError =>
  new AppError('too_many_requests', `Too many failed attempts. Wait ${LOCK_MINUTES} minutes, or reset your password.`, {
    headers: { 'retry-after': String(LOCK_MINUTES * 60) },
  });

/*
 * Every attempt is counted before its password is checked, in one statement that also reads the result. Checking
 * "is it locked?" first and counting the failure after the (slow, asynchronous) password check let a burst of
 * parallel guesses all pass the check before any of them was counted: 24 guesses at once were all tried. Now the
 * sixth attempt in a window is refused whatever else is in flight, and a right password clears the count.
 */
const reserveAttempt = async (trx: Trx, emailKey: string): Promise<boolean> => {
  const row = await sql<{ allowed: boolean }>`
    INSERT INTO sign_in_throttle (email_key, failures, window_started_at) VALUES (${emailKey}, 1, now())
    ON CONFLICT (email_key) DO UPDATE SET
      failures = CASE
        WHEN sign_in_throttle.locked_until > now() THEN sign_in_throttle.failures
        WHEN sign_in_throttle.window_started_at < now() - make_interval(mins => ${FAILURE_WINDOW_MINUTES}) THEN 1
        ELSE sign_in_throttle.failures + 1 END,
      window_started_at = CASE
        WHEN sign_in_throttle.locked_until > now() THEN sign_in_throttle.window_started_at
        WHEN sign_in_throttle.window_started_at < now() - make_interval(mins => ${FAILURE_WINDOW_MINUTES}) THEN now()
        ELSE sign_in_throttle.window_started_at END,
      locked_until = CASE
        WHEN sign_in_throttle.locked_until > now() THEN sign_in_throttle.locked_until
        WHEN sign_in_throttle.window_started_at >= now() - make_interval(mins => ${FAILURE_WINDOW_MINUTES})
             AND sign_in_throttle.failures + 1 > ${MAX_FAILURES}
          THEN now() + make_interval(mins => ${LOCK_MINUTES})
        ELSE sign_in_throttle.locked_until END
    RETURNING (locked_until IS NULL OR locked_until <= now()) AS allowed
  `.execute(trx);
  return row.rows[0]?.allowed ?? false;
};

/** A right password that still needs its two-step code was not a failed guess: give the attempt back. */
const releaseAttempt = async (trx: Trx, emailKey: string): Promise<void> => {
  await sql`UPDATE sign_in_throttle SET failures = greatest(failures - 1, 0) WHERE email_key = ${emailKey} AND (locked_until IS NULL OR locked_until <= now())`.execute(trx);
};

const firstActiveOrganisation = async (trx: Trx, userId: string): Promise<{ organisationId: string; role: Role } | undefined> =>
  trx
    .selectFrom('membership')
    .select(['organisationId', 'role'])
    .where('userId', '=', userId)
    .where('active', '=', true)
    .orderBy('createdAt')
    .orderBy('organisationId')
    .executeTakeFirst();

export type SignInInput = { email: string; password: string; totp?: string | undefined; ip: string | null; userAgent: string | null };
export type SignInOutcome = { status: 'signed_in'; token: string; actor: Actor } | { status: 'totp_required' };

export const signIn = async (db: Db, input: SignInInput, policy: SessionPolicy): Promise<SignInOutcome> => {
  const emailKey = input.email.toLowerCase();
  const user = await inScope(db, systemScope, async (trx) => {
    if (!(await reserveAttempt(trx, emailKey))) throw lockedOut();
    return trx
      .selectFrom('appUser')
      .select(['id', 'passwordHash', 'totpEnabled', 'totpSecret', 'disabledAt'])
      .where('email', '=', emailKey)
      .executeTakeFirst();
  });

  let passwordOk = false;
  if (user?.passwordHash && !user.disabledAt) passwordOk = await verifyPassword(input.password, user.passwordHash);
  else await burnVerification(input.password);

  if (!user || !passwordOk) {
    // The attempt was counted before the check (reserveAttempt); only the audit entry is left to write.
    await inScope(db, systemScope, async (trx) => {
      await recordAudit(trx, {
        organisationId: null,
        actorUserId: null,
        action: 'sign_in_failed',
        entityType: 'user',
        entityId: null,
        ip: input.ip,
        detail: {},
      });
    });
    throw badCredentials();
  }

  if (user.totpEnabled && user.totpSecret) {
    if (!input.totp) {
      await inScope(db, systemScope, (trx) => releaseAttempt(trx, emailKey));
      return { status: 'totp_required' };
    }
    // A wrong code keeps the attempt counted (reserveAttempt), so codes cannot be guessed faster than passwords.
    if (!verifyTotp(user.totpSecret, input.totp)) {
      throw new AppError('unauthenticated', 'The code from your authenticator app is not right', {
        fields: [{ path: 'body.totp', message: 'is not the current code' }],
      });
    }
  }

  const token = newToken();
  const sessionId = hashToken(token);
  const csrfToken = newToken();
  const actor = await inScope(db, { organisationId: null, userId: user.id }, async (trx) => {
    const first = await firstActiveOrganisation(trx, user.id);
    await trx.deleteFrom('signInThrottle').where('emailKey', '=', emailKey).execute();
    await trx
      .insertInto('userSession')
      .values({
        id: sessionId,
        userId: user.id,
        activeOrganisationId: first?.organisationId ?? null,
        csrfToken,
        expiresAt: new Date(Date.now() + policy.sessionAbsoluteHours * 3_600_000),
        revokedAt: null,
        ip: input.ip,
        userAgent: input.userAgent?.slice(0, 300) ?? null,
      })
      .execute();
    await sql`SELECT set_config('app.org_id', ${first?.organisationId ?? ''}, true)`.execute(trx);
    await recordAudit(trx, {
      organisationId: first?.organisationId ?? null,
      actorUserId: user.id,
      action: 'sign_in',
      entityType: 'user',
      entityId: user.id,
      ip: input.ip,
    });
    return {
      userId: user.id,
      sessionId,
      organisationId: first?.organisationId ?? null,
      role: first?.role ?? null,
      csrfToken,
      ip: input.ip,
    } satisfies Actor;
  });
  return { status: 'signed_in', token, actor };
};

/**
 * Looks up the session behind a cookie; null when it is unknown, revoked, idle too long, past its end or its user is
 * disabled. It runs on every request, so it is one statement and one round trip (app_session_actor, migration 0032:
 * the session, its user and the membership role, checked in the database), and nothing is cached: a revoked session
 * stops working on the next request. One statement is its own transaction, so no inScope is needed around it; the
 * function answers only for the one hashed token it is given, whatever role calls it.
 */
export const loadSession = async (db: Db, token: string, ip: string | null, policy: SessionPolicy): Promise<Actor | null> => {
  const sessionId = hashToken(token);
  const { rows } = await sql<{ userId: string; activeOrganisationId: string | null; csrfToken: string; memberRole: Role | null }>`
    SELECT user_id, active_organisation_id, csrf_token, member_role
    FROM app_session_actor(${sessionId}, ${policy.sessionIdleMinutes}, ${TOUCH_AFTER_MS / 1000})`.execute(db);
  const session = rows[0];
  if (!session) return null;
  const role = session.activeOrganisationId ? session.memberRole : null;
  return {
    userId: session.userId,
    sessionId,
    organisationId: role ? session.activeOrganisationId : null,
    role,
    csrfToken: session.csrfToken,
    ip,
  };
};

export const signOut = async (db: Db, actor: Actor): Promise<void> => {
  await inScope(db, { organisationId: actor.organisationId, userId: actor.userId }, async (trx) => {
    await trx.updateTable('userSession').set({ revokedAt: new Date() }).where('id', '=', actor.sessionId).execute();
    await recordAudit(trx, {
      organisationId: actor.organisationId,
      actorUserId: actor.userId,
      action: 'sign_out',
      entityType: 'user',
      entityId: actor.userId,
      ip: actor.ip,
    });
  });
};

export const describeSession = async (db: Db, actor: Actor): Promise<SessionInfo> =>
  inScope(db, { organisationId: actor.organisationId, userId: actor.userId }, async (trx) => {
    const user = await trx
      .selectFrom('appUser')
      .select(['id', 'email', 'name', 'totpEnabled'])
      .where('id', '=', actor.userId)
      .executeTakeFirstOrThrow();
    const session = await trx.selectFrom('userSession').select(['expiresAt']).where('id', '=', actor.sessionId).executeTakeFirstOrThrow();
    const organisations = await trx
      .selectFrom('membership')
      .innerJoin('organisation', 'organisation.id', 'membership.organisationId')
      .select(['organisation.id', 'organisation.name', 'organisation.kind', 'organisation.isDemo', 'membership.role'])
      .where('membership.userId', '=', actor.userId)
      .where('membership.active', '=', true)
      .orderBy('organisation.name')
      .execute();
    const current = organisations.find((o) => o.id === actor.organisationId) ?? null;
    return {
      user,
      organisations,
      currentOrganisation: current,
      permissions: current ? [...permissionsOf(current.role)] : [],
      csrfToken: actor.csrfToken,
      expiresAt: session.expiresAt.toISOString(),
    };
  });

export const switchOrganisation = async (db: Db, actor: Actor, organisationId: string): Promise<Actor> =>
  inScope(db, { organisationId, userId: actor.userId }, async (trx) => {
    const membership = await trx
      .selectFrom('membership')
      .select(['role'])
      .where('userId', '=', actor.userId)
      .where('organisationId', '=', organisationId)
      .where('active', '=', true)
      .executeTakeFirst();
    if (!membership) throw notFound('Organisation');
    await trx.updateTable('userSession').set({ activeOrganisationId: organisationId }).where('id', '=', actor.sessionId).execute();
    await recordAudit(trx, {
      organisationId,
      actorUserId: actor.userId,
      action: 'switch_organisation',
      entityType: 'organisation',
      entityId: organisationId,
      ip: actor.ip,
    });
    return { ...actor, organisationId, role: membership.role };
  });

/** Creates a single-use link token of the given purpose; returns the raw token for the link. */
export const issueUserToken = async (
  trx: Trx,
  input: { userId: string; purpose: 'invitation' | 'password_reset'; organisationId: string | null; createdBy: string | null; hours: number },
): Promise<string> => {
  const token = newToken();
  await trx
    .insertInto('userToken')
    .values({
      id: hashToken(token),
      userId: input.userId,
      purpose: input.purpose,
      inviteOrganisationId: input.organisationId,
      createdBy: input.createdBy,
      expiresAt: new Date(Date.now() + input.hours * 3_600_000),
      usedAt: null,
    })
    .execute();
  return token;
};

export const linkFor = (baseUrl: string, path: string, token: string): string =>
  `${baseUrl.replace(/\/$/, '')}${path}?token=${encodeURIComponent(token)}`;

/** Always answers the same way, whether or not the address has an account, so it reveals nothing. */
export const requestPasswordReset = async (db: Db, email: string, baseUrl: string, ip: string | null): Promise<void> => {
  await inScope(db, systemScope, async (trx) => {
    const user = await trx.selectFrom('appUser').select(['id', 'disabledAt']).where('email', '=', email).executeTakeFirst();
    if (!user || user.disabledAt) return;
    const token = await issueUserToken(trx, {
      userId: user.id,
      purpose: 'password_reset',
      organisationId: null,
      createdBy: null,
      hours: RESET_LINK_HOURS,
    });
    await trx
      .insertInto('emailOutbox')
      .values({
        toAddress: email,
        subject: 'Reset your Tandem password',
        body: `Someone asked to reset the password for this address. If it was you, open this link within ${RESET_LINK_HOURS} hours:\n${linkFor(baseUrl, '/reset-password', token)}\nIf it was not you, ignore this message.`,
        sentAt: null,
      })
      .execute();
    await recordAudit(trx, { organisationId: null, actorUserId: null, action: 'request:password_reset', entityType: 'user', entityId: user.id, ip });
  });
};

/** Sets a password through an invitation or reset link; the link works once, and every other session ends. */
export const completeTokenPassword = async (
  db: Db,
  input: { token: string; password: string; name?: string | undefined; purpose: 'invitation' | 'password_reset'; ip: string | null },
): Promise<void> => {
  const passwordHash = await hashPassword(input.password);
  await inScope(db, systemScope, async (trx) => {
    const row = await trx
      .selectFrom('userToken')
      .select(['userId', 'inviteOrganisationId', 'expiresAt', 'usedAt'])
      .where('id', '=', hashToken(input.token))
      .where('purpose', '=', input.purpose)
      .forUpdate()
      .executeTakeFirst();
    if (!row || row.usedAt || row.expiresAt.getTime() <= Date.now()) {
      throw new AppError('bad_request', 'This link has expired or has already been used. Ask for a new one.', {
        fields: [{ path: 'body.token', message: 'has expired or has already been used' }],
      });
    }
    await trx.updateTable('userToken').set({ usedAt: new Date() }).where('id', '=', hashToken(input.token)).execute();
    await trx
      .updateTable('appUser')
      .set({ passwordHash, updatedAt: new Date(), ...(input.name ? { name: input.name } : {}) })
      .where('id', '=', row.userId)
      .execute();
    await trx.updateTable('userSession').set({ revokedAt: new Date() }).where('userId', '=', row.userId).where('revokedAt', 'is', null).execute();
    await trx.deleteFrom('signInThrottle').where('emailKey', '=', sql<string>`(SELECT email FROM app_user WHERE id = ${row.userId})`).execute();
    await sql`SELECT set_config('app.org_id', ${row.inviteOrganisationId ?? ''}, true)`.execute(trx);
    await recordAudit(trx, {
      organisationId: row.inviteOrganisationId,
      actorUserId: row.userId,
      action: input.purpose === 'invitation' ? 'accept:invitation' : 'complete:password_reset',
      entityType: 'user',
      entityId: row.userId,
      ip: input.ip,
    });
  });
};

export const startTotpSetup = async (db: Db, actor: Actor): Promise<{ secret: string; uri: string }> =>
  inScope(db, { organisationId: actor.organisationId, userId: actor.userId }, async (trx) => {
    const user = await trx.selectFrom('appUser').select(['email', 'totpEnabled']).where('id', '=', actor.userId).executeTakeFirstOrThrow();
    if (user.totpEnabled) throw new AppError('conflict', 'Two-step sign-in is already on for this account');
    const secret = newTotpSecret();
    await trx.updateTable('appUser').set({ totpSecret: secret, updatedAt: new Date() }).where('id', '=', actor.userId).execute();
    return { secret, uri: totpUri(secret, user.email) };
  });

export const confirmTotp = async (db: Db, actor: Actor, code: string): Promise<void> => {
  await inScope(db, { organisationId: actor.organisationId, userId: actor.userId }, async (trx) => {
    const user = await trx.selectFrom('appUser').select(['totpSecret', 'totpEnabled']).where('id', '=', actor.userId).executeTakeFirstOrThrow();
    if (!user.totpSecret) throw new AppError('bad_request', 'Start setting up two-step sign-in first');
    if (!verifyTotp(user.totpSecret, code)) {
      throw new AppError('bad_request', 'That code is not right; check the time on your phone and try again', {
        fields: [{ path: 'body.code', message: 'is not the current code' }],
      });
    }
    await trx.updateTable('appUser').set({ totpEnabled: true, updatedAt: new Date() }).where('id', '=', actor.userId).execute();
    await recordAudit(trx, {
      organisationId: actor.organisationId,
      actorUserId: actor.userId,
      action: 'enable:totp',
      entityType: 'user',
      entityId: actor.userId,
      ip: actor.ip,
    });
  });
};
