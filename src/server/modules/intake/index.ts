/** Intake: referrals from the public form and from staff, and their triage. */
export { intakeRoutes } from './intake.routes.ts';
export { checkEligibility, overallEligibility } from './eligibility.ts';
export { submitStaffReferral, decideReferral } from './intake.service.ts';
export type { IntakeTables } from './intake.tables.ts';
