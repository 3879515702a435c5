import { sql } from 'kysely';
import type { StaffMember } from '../../../shared/contracts/identity.ts';
import type { Role } from '../../../shared/permissions.ts';
import type { Db, Trx } from '../../db.ts';
import { inScope } from '../../platform/db/scope.ts';
import { scopeOf, type Actor } from '../../platform/http/actor.ts';
import { AppError, notFound, staleVersion } from '../../platform/http/app-error.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { issueUserToken, linkFor } from './session.service.ts';

const INVITATION_HOURS = 24 * 7;

const staffQuery = (trx: Trx) =>
  trx
    .selectFrom('membership')
    .innerJoin('appUser', 'appUser.id', 'membership.userId')
    .select([
      'appUser.id',
      'appUser.email',
      'appUser.name',
      'appUser.totpEnabled',
      'membership.role',
      'membership.gender',
      'membership.active',
      'membership.version',
      'membership.createdAt',
      sql<boolean>`app_user.password_hash IS NULL`.as('invitationPending'),
    ]);

type StaffRow = Awaited<ReturnType<ReturnType<typeof staffQuery>['executeTakeFirstOrThrow']>>;
const present = (row: StaffRow): StaffMember => ({ ...row, createdAt: row.createdAt.toISOString() });

const requireOrganisation = (actor: Actor): string => {
  if (!actor.organisationId) throw new AppError('forbidden', 'Choose an organisation first');
  return actor.organisationId;
};

export const listStaff = async (db: Db, actor: Actor): Promise<StaffMember[]> => {
  const organisationId = requireOrganisation(actor);
  return inScope(db, scopeOf(actor), async (trx) => {
    const rows = await staffQuery(trx).where('membership.organisationId', '=', organisationId).orderBy('appUser.name').execute();
    await recordAudit(trx, {
      organisationId,
      actorUserId: actor.userId,
      action: 'list:user',
      entityType: 'user',
      entityId: null,
      ip: actor.ip,
      detail: { count: rows.length },
    });
    return rows.map(present);
  });
};

export const getStaffMember = async (db: Db, actor: Actor, userId: string): Promise<StaffMember> => {
  const organisationId = requireOrganisation(actor);
  return inScope(db, scopeOf(actor), async (trx) => {
    const row = await staffQuery(trx)
      .where('membership.organisationId', '=', organisationId)
      .where('membership.userId', '=', userId)
      .executeTakeFirst();
    if (!row) throw notFound('User');
    await recordAudit(trx, { organisationId, actorUserId: actor.userId, action: 'view:user', entityType: 'user', entityId: userId, ip: actor.ip });
    return present(row);
  });
};

/**
 * Adds a person to the organisation. Someone new gets an account without a password and an invitation link;
 * someone who already has an account elsewhere is simply added (they sign in as before).
 */
export const createStaffMember = async (
  db: Db,
  actor: Actor,
  input: { email: string; name: string; role: Role },
  baseUrl: string,
): Promise<{ user: StaffMember; invitationUrl: string | null }> => {
  const organisationId = requireOrganisation(actor);
  return inScope(db, scopeOf(actor), async (trx) => {
    const existing = await trx.selectFrom('appUser').select(['id']).where('email', '=', input.email).executeTakeFirst();
    let userId = existing?.id;
    let invitationUrl: string | null = null;
    if (userId) {
      const already = await trx
        .selectFrom('membership')
        .select(['userId'])
        .where('organisationId', '=', organisationId)
        .where('userId', '=', userId)
        .executeTakeFirst();
      if (already) {
        throw new AppError('conflict', 'This person is already a member of the organisation', {
          fields: [{ path: 'body.email', message: 'already belongs to a member of this organisation' }],
        });
      }
    } else {
      const created = await trx
        .insertInto('appUser')
        .values({ email: input.email, name: input.name, passwordHash: null, totpSecret: null, disabledAt: null })
        .returning(['id'])
        .executeTakeFirstOrThrow();
      userId = created.id;
      const token = await issueUserToken(trx, {
        userId,
        purpose: 'invitation',
        organisationId,
        createdBy: actor.userId,
        hours: INVITATION_HOURS,
      });
      invitationUrl = linkFor(baseUrl, '/accept-invitation', token);
      await trx
        .insertInto('emailOutbox')
        .values({
          toAddress: input.email,
          subject: 'You have been invited to Tandem',
          body: `You have been given an account on Tandem. Choose your password here within 7 days:\n${invitationUrl}`,
          sentAt: null,
        })
        .execute();
    }
    await trx.insertInto('membership').values({ organisationId, userId, role: input.role }).execute();
    await recordAudit(trx, {
      organisationId,
      actorUserId: actor.userId,
      action: 'create:user',
      entityType: 'user',
      entityId: userId,
      ip: actor.ip,
      detail: { role: input.role, newAccount: invitationUrl !== null },
    });
    const user = await staffQuery(trx).where('membership.organisationId', '=', organisationId).where('membership.userId', '=', userId).executeTakeFirstOrThrow();
    return { user: present(user), invitationUrl };
  });
};

export const updateStaffMember = async (
  db: Db,
  actor: Actor,
  userId: string,
  input: { role?: Role | undefined; active?: boolean | undefined; gender?: 'female' | 'male' | 'other' | 'not_stated' | undefined; version: number },
): Promise<StaffMember> => {
  const organisationId = requireOrganisation(actor);
  return inScope(db, scopeOf(actor), async (trx) => {
    const current = await trx
      .selectFrom('membership')
      .select(['role', 'active', 'gender', 'version'])
      .where('organisationId', '=', organisationId)
      .where('userId', '=', userId)
      .executeTakeFirst();
    if (!current) throw notFound('User');
    if (userId === actor.userId && (input.active === false || (input.role && input.role !== 'org_admin'))) {
      throw new AppError('bad_request', 'You cannot remove your own administrator access; ask another administrator', {
        fields: [{ path: input.active === false ? 'body.active' : 'body.role', message: 'cannot be changed on your own account' }],
      });
    }
    const changes = {
      ...(input.role !== undefined && input.role !== current.role ? { role: input.role } : {}),
      ...(input.active !== undefined && input.active !== current.active ? { active: input.active } : {}),
      ...(input.gender !== undefined && input.gender !== current.gender ? { gender: input.gender } : {}),
    };
    if (current.version !== input.version) throw staleVersion('This user');
    if (Object.keys(changes).length > 0) {
      // The version check sits in the WHERE clause so two concurrent saves cannot both succeed.
      const result = await trx
        .updateTable('membership')
        .set({ ...changes, version: sql<number>`version + 1`, updatedAt: new Date() })
        .where('organisationId', '=', organisationId)
        .where('userId', '=', userId)
        .where('version', '=', input.version)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) throw staleVersion('This user');
      if (changes.active === false) {
        await trx
          .updateTable('userSession')
          .set({ revokedAt: new Date() })
          .where('userId', '=', userId)
          .where('activeOrganisationId', '=', organisationId)
          .where('revokedAt', 'is', null)
          .execute();
      }
      await recordAudit(trx, {
        organisationId,
        actorUserId: actor.userId,
        action: 'update:user',
        entityType: 'user',
        entityId: userId,
        ip: actor.ip,
        detail: { from: { role: current.role, active: current.active, gender: current.gender }, to: changes },
      });
    }
    const row = await staffQuery(trx).where('membership.organisationId', '=', organisationId).where('membership.userId', '=', userId).executeTakeFirstOrThrow();
    return present(row);
  });
};
