/** Measures: instruments, scoring, and stored administrations (the CSV import so far). */
export { measuresRoutes } from './measures.routes.ts';
/** Parses and checks an import file without I/O; every problem comes back with its line and column. */
export { parseImportCsv, formatProblem, REASON_COLUMN, fixedColumns, type ImportProblem, type ImportRow, type ParsedImport, type RejectedRow } from './import-rows.ts';
/** Imports a checked file in one transaction (scores stored with each row, one audit row per import). */
export {
  checkImportFile,
  importAdministrationCsv,
  importAdministrations,
  localToday,
  type ImportContext,
  type ImportFile,
  type ImportOptions,
  type ImportOutcome,
} from './import.service.ts';
export { builtInInstruments, getBuiltInInstrument, type InstrumentDefinition } from './instruments/index.ts';
/** The built-ins and the latest version of each of the organisation's own instruments, by id (read in the caller's scoped transaction). */
export { instrumentLibrary } from './instruments.service.ts';
export { scoreAdministration, validateResponses, type ScoreResult } from './scoring/index.ts';
/** Questionnaires given in the app: the schedule, links, paper entry and the tasks they make (issue 4 items 5–7). */
export { questionnaireTasksFor, setMeasurementSchedule, type QuestionnaireTask } from './questionnaires.service.ts';
export { builtInSchedules, measurementScheduleSchema, parentsAsPartnersSchedule, type MeasurementSchedule } from './schedule.ts';
/** Reminders to parents: open links re-sent by email, at most MAX_REMINDERS times, never after the window closes. */
export { MAX_REMINDERS, REMINDER_GAP_DAYS, sendQuestionnaireReminders } from './reminders.ts';
export type { MeasuresTables } from './measures.tables.ts';
