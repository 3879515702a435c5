/** Programmes: the services an organisation runs, their templates, groups, sessions, placements and attendance. */
export { builtInProgrammes, createProgrammes, findProgramme, listProgrammes, publicProgrammes, type Programme } from './programmes.service.ts';
export { programmesRoutes } from './programmes.routes.ts';
export { groupsRoutes } from './groups.routes.ts';
export { therapyRoutes } from './therapy.routes.ts';
export { overviewRoutes } from './overview.routes.ts';
export { crecheRoutes } from './creche.routes.ts';
export { sessionRecordRoutes } from './session-record.routes.ts';
export { seedDemoGroups } from './demo-groups.ts';
export type { ProgrammesTables } from './programmes.tables.ts';
export { onPlacement, type PlacementEvent, type WithdrawalEvent } from './placement-hooks.ts';
export { groupFacts, placementDoses, programmePlacements, type GroupFacts, type PlacementDose } from './funding-facts.ts';
export { groupEndsOf } from './measure-facts.ts';
export { completerPeople, peopleFacilitatedBy, sessionFacilitators } from './evaluation-facts.ts';
