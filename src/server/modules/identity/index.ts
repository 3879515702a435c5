/** Identity: organisations, people who sign in, sessions and roles. */
export { identityRoutes } from './identity.routes.ts';
export { loadSession, signIn, describeSession } from './session.service.ts';
export { createOrganisation, createUserWithPassword, findOrganisationBySlug } from './organisations.service.ts';
export { hashPassword } from './password.ts';
export type { IdentityTables } from './identity.tables.ts';
export { queueEmail } from './outbox.ts';
