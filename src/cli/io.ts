/** What a CLI command needs from the outside world; tests pass their own. */
export type CliIo = {
  readStdin: () => Promise<string>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
};

export const processIo: CliIo = {
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** Exit code for bad input on the command line or stdin (the fixed interface says 2). */
export const EXIT_BAD_INPUT = 2;
