import { describe, expect, it } from 'vitest';
import { core10 } from '../instruments/core-10.ts';
import { qmi } from '../instruments/qmi.ts';
import { sdqP4to17 } from '../instruments/sdq-p4-17.ts';
import { InvalidResponsesError, scoreAdministration } from './score.ts';
import { describeAllowed, validateResponses } from './validate.ts';

describe('validateResponses', () => {
  it('accepts valid values, nulls and absent items', () => {
    expect(validateResponses(core10, { '1': 0, '2': 4, '3': null })).toEqual([]);
    expect(validateResponses(core10, {})).toEqual([]);
  });

  it('names an unknown item', () => {
    expect(validateResponses(core10, { '11': 0 })).toEqual([
      { item: '11', code: 'unknown_item', message: 'item "11": not an item of core-10' },
    ]);
  });

  it('reports an unknown item even when its value is null', () => {
    expect(validateResponses(core10, { q1: null })).toEqual([
      { item: 'q1', code: 'unknown_item', message: 'item "q1": not an item of core-10' },
    ]);
  });

  it('names a non-integer', () => {
    expect(validateResponses(core10, { '2': 1.5 })).toEqual([
      { item: '2', code: 'not_integer', message: 'item "2": 1.5 is not an integer' },
    ]);
  });

  it.each([
    [-1, '0–4'],
    [5, '0–4'],
  ])('names an out-of-range value %i', (value, allowed) => {
    expect(validateResponses(core10, { '6': value })).toEqual([
      { item: '6', code: 'out_of_range', message: `item "6": ${value} is out of range (allowed ${allowed})` },
    ]);
  });

  it('names non-numbers that slip past a type check (strings, NaN, Infinity)', () => {
    const problems = validateResponses(core10, { '1': '2', '2': Number.NaN, '3': Number.POSITIVE_INFINITY });
    expect(problems.map((p) => [p.item, p.code])).toEqual([
      ['1', 'not_a_number'],
      ['2', 'not_a_number'],
      ['3', 'not_a_number'],
    ]);
    expect(problems[0]?.message).toBe('item "1": expected a number or null, got "2"');
    expect(problems[1]?.message).toBe('item "2": expected a number or null, got NaN');
  });

  it('lists every problem, in the object\'s key order (integer-like keys first, as JavaScript orders them)', () => {
    const problems = validateResponses(sdqP4to17, { '1': 3, '29e': 0, '2': 0.5 });
    expect(problems.map((p) => p.item)).toEqual(['1', '2', '29e']);
  });

  it('describes allowed values compactly', () => {
    const item6 = qmi.items.find((item) => item.key === '6');
    expect(item6 && describeAllowed(item6)).toBe('1–10');
    expect(describeAllowed({ key: 'x', reversed: false, options: [{ value: 1 }, { value: 3 }, { value: 5 }] })).toBe('1, 3, 5');
  });
});

describe('scoreAdministration on bad input', () => {
  it('throws InvalidResponsesError carrying every problem', () => {
    try {
      scoreAdministration(core10, { '1': 9, '12': 0 });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidResponsesError);
      if (!(error instanceof InvalidResponsesError)) return;
      expect(error.problems.map((p) => p.code)).toEqual(['out_of_range', 'unknown_item']);
      expect(error.message).toBe('item "1": 9 is out of range (allowed 0–4); item "12": not an item of core-10');
    }
  });
});
