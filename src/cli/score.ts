import { z } from 'zod';
import { builtInInstruments, getBuiltInInstrument } from '../server/modules/measures/instruments/index.ts';
import { scoreAdministration, validateResponses } from '../server/modules/measures/scoring/index.ts';
import { EXIT_BAD_INPUT, type CliIo } from './io.ts';

/*
 * `tandem score <instrument-id>` — the fixed interface in DESIGN.md and issue 4 item 4:
 * stdin {"items": {"<item>": value|null}} → one line of JSON on stdout, exit 0;
 * bad input → exit 2, a one-line reason on stderr naming the item, nothing on stdout.
 */

const itemValueSchema = z.union([z.number(), z.null()], {
  error: 'expected a number or null',
});

export const scoreInputSchema = z.object(
  {
    items: z.record(z.string(), itemValueSchema, { error: 'expected an object of item → value' }),
  },
  { error: 'expected a JSON object like {"items": {"1": 0}}' },
);

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** Turns the first Zod issue into a reason that names the item where there is one. */
const describeIssue = (error: z.ZodError): string => {
  const issue = error.issues[0];
  if (!issue) return 'invalid input';
  const [top, key] = issue.path;
  if (top === 'items' && key !== undefined) return `item "${String(key)}": ${issue.message}`;
  if (top === 'items') return `"items": ${issue.message}`;
  return issue.message;
};

export const runScore = async (args: string[], io: CliIo): Promise<number> => {
  const fail = (reason: string): number => {
    io.stderr(`tandem score: ${oneLine(reason)}\n`);
    return EXIT_BAD_INPUT;
  };

  const positional = args.filter((arg) => !arg.startsWith('-'));
  const options = args.filter((arg) => arg.startsWith('-'));
  if (options.length > 0) return fail(`unknown option "${options[0] ?? ''}"`);
  const [id, extra] = positional;
  const known = builtInInstruments.map((instrument) => instrument.id).join(', ');
  if (id === undefined) return fail(`missing instrument id; one of: ${known}`);
  if (extra !== undefined) return fail(`expected one instrument id, got also "${extra}"`);
  const instrument = getBuiltInInstrument(id);
  if (!instrument) return fail(`unknown instrument "${id}"; one of: ${known}`);

  const text = await io.readStdin();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return fail(`malformed JSON on stdin: ${detail}`);
  }
  const parsed = scoreInputSchema.safeParse(json);
  if (!parsed.success) return fail(describeIssue(parsed.error));

  const problems = validateResponses(instrument, parsed.data.items);
  if (problems.length > 0) return fail(problems.map((problem) => problem.message).join('; '));

  const result = scoreAdministration(instrument, parsed.data.items);
  // Fixed key order: instrument, status, scores, bands, flags, valid.
  io.stdout(
    `${JSON.stringify({
      instrument: result.instrument,
      status: result.status,
      scores: result.scores,
      bands: result.bands,
      flags: result.flags,
      valid: result.valid,
    })}\n`,
  );
  return 0;
};
