import type { FastifyInstance, FastifyRequest } from 'fastify';
import { can, type Permission } from '../../../shared/permissions.ts';
import type { Actor } from './actor.ts';
import { AppError } from './app-error.ts';

/**
 * Every /api route declares who may call it in `config.access`:
 * - 'public': anyone (health, the OpenAPI document, sign-in, reset links; later the referral form);
 * - 'signed_in': any signed-in person, with or without a current organisation (their own session);
 * - a permission: a signed-in person whose role in the current organisation has it.
 * A route without a declaration is refused at start-up, so nothing is open by accident.
 */
export type Access = 'public' | 'signed_in' | Permission;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const SESSION_COOKIE = 'tandem_session';
export const CSRF_HEADER = 'x-csrf-token';

export const requireActor = (request: FastifyRequest): Actor => {
  if (!request.actor) throw new AppError('unauthenticated', 'Sign in to continue');
  return request.actor;
};

export const registerAccessControl = (
  app: FastifyInstance,
  loadActor: (request: FastifyRequest, token: string) => Promise<Actor | null>,
): void => {
  app.decorateRequest('actor', null);

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api')) return;
    const access = (route.config as { access?: Access } | undefined)?.access;
    if (!access) throw new Error(`Route ${String(route.method)} ${route.url} does not declare config.access`);
    const security = access === 'public' ? [] : [{ session: [] }];
    route.schema = { ...route.schema, security } as typeof route.schema;
  });

  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access;
    if (!access) return;
    const token = request.cookies[SESSION_COOKIE];
    request.actor = token ? await loadActor(request, token) : null;
    if (access === 'public') return;
    const actor = requireActor(request);
    if (UNSAFE.has(request.method) && request.headers[CSRF_HEADER] !== actor.csrfToken) {
      throw new AppError('forbidden', 'This request is missing its X-CSRF-Token header; reload the page and try again');
    }
    if (access === 'signed_in') return;
    if (!actor.organisationId || !can(actor.role, access)) {
      throw new AppError('forbidden', 'Your role in this organisation does not allow this');
    }
  });
};
