/**
 * `tandem report`: the outcomes report from the command line (issue 6). `--json` prints the fixed JSON shape;
 * `--format html|pdf|csv --out FILE` writes the same report as a file. Filters are options. Reading the report is
 * audited like the web route (actor: the command line).
 */
import { writeFile } from 'node:fs/promises';
import { sql } from 'kysely';
import { z } from 'zod';
import { reportQuery, type ReportFilters } from '../shared/contracts/evaluation.ts';
import { readConfig } from '../server/config.ts';
import { openReadyDatabase } from '../server/main.ts';
import { produceReport, renderReport, type ReportFormat } from '../server/modules/evaluation/index.ts';
import { inScope, systemScope } from '../server/platform/db/scope.ts';
import type { Db } from '../server/db.ts';
import { CliUsageError, parseCommandArgs } from './args.ts';
import type { CliIo } from './io.ts';

const formats = ['json', 'html', 'pdf', 'csv'] as const;

const firstIssue = (error: z.ZodError): string => {
  const issue = error.issues[0];
  return `--${String(issue?.path[0] ?? 'filters')}: ${issue?.message ?? 'is not valid'}`;
};

type Organisation = { id: string; name: string };

/** Finds the organisation by slug or exact name; null when the database has none at all (a fresh data dir). */
const pickOrganisation = async (db: Db, wanted: string | undefined): Promise<Organisation | null> =>
  inScope(db, systemScope, async (trx) => {
    const all = await trx.selectFrom('organisation').select(['id', 'name', 'slug']).orderBy('name').execute();
    if (wanted !== undefined) {
      const match = all.find((o) => o.slug === wanted || o.name === wanted);
      if (!match) throw new CliUsageError(`--org: no organisation with the name or short name "${wanted}"`);
      return match;
    }
    const byDefault = all.find((o) => o.slug === 'default');
    if (byDefault) return byDefault;
    if (all.length === 0) return null;
    const [only, ...others] = all;
    if (only && others.length === 0) return only;
    throw new CliUsageError(`--org is needed: this database has ${all.length} organisations and none is called "default"`);
  });

/** A member of the organisation's staff by email (the CLI lets people type an email rather than an id). */
const facilitatorByEmail = async (db: Db, organisationId: string, email: string): Promise<string> => {
  const found = await inScope(db, systemScope, (trx) =>
    trx
      .selectFrom('appUser')
      .innerJoin('membership', 'membership.userId', 'appUser.id')
      .select('appUser.id')
      .where('membership.organisationId', '=', organisationId)
      .where(sql<boolean>`lower(app_user.email) = lower(${email})`)
      .executeTakeFirst(),
  );
  if (!found) throw new CliUsageError(`--facilitator: no member of staff with the email "${email}" in this organisation`);
  return found.id;
};

const emptyReport = (filters: ReportFilters) => ({
  filters: {
    programme: filters.programme ?? null,
    site: filters.site ?? null,
    group: filters.group ?? null,
    role: filters.role ?? null,
    from: filters.from ?? null,
    to: filters.to ?? null,
    facilitator: filters.facilitator ?? null,
    dose: filters.dose ?? null,
  },
  generated_at: new Date().toISOString(),
  audience: 'full' as const,
  min_cell_size: null,
  groups: { count: 0, listed: true, limit: 100 },
  definitions: {},
  measures: [],
  unknown_instruments: [],
});

export const runReport = async (args: string[], io: CliIo): Promise<number> => {
  const { values } = parseCommandArgs(args, {
    json: { type: 'boolean' },
    format: { type: 'string' },
    out: { type: 'string' },
    org: { type: 'string' },
    programme: { type: 'string' },
    site: { type: 'string' },
    group: { type: 'string' },
    role: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    facilitator: { type: 'string' },
    dose: { type: 'string' },
    aggregate: { type: 'boolean' },
    'min-cell-size': { type: 'string' },
  });
  const format = z.enum(formats, { message: `must be one of ${formats.join(', ')}` }).safeParse(values.format ?? 'json');
  if (!format.success) throw new CliUsageError(`--format: ${format.error.issues[0]?.message ?? 'is not valid'}`);
  if (values.json && values.format !== undefined && values.format !== 'json') throw new CliUsageError('--json and --format are different outputs; give one');
  if (!values.json && values.format === undefined) throw new CliUsageError('say which output: --json, or --format html|pdf|csv --out FILE');
  if (format.data === 'pdf' && values.out === undefined) throw new CliUsageError('--out: a PDF needs a file to go to');
  const filters = reportQuery.safeParse({
    programme: values.programme,
    site: values.site,
    group: values.group,
    role: values.role,
    from: values.from,
    to: values.to,
    // An email is looked up once the database is open; an id goes through as it is.
    facilitator: values.facilitator?.includes('@') ? undefined : values.facilitator,
    dose: values.dose,
  });
  if (!filters.success) throw new CliUsageError(firstIssue(filters.error));
  if (values['min-cell-size'] !== undefined && !values.aggregate) throw new CliUsageError('--min-cell-size: only with --aggregate');
  let config;
  try {
    config = readConfig();
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
  const minCellSize = z.coerce.number().int().min(1).max(1000).safeParse(values['min-cell-size'] ?? config.minCellSize);
  if (!minCellSize.success) throw new CliUsageError('--min-cell-size: must be a whole number from 1 to 1000');

  const { handle } = await openReadyDatabase(config);
  try {
    const organisation = await pickOrganisation(handle.db, values.org);
    const reportFormat: ReportFormat = format.data;
    let output: string | Buffer;
    if (organisation === null) {
      // A fresh data directory has no organisation and therefore no data: the report is empty, not an error.
      output = `${JSON.stringify(emptyReport(filters.data))}\n`;
    } else {
      const facilitator = values.facilitator?.includes('@') ? await facilitatorByEmail(handle.db, organisation.id, values.facilitator) : filters.data.facilitator;
      const result = await produceReport(
        handle.db,
        { scope: { organisationId: organisation.id, userId: null }, actor: null },
        { filters: { ...filters.data, facilitator }, format: reportFormat, via: 'cli' },
        values.aggregate ? { audience: { kind: 'aggregate', minCellSize: minCellSize.data } } : {},
      );
      output = (await renderReport(result, reportFormat, organisation.name)).body;
    }
    if (values.out === undefined) io.stdout(typeof output === 'string' ? output : output.toString('utf8'));
    else {
      await writeFile(values.out, output);
      io.stderr(`Wrote ${values.out}\n`);
    }
    return 0;
  } finally {
    await handle.close();
  }
};
