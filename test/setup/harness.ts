import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { randomBytes } from 'node:crypto';
import type { OrganisationKind, Role } from '../../src/shared/permissions.ts';
import { buildApp } from '../../src/server/app.ts';
import { readConfig, type Config } from '../../src/server/config.ts';
import { createOrganisation, createUserWithPassword } from '../../src/server/modules/identity/index.ts';
import { openTestDatabase, type TestDatabase } from './engines.ts';

export const TEST_PASSWORD = 'correct-horse-battery-staple';

export type TestContext = { db: TestDatabase; app: FastifyInstance; config: Config; close: () => Promise<void> };

export const startTestApp = async (env: Record<string, string> = {}): Promise<TestContext> => {
  const db = await openTestDatabase();
  const config = readConfig({ LOG_LEVEL: 'silent', TANDEM_AUTH_RATE_PER_MINUTE: '10000', ...env });
  const app = await buildApp({ db: db.db, config, webDir: null });
  await app.ready();
  return {
    db,
    app,
    config,
    close: async () => {
      await app.close();
      await db.close();
    },
  };
};

const unique = (): string => randomBytes(4).toString('hex');

export type TestOrg = { id: string; name: string; slug: string; users: Record<Role, { id: string; email: string; name: string }> };

/** An organisation with one person in every role, all with TEST_PASSWORD. */
export const createOrgWithStaff = async (ctx: TestContext, label: string, kind: OrganisationKind = 'provider'): Promise<TestOrg> => {
  const tag = unique();
  const name = `${label} ${tag}`;
  const slug = `${label.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${tag}`;
  const org = await createOrganisation(ctx.db.db, { name, kind, slug });
  const users = {} as TestOrg['users'];
  for (const role of ['org_admin', 'service_manager', 'case_worker', 'facilitator', 'evaluator', 'commissioner'] as const) {
    const email = `${role.replace('_', '.')}.${tag}@test.example`;
    const personName = `${role} ${tag}`;
    const user = await createUserWithPassword(ctx.db.db, { organisationId: org.id, email, name: personName, role, password: TEST_PASSWORD });
    users[role] = { id: user.id, email, name: personName };
  }
  return { id: org.id, name, slug, users };
};

export type Session = { cookie: string; csrf: string };

export const signIn = async (app: FastifyInstance, email: string, password = TEST_PASSWORD): Promise<Session> => {
  const res = await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in failed for ${email}: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'tandem_session');
  if (!cookie) throw new Error('no session cookie');
  const body = res.json() as { session: { csrfToken: string } };
  return { cookie: `tandem_session=${cookie.value}`, csrf: body.session.csrfToken };
};

export const call = (
  app: FastifyInstance,
  session: Session | null,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  url: string,
  payload?: unknown,
): Promise<LightMyRequestResponse> =>
  app.inject({
    method,
    url,
    headers: session ? { cookie: session.cookie, 'x-csrf-token': session.csrf } : {},
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
