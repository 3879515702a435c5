/** Programmes: the services an organisation runs (templates, groups and sessions arrive with issue 5). */
export { builtInProgrammes, createProgrammes, findProgramme, listProgrammes, publicProgrammes, type Programme } from './programmes.service.ts';
export { programmesRoutes } from './programmes.routes.ts';
export type { ProgrammesTables } from './programmes.tables.ts';
