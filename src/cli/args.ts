import { parseArgs, type ParseArgsConfig } from 'node:util';

export class CliUsageError extends Error {}

/** node:util parseArgs in strict mode, with its errors turned into one-line usage errors (exit 2). */
export const parseCommandArgs = <T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, allowPositionals = false) => {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message.split('\n')[0] : String(error));
  }
};
