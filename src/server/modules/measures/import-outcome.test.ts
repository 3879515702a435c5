import { describe, expect, it } from 'vitest';
import { jsonbKeyOrder, outcomePairKey, outcomeShape, outcomeVals } from './import-outcome.ts';

describe('the outcome_score values the import computes', () => {
  it('orders keys as jsonb stores them: by length in bytes, then bytewise', () => {
    expect(jsonbKeyOrder(['total', 'impact', 'peer', 'conduct', 'emotional', 'prosocial', 'externalising', 'internalising', 'hyperactivity'])).toEqual([
      'peer',
      'total',
      'impact',
      'conduct',
      'emotional',
      'prosocial',
      'externalising',
      'hyperactivity',
      'internalising',
    ]);
    expect(jsonbKeyOrder(['risk_min', 'risk', 'lie', 'random', 'risk_max'])).toEqual(['lie', 'risk', 'random', 'risk_max', 'risk_min']);
    // "é" is two bytes: longer than a one-byte key of one character, and after every ASCII letter of its length.
    expect(jsonbKeyOrder(['é', 'ab', 'z', 'B'])).toEqual(['B', 'z', 'ab', 'é']);
  });

  it('writes the shape, the pair key and the scores array in that order', () => {
    expect(outcomeShape('core-10', ['total'])).toBe('core-10:total');
    expect(outcomeShape('x', [])).toBe('x:');
    // The values PostgreSQL 15 gives for md5(concat_ws(chr(31), …)) of the same texts.
    expect(outcomePairKey('r', '', 'core-10', 'P', 'G')).toBe('21512da9fe59a65975ff48e4b53f12d0');
    expect(outcomePairKey('é', '', 'x', '', '')).toBe('b38fae8e36dbeaa7ab76c73b670717a1');
    expect(outcomePairKey('r', '', 'core-10', 'P', 'G')).not.toBe(outcomePairKey('r', '', 'core-10', 'PG', ''));
    expect(outcomeVals({ total: 16.666666666666668, lie: null, risk: 3 }, ['lie', 'risk', 'total'])).toBe('{NULL,3,16.666666666666668}');
    expect(outcomeVals({ a: Number.NaN }, ['a'])).toBe('{NULL}');
    expect(outcomeVals({}, [])).toBe('{}');
  });
});
