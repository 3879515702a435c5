import { z } from 'zod';
import { uuid } from './common.ts';

/* Outcome measures: the CSV import of administrations (issue 4 item 8). The format is in docs/measures.md. */

const flag = z
  .enum(['true', 'false'], { message: 'must be true or false' })
  .default('false')
  .transform((value) => value === 'true');

export const importQuery = z
  .object({
    dryRun: flag.describe('true: check the file and report what would happen, writing nothing'),
    skipInvalid: flag.describe('true: import the good rows and list the rejected ones; false: any bad row refuses the whole file'),
    fileName: z.string().trim().min(1).max(300).default('upload.csv').describe('The uploaded file\'s name, kept with the import batch'),
  })
  // No component id: query strings are described inline in OpenAPI, one parameter per field.
  .describe('How to run an import');
export type ImportQuery = z.infer<typeof importQuery>;

export const importCsvBody = z
  .string({ message: 'must be a CSV file sent with content-type text/csv' })
  .min(1, { message: 'must be a CSV file sent with content-type text/csv' })
  .meta({ id: 'AdministrationsCsv' })
  .describe('The CSV file: a header row, then one administration per row (see docs/measures.md, "CSV import")');

export const importProblem = z
  .object({
    line: z.number().int().min(1).describe('Line in the file; the header is line 1'),
    column: z.string().describe('Header name of the column, or "(row)" / "(file)"'),
    message: z.string(),
  })
  .meta({ id: 'ImportProblem' });

export const importResult = z
  .object({
    status: z
      .enum(['imported', 'preview', 'refused'])
      .describe('imported: written; preview: a dry run, nothing written; refused: the file has problems, nothing written'),
    batchId: uuid.nullable().describe('The import batch, when something was written'),
    rowsTotal: z.number().int(),
    inserted: z.number().int().describe('New administrations'),
    updated: z.number().int().describe('Stored administrations whose answers or details differed: replaced, version bumped'),
    unchanged: z.number().int().describe('Rows identical to what is stored'),
    rejected: z.number().int().describe('Rows with problems (not imported)'),
    problems: z.array(importProblem),
  })
  .meta({ id: 'ImportResult' })
  .describe('What an import did, or in a dry run would do');
export type ImportResult = z.infer<typeof importResult>;

// ---- Instruments: the library, an organisation's own, and FHIR (issue 4 items 1–2) ----

export const instrumentIdParams = z.object({
  instrumentId: z.string().max(40).describe('A built-in instrument id (core-10, sdq-p4-17, …) or one of the organisation\'s own'),
});

export const instrumentVersionQuery = z
  .object({ version: z.coerce.number({ message: 'must be a whole number' }).int({ message: 'must be a whole number' }).min(1, { message: 'must be at least 1' }).optional().describe("An own instrument's version; the latest when left out") })
  .describe('Which version');

export const instrumentSummary = z
  .object({
    instrumentId: z.string(),
    title: z.string(),
    origin: z.enum(['built_in', 'own']).describe("built_in: ships with Tandem; own: the organisation's"),
    /** The current version (built-ins: their definition's version). */
    version: z.string(),
    itemCount: z.number().int(),
    wordingAllowed: z.boolean(),
    /** The organisation has loaded licensed wording or a scoring key for it. */
    licensedWording: z.boolean(),
    licensedKey: z.boolean(),
  })
  .meta({ id: 'InstrumentSummary' });
export type InstrumentSummary = z.infer<typeof instrumentSummary>;

export const instrumentList = z.object({ instruments: z.array(instrumentSummary) }).meta({ id: 'InstrumentList' });

/** A FHIR resource travels as it is; the server checks it and names any problem by its path in the resource. */
export const fhirQuestionnaireBody = z
  .record(z.string(), z.unknown(), { message: 'must be a FHIR Questionnaire resource as JSON' })
  .meta({ id: 'FhirQuestionnaireBody' })
  .describe('A FHIR R4 Questionnaire (application/fhir+json or application/json)');

export const fhirQuestionnaire = z
  .looseObject({ resourceType: z.literal('Questionnaire'), id: z.string().optional(), url: z.string().optional(), version: z.string().optional(), title: z.string().optional(), status: z.string() })
  .meta({ id: 'FhirQuestionnaire' })
  .describe('A FHIR R4 Questionnaire following SDC conventions (see docs/measures.md, "FHIR")');

export const fhirQuestionnaireResponse = z
  .looseObject({ resourceType: z.literal('QuestionnaireResponse'), id: z.string(), questionnaire: z.string(), status: z.string(), authored: z.string() })
  .meta({ id: 'FhirQuestionnaireResponse' })
  .describe('A completed administration as a FHIR R4 QuestionnaireResponse');

export const importQuestionnaireQuery = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, { message: 'use lower-case letters, digits and hyphens, starting with a letter or digit' })
      .max(40, { message: 'must be at most 40 characters' })
      .optional()
      .describe("The instrument's id in Tandem; the Questionnaire's id (lower-cased) when left out"),
  })
  .describe('How to name the imported instrument');

export const importedInstrument = z
  .object({
    instrumentId: z.string(),
    version: z.number().int(),
    created: z.boolean().describe('false: identical to the latest version, nothing stored'),
    title: z.string(),
    itemCount: z.number().int(),
    scales: z.array(z.string()),
  })
  .meta({ id: 'ImportedInstrument' });

export const administrationIdParams = z.object({ administrationId: uuid });

// ---- Licensed wording and the BCAP key (issue 4 item 2) ----

export const licenceParams = z.object({ instrument: z.string().max(40).describe('The built-in instrument: sdq-p4-17, sdq-t4-17, sdq-s11-17, sdq-p2-4, bcap or swemwbs') });

export const instrumentLicenceBody = z
  .object({
    licenceReference: z.string().trim().min(1, { message: 'is required: who granted the licence, and its reference' }).max(300, { message: 'must be at most 300 characters' }),
    wording: z
      .object({
        stem: z.string().trim().min(1).max(2000).optional(),
        items: z.record(z.string().max(20), z.string().trim().min(1, { message: 'must not be empty' }).max(1000, { message: 'must be at most 1000 characters' })),
      })
      .optional()
      .describe('Item wording by item number (for BCAP with a key: by the printed form item number)'),
    scoringKey: z
      .array(
        z.object({
          formItem: z.string().regex(/^\d{1,3}[a-z]?$/, { message: 'must be an item number as printed, e.g. 12 or 12a' }),
          role: z.string().max(10).nullable().describe('R1–R24, L1–L6, RR1–RR3, or null for an unscored item'),
          keyedAnswer: z.enum(['agree', 'disagree'], { message: 'must be agree or disagree' }),
        }),
      )
      .max(200)
      .optional()
      .describe('BCAP only: the printed form item of each role and its keyed answer'),
    version: z.number().int().min(1).optional().describe('The version you replace (from a previous answer); stale → 409'),
  })
  .meta({ id: 'InstrumentLicenceBody' });
export type InstrumentLicenceBody = z.infer<typeof instrumentLicenceBody>;

export const instrumentLicenceResult = z
  .object({
    instrumentId: z.string(),
    licenceReference: z.string(),
    wordingItems: z.number().int(),
    keyEntries: z.number().int(),
    version: z.number().int(),
  })
  .meta({ id: 'InstrumentLicenceLoaded' });

/** What an organisation has loaded for an instrument that ships without wording, to show and replace it. */
export const instrumentLicenceState = z
  .object({
    instrumentId: z.string(),
    title: z.string(),
    /** The instrument's item numbers (BCAP: its roles R1–R24, L1–L6, RR1–RR3). */
    itemKeys: z.array(z.string()),
    takesKey: z.boolean().describe('BCAP: the printed form item of each role can be loaded'),
    loaded: z
      .object({
        licenceReference: z.string(),
        wording: z.object({ stem: z.string().optional(), items: z.record(z.string(), z.string()) }).nullable(),
        scoringKey: z.array(z.object({ formItem: z.string(), role: z.string().nullable(), keyedAnswer: z.enum(['agree', 'disagree']) })).nullable(),
        version: z.number().int(),
      })
      .nullable(),
  })
  .meta({ id: 'InstrumentLicenceState' });
export type InstrumentLicenceState = z.infer<typeof instrumentLicenceState>;
