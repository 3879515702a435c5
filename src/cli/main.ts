import { CliUsageError } from './args.ts';
import { backupUsage, restoreUsage } from './backup-usage.ts';
import { importUsage } from './import-usage.ts';
import { processIo, type CliIo, EXIT_BAD_INPUT } from './io.ts';

type Command = {
  summary: string;
  usage: string;
  run: (args: string[], io: CliIo) => Promise<number>;
};

const server = () => import('./server-commands.ts');

const commands: Record<string, Command> = {
  start: {
    summary: 'Start the API and web app (embedded database unless DATABASE_URL is set)',
    usage: 'tandem start [--port N]\n\nEnvironment: PORT (3000), DATABASE_URL (PostgreSQL; unset = embedded PGlite), TANDEM_DATA_DIR (./data).\nA new embedded database is filled with clearly marked demo data and the demo sign-ins are printed.',
    run: async (args, io) => (await server()).runStart(args, io),
  },
  migrate: {
    summary: 'Bring the database schema up to date (also done by start)',
    usage: 'tandem migrate',
    run: async (args, io) => (await server()).runMigrate(args, io),
  },
  demo: {
    summary: 'Add the synthetic demo organisations and staff to the database',
    usage: 'tandem demo [--password P]   (default: a random password, printed)',
    run: async (args, io) => (await server()).runDemo(args, io),
  },
  users: {
    summary: 'Create a user (e.g. the first administrator of a real deployment)',
    usage:
      'tandem users create --email E --name "N" --organisation "Org name" [--role org_admin] [--organisation-kind provider] [--password P]\n\nThe password can also be given in TANDEM_NEW_USER_PASSWORD (keeps it out of shell history). Roles: org_admin, service_manager, case_worker, facilitator, evaluator, commissioner.',
    run: async (args, io) => (await server()).runUsersCreate(args, io),
  },
  remind: {
    summary: "Re-send parents' unanswered questionnaire links now (the server also does it every TANDEM_REMINDER_HOURS)",
    usage: 'tandem remind\n\nNeeds TANDEM_PUBLIC_URL (the address in the emails). At most two reminders per link, three days apart, never after its window closes.',
    run: async (args, io) => (await server()).runRemind(args, io),
  },
  openapi: {
    summary: 'Print the OpenAPI document',
    usage: 'tandem openapi > openapi.json',
    run: async (args, io) => (await server()).runOpenapi(args, io),
  },
  score: {
    summary: 'Score one questionnaire read as JSON on stdin',
    usage: 'tandem score <instrument-id>  < {"items": {"1": 0, "2": null, ...}}',
    run: async (args, io) => (await import('./score.ts')).runScore(args, io),
  },
  backup: {
    summary: 'Write a consistent snapshot of the embedded database to a file (also while the server runs)',
    usage: backupUsage,
    run: async (args, io) => (await import('./backup.ts')).runBackup(args, io),
  },
  restore: {
    summary: 'Restore an embedded-database backup into a new data directory',
    usage: restoreUsage,
    run: async (args, io) => (await import('./backup.ts')).runRestore(args, io),
  },
  import: {
    summary: 'Import questionnaire administrations from a CSV file (scored and stored)',
    usage: importUsage,
    run: async (args, io) => (await import('./import.ts')).runImport(args, io),
  },
  report: {
    summary: 'The outcomes report: JSON on stdout, or an HTML, PDF or CSV file',
    usage: [
      'tandem report --json [filters]',
      '       tandem report --format html|pdf|csv|json --out FILE [filters]',
      '',
      'Filters: --programme NAME  --site NAME  --group LABEL  --role mother|father|carer|child|teacher|other',
      '         --from YYYY-MM-DD  --to YYYY-MM-DD   (completed_on, inclusive)',
      '         --facilitator EMAIL-OR-ID   (families in groups this person facilitated)  --dose all|completers',
      'Options: --org NAME-OR-SLUG   (default: the organisation "default", or the only one there is)',
      "         --aggregate [--min-cell-size N]   commissioners' view: figures on fewer than N people withheld (default TANDEM_MIN_CELL_SIZE, 5)",
    ].join('\n'),
    run: async (args, io) => (await import('./report.ts')).runReport(args, io),
  },
};

const helpText = (): string =>
  [
    'Usage: tandem <command> [options]',
    '',
    'Commands:',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(14)} ${c.summary}`),
    '',
    'Run `tandem <command> --help` for a command\'s options.',
    '',
  ].join('\n');

export const main = async (argv: string[], io: CliIo = processIo): Promise<number> => {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(helpText());
    return 0;
  }
  const command = commands[name];
  if (!command) {
    io.stderr(`tandem: unknown command "${name}". Run "tandem --help" for the list.\n`);
    return EXIT_BAD_INPUT;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`${command.summary}\n\nUsage: ${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof CliUsageError) {
      io.stderr(`tandem ${name}: ${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    throw error;
  }
};
