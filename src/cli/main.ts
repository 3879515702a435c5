import { processIo, type CliIo, EXIT_BAD_INPUT } from './io.ts';

type Command = {
  summary: string;
  usage: string;
  run: (args: string[], io: CliIo) => Promise<number>;
};

const commands: Record<string, Command> = {
  score: {
    summary: 'Score one questionnaire read as JSON on stdin',
    usage: 'tandem score <instrument-id>  < {"items": {"1": 0, "2": null, ...}}',
    run: async (args, io) => (await import('./score.ts')).runScore(args, io),
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
  return command.run(rest, io);
};
