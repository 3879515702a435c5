/**
 * Funding: funders, contracts and grants, the organisations commissioning them, places bought on groups, shared
 * vacancies, money at risk, invoices, credit notes and returns. Other modules use these exports only.
 */
export { placeFunding, type PlaceFunding } from './place-funding.ts';
export type { FundingTables, PurchaseKind, FunderKind } from './funding.tables.ts';
export { fundApplicationsRoutes } from './applications.routes.ts';
export { assertParticipantApplication } from './applications-start.ts';
export type { ApplicationsTables } from './applications.tables.ts';
export { seedDemoFundApplications } from './applications-demo.ts';
export { fundingRoutes } from './funding.routes.ts';
export { contractsOf } from './contracts.service.ts';
export { seedDemoFunding } from './demo-funding.ts';
