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
