import type { OrganisationKind, Role } from '../../../shared/permissions.ts';
import type { Db } from '../../db.ts';
import { inScope, systemScope } from '../../platform/db/scope.ts';
import { AppError } from '../../platform/http/app-error.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { hashPassword } from './password.ts';

export const slugify = (name: string): string =>
  name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60) || 'organisation';

export const findOrganisationBySlug = async (db: Db, slug: string): Promise<{ id: string; name: string } | undefined> =>
  inScope(db, systemScope, (trx) => trx.selectFrom('organisation').select(['id', 'name']).where('slug', '=', slug).executeTakeFirst());

export const createOrganisation = async (
  db: Db,
  input: { name: string; kind: OrganisationKind; slug?: string; isDemo?: boolean },
): Promise<{ id: string; slug: string }> =>
  inScope(db, systemScope, async (trx) => {
    const slug = input.slug ?? slugify(input.name);
    const taken = await trx.selectFrom('organisation').select(['id']).where('slug', '=', slug).executeTakeFirst();
    if (taken) throw new AppError('conflict', `An organisation with the short name "${slug}" already exists`);
    return trx
      .insertInto('organisation')
      .values({ name: input.name, kind: input.kind, slug, isDemo: input.isDemo ?? false })
      .returning(['id', 'slug'])
      .executeTakeFirstOrThrow();
  });

/** For the command line and the demo: a person with a password, made a member of one organisation. */
export const createUserWithPassword = async (
  db: Db,
  input: { organisationId: string; email: string; name: string; role: Role; password: string; gender?: 'female' | 'male' | 'other' | 'not_stated' },
): Promise<{ id: string }> => {
  const passwordHash = await hashPassword(input.password);
  return inScope(db, { organisationId: input.organisationId, userId: null }, async (trx) => {
    const existing = await trx.selectFrom('appUser').select(['id']).where('email', '=', input.email).executeTakeFirst();
    const user =
      existing ??
      (await trx
        .insertInto('appUser')
        .values({ email: input.email, name: input.name, passwordHash, totpSecret: null, disabledAt: null })
        .returning(['id'])
        .executeTakeFirstOrThrow());
    if (existing) {
      const member = await trx
        .selectFrom('membership')
        .select(['userId'])
        .where('organisationId', '=', input.organisationId)
        .where('userId', '=', existing.id)
        .executeTakeFirst();
      if (member) throw new AppError('conflict', `${input.email} is already a member of this organisation`);
    }
    await trx.insertInto('membership').values({ organisationId: input.organisationId, userId: user.id, role: input.role, gender: input.gender ?? null }).execute();
    await recordAudit(trx, {
      organisationId: input.organisationId,
      actorUserId: null,
      action: 'create:user',
      entityType: 'user',
      entityId: user.id,
      detail: { role: input.role, via: 'command line' },
    });
    return user;
  });
};
