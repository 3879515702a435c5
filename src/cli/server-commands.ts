import { z } from 'zod';
import { email as emailSchema, personName } from '../shared/contracts/common.ts';
import { password as passwordSchema } from '../shared/contracts/identity.ts';
import { organisationKinds, roles } from '../shared/permissions.ts';
import { readConfig } from '../server/config.ts';
import { formatSignIns, seedDemo } from '../server/demo/demo.ts';
import { createOrganisation, createUserWithPassword, findOrganisationBySlug } from '../server/modules/identity/index.ts';
import { openReadyDatabase, startServer } from '../server/main.ts';
import { sendQuestionnaireReminders } from '../server/modules/measures/index.ts';
import { buildApp } from '../server/app.ts';
import { AppError } from '../server/platform/http/app-error.ts';
import { CliUsageError, parseCommandArgs } from './args.ts';
import { EXIT_BAD_INPUT, type CliIo } from './io.ts';

const configOrUsageError = () => {
  try {
    return readConfig();
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
};

export const runStart = async (args: string[], io: CliIo): Promise<number> => {
  const { values } = parseCommandArgs(args, { port: { type: 'string' } });
  const config = configOrUsageError();
  if (values.port !== undefined) {
    const port = z.coerce.number().int().min(0).max(65535).safeParse(values.port);
    if (!port.success) throw new CliUsageError(`--port: must be a whole number from 0 to 65535, got "${values.port}"`);
    config.port = port.data;
  }
  await startServer(config, io.stdout);
  // Keep running until a signal stops the server.
  return new Promise<number>(() => undefined);
};

export const runMigrate = async (args: string[], io: CliIo): Promise<number> => {
  parseCommandArgs(args, {});
  const { handle } = await openReadyDatabase(configOrUsageError());
  io.stdout(`Database is up to date (${handle.engine}).\n`);
  await handle.close();
  return 0;
};

/** `tandem remind`: re-send parents' unanswered questionnaire links now (for cron, with TANDEM_REMINDER_HOURS=0). */
export const runRemind = async (args: string[], io: CliIo): Promise<number> => {
  parseCommandArgs(args, {});
  const config = configOrUsageError();
  if (!config.publicUrl) throw new CliUsageError('TANDEM_PUBLIC_URL must be set: the reminder emails carry the address parents open');
  const { handle } = await openReadyDatabase(config);
  try {
    const sent = await sendQuestionnaireReminders(handle.db, { baseUrl: config.publicUrl });
    io.stdout(`Reminders queued: ${sent.length}\n`);
    return 0;
  } finally {
    await handle.close();
  }
};

export const runDemo = async (args: string[], io: CliIo): Promise<number> => {
  const { values } = parseCommandArgs(args, { password: { type: 'string' } });
  if (values.password !== undefined) {
    const parsed = passwordSchema.safeParse(values.password);
    if (!parsed.success) throw new CliUsageError(`--password: ${parsed.error.issues[0]?.message ?? 'is not valid'}`);
  }
  const { handle } = await openReadyDatabase(configOrUsageError());
  try {
    if (await findOrganisationBySlug(handle.db, 'demo-provider')) {
      io.stderr('The demo data is already in this database.\n');
      return 1;
    }
    io.stdout(formatSignIns(await seedDemo(handle.db, values.password ? { password: values.password } : {})));
    return 0;
  } finally {
    await handle.close();
  }
};

const usersCreateArgs = z.object({
  email: emailSchema,
  name: personName,
  role: z.enum(roles, { message: `must be one of ${roles.join(', ')}` }),
  organisation: z.string().trim().min(1, { message: 'is required' }).max(200),
  'organisation-kind': z.enum(organisationKinds, { message: `must be one of ${organisationKinds.join(', ')}` }).default('provider'),
  password: passwordSchema,
});

/** `tandem users create`: the first administrator of a real deployment (or anyone, from a shell on the server). */
export const runUsersCreate = async (args: string[], io: CliIo): Promise<number> => {
  const [sub, ...rest] = args;
  if (sub !== 'create') throw new CliUsageError(`users: unknown subcommand "${sub ?? ''}"; try "tandem users create --help"`);
  const { values } = parseCommandArgs(rest, {
    email: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string', default: 'org_admin' },
    organisation: { type: 'string' },
    'organisation-kind': { type: 'string' },
    password: { type: 'string' },
  });
  const password = values.password ?? process.env.TANDEM_NEW_USER_PASSWORD;
  const parsed = usersCreateArgs.safeParse({ ...values, password });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CliUsageError(`--${String(issue?.path[0] ?? 'arguments')}: ${issue?.message ?? 'is not valid'}`);
  }
  const input = parsed.data;
  const { handle } = await openReadyDatabase(configOrUsageError());
  try {
    const { slugify } = await import('../server/modules/identity/organisations.service.ts');
    const existing = await findOrganisationBySlug(handle.db, slugify(input.organisation));
    const organisationId = existing?.id ?? (await createOrganisation(handle.db, { name: input.organisation, kind: input['organisation-kind'] })).id;
    await createUserWithPassword(handle.db, { organisationId, email: input.email, name: input.name, role: input.role, password: input.password });
    io.stdout(`Created ${input.email} (${input.role}) in ${input.organisation}${existing ? '' : ' (new organisation)'}.\n`);
    return 0;
  } catch (error) {
    if (error instanceof AppError) {
      io.stderr(`tandem users create: ${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    throw error;
  } finally {
    await handle.close();
  }
};

/** Prints the OpenAPI document without starting a server or touching a database. */
export const runOpenapi = async (args: string[], io: CliIo): Promise<number> => {
  parseCommandArgs(args, {});
  const { openPglite } = await import('../server/platform/db/connect.ts');
  const handle = await openPglite<never>(undefined);
  try {
    const app = await buildApp({ db: handle.db as never, config: configOrUsageError(), webDir: null });
    await app.ready();
    io.stdout(`${JSON.stringify(app.swagger(), null, 2)}\n`);
    await app.close();
    return 0;
  } finally {
    await handle.close();
  }
};
