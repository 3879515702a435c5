import { describe, expect, it } from 'vitest';
import type { CliIo } from './io.ts';
import { runScore } from './score.ts';

type Run = { code: number; stdout: string; stderr: string };

/** Runs `tandem score` against a fake terminal: `stdin` is what the user pipes in. */
const run = async (args: string[], stdin: string): Promise<Run> => {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    readStdin: async () => stdin,
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  };
  const code = await runScore(args, io);
  return { code, stdout, stderr };
};

const items = (values: Record<string, number | null>): string => JSON.stringify({ items: values });

/** Expects a bad-input exit: code 2, one line on stderr containing `reason`, nothing on stdout. */
const expectBadInput = (result: Run, reason: string): void => {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).toContain(reason);
  expect(result.stderr.endsWith('\n')).toBe(true);
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
};

describe('tandem score', () => {
  it('prints one line of JSON with the fixed keys in order and exits 0', async () => {
    const result = await run(
      ['core-10'],
      items({ '1': 1, '2': 0, '3': 4, '4': 2, '5': 1, '6': 1, '7': 2, '8': 3, '9': 2, '10': null }),
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout.endsWith('\n')).toBe(true);
    expect(result.stdout.trimEnd().split('\n')).toHaveLength(1);
    const parsed: unknown = JSON.parse(result.stdout);
    expect(Object.keys(parsed as object)).toEqual(['instrument', 'status', 'scores', 'bands', 'flags', 'valid']);
    // 1 + (4 − 0) + (4 − 4) + 2 + 1 + 1 + 2 + 3 + 2 = 16 over 9 items → 160 / 9.
    expect(parsed).toEqual({
      instrument: 'core-10',
      status: 'scored',
      scores: { total: 160 / 9 },
      bands: { total: 'moderate' },
      flags: ['clinical', 'risk', 'prorated'],
      valid: true,
    });
  });

  it('reports not_scorable on stdout with exit 0 (too much missing is not bad input)', async () => {
    const result = await run(['core-10'], items({ '1': 1 }));
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'not_scorable', scores: { total: null }, bands: {} });
  });

  it('scores an SDQ with both band schemes', async () => {
    const answers: Record<string, number> = { '26': 0 };
    for (let i = 1; i <= 25; i += 1) answers[String(i)] = 1;
    const result = await run(['sdq-p4-17'], items(answers));
    const parsed = JSON.parse(result.stdout) as { scores: Record<string, number>; bands: Record<string, string> };
    expect(parsed.scores).toEqual({
      emotional: 5,
      conduct: 5,
      hyperactivity: 5,
      peer: 5,
      prosocial: 5,
      total: 20,
      externalising: 10,
      internalising: 10,
      impact: 0,
    });
    expect(parsed.bands.total).toBe('abnormal');
    expect(parsed.bands.total_4band).toBe('very_high');
    expect(parsed.bands.prosocial).toBe('borderline');
    expect(parsed.bands.prosocial_4band).toBe('very_low');
  });

  it('scores BCAP by role keys', async () => {
    const answers: Record<string, number | null> = {};
    for (let i = 1; i <= 24; i += 1) answers[`R${i}`] = i <= 11 ? 1 : 0;
    answers.R24 = null;
    for (let i = 1; i <= 6; i += 1) answers[`L${i}`] = i <= 4 ? 1 : 0;
    const result = await run(['bcap'], items(answers));
    expect(JSON.parse(result.stdout)).toEqual({
      instrument: 'bcap',
      status: 'not_scorable',
      scores: { risk: null, risk_min: 11, risk_max: 12, lie: 4, random: null },
      bands: {},
      flags: ['at_risk_indeterminate', 'lie_elevated', 'random_indeterminate'],
      valid: false,
    });
  });

  it('rejects a missing instrument id', async () => {
    expectBadInput(await run([], items({})), 'missing instrument id; one of: core-10, core-om');
  });

  it('rejects an unknown instrument id', async () => {
    expectBadInput(await run(['core-11'], items({})), 'unknown instrument "core-11"');
  });

  it('rejects a second positional argument and unknown options', async () => {
    expectBadInput(await run(['core-10', 'qmi'], items({})), 'expected one instrument id, got also "qmi"');
    expectBadInput(await run(['core-10', '--verbose'], items({})), 'unknown option "--verbose"');
  });

  it.each([
    ['', 'malformed JSON on stdin'],
    ['{"items": {', 'malformed JSON on stdin'],
    ['not json', 'malformed JSON on stdin'],
  ])('rejects malformed JSON %j', async (stdin, reason) => {
    expectBadInput(await run(['core-10'], stdin), reason);
  });

  it.each([
    ['[]', 'expected a JSON object'],
    ['null', 'expected a JSON object'],
    ['{}', '"items": expected an object of item → value'],
    ['{"items": [1, 2]}', '"items": expected an object of item → value'],
  ])('rejects the wrong shape %s', async (stdin, reason) => {
    expectBadInput(await run(['core-10'], stdin), reason);
  });

  it('rejects a non-number value, naming the item', async () => {
    expectBadInput(await run(['core-10'], '{"items": {"3": "2"}}'), 'item "3": expected a number or null');
    expectBadInput(await run(['core-10'], '{"items": {"4": true}}'), 'item "4": expected a number or null');
  });

  it('rejects an unknown item, naming it', async () => {
    expectBadInput(await run(['core-10'], items({ '11': 0 })), 'item "11": not an item of core-10');
  });

  it('rejects a value out of range, naming the item and the allowed values', async () => {
    expectBadInput(await run(['core-10'], items({ '6': 5 })), 'item "6": 5 is out of range (allowed 0–4)');
    expectBadInput(await run(['sdq-p4-17'], items({ '29a': 4 })), 'item "29a": 4 is out of range (allowed 0–3)');
    expectBadInput(await run(['bcap'], items({ R3: 2 })), 'item "R3": 2 is out of range (allowed 0–1)');
  });

  it('rejects a non-integer, naming the item', async () => {
    expectBadInput(await run(['qmi'], items({ '2': 3.5 })), 'item "2": 3.5 is not an integer');
  });

  it('lists several problems on one line', async () => {
    const result = await run(['core-10'], items({ '1': 7, '2': 0.5 }));
    expectBadInput(result, 'item "1": 7 is out of range (allowed 0–4); item "2": 0.5 is not an integer');
  });
});
