import type { Role } from '../../../shared/permissions.ts';
import type { Scope } from '../db/scope.ts';

/** The signed-in person behind a request, as loaded from their session. */
export type Actor = {
  userId: string;
  sessionId: string;
  organisationId: string | null;
  role: Role | null;
  csrfToken: string;
  ip: string | null;
};

export const scopeOf = (actor: Actor): Scope => ({ organisationId: actor.organisationId, userId: actor.userId });
