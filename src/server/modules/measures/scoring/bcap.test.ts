import { describe, expect, it } from 'vitest';
import { bcap } from '../instruments/bcap.ts';
import { scoreAdministration } from './score.ts';

type Responses = Record<string, number | null>;

/*
 * BCAP rules from issue 4 item 4 and instruments.md §4: items addressed by role, 1 = keyed answer.
 * at_risk at risk ≥ 12 (or risk_min ≥ 12); lie ≥ 4 and random ≥ 2 make the protocol invalid.
 */
const keys = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`);

const form = ({ risk = 0, lie = 0, random = 0 }: { risk?: number; lie?: number; random?: number }): Responses => {
  const responses: Responses = {};
  keys('R', 24).forEach((key, i) => (responses[key] = i < risk ? 1 : 0));
  keys('L', 6).forEach((key, i) => (responses[key] = i < lie ? 1 : 0));
  keys('RR', 3).forEach((key, i) => (responses[key] = i < random ? 1 : 0));
  return responses;
};

describe('BCAP', () => {
  it('scores a complete, clean protocol', () => {
    expect(scoreAdministration(bcap, form({ risk: 5, lie: 1, random: 0 }))).toEqual({
      instrument: 'bcap',
      status: 'scored',
      scores: { risk: 5, risk_min: 5, risk_max: 5, lie: 1, random: 0 },
      bands: {},
      flags: [],
      valid: true,
    });
  });

  it.each([
    [11, []],
    [12, ['at_risk']],
    [24, ['at_risk']],
  ])('risk %i → flags %j (cut-off ≥ 12)', (risk, flags) => {
    expect(scoreAdministration(bcap, form({ risk })).flags).toEqual(flags);
  });

  it('with a missing risk item: risk null, bounds given, not scorable', () => {
    const responses = { ...form({ risk: 5 }), R24: null };
    const result = scoreAdministration(bcap, responses);
    expect(result.status).toBe('not_scorable');
    expect(result.scores).toMatchObject({ risk: null, risk_min: 5, risk_max: 6 });
    expect(result.flags).toEqual([]);
  });

  it('is at_risk when the observed count already reaches 12 (risk_min ≥ 12)', () => {
    const responses = { ...form({ risk: 12 }), R20: null, R21: null };
    const result = scoreAdministration(bcap, responses);
    expect(result.scores).toMatchObject({ risk: null, risk_min: 12, risk_max: 14 });
    expect(result.flags).toEqual(['at_risk']);
  });

  it('is at_risk_indeterminate when the missing items leave it open (risk_min < 12 ≤ risk_max)', () => {
    const responses = { ...form({ risk: 11 }), R24: null };
    const result = scoreAdministration(bcap, responses);
    expect(result.scores).toMatchObject({ risk: null, risk_min: 11, risk_max: 12 });
    expect(result.flags).toEqual(['at_risk_indeterminate']);
  });

  it('is neither when even the worst case stays below 12', () => {
    const responses = { ...form({ risk: 9 }), R23: null, R24: null };
    expect(scoreAdministration(bcap, responses).flags).toEqual([]);
  });

  it('gives bounds 0–24 for an empty form', () => {
    const result = scoreAdministration(bcap, {});
    expect(result.scores).toEqual({ risk: null, risk_min: 0, risk_max: 24, lie: null, random: null });
    expect(result.flags).toEqual(['at_risk_indeterminate', 'lie_indeterminate', 'random_indeterminate']);
    expect(result.valid).toBe(true);
  });

  it.each([
    [3, [], true],
    [4, ['lie_elevated'], false],
    [6, ['lie_elevated'], false],
  ])('lie %i → flags %j, valid %s', (lie, flags, valid) => {
    const result = scoreAdministration(bcap, form({ lie }));
    expect(result.flags).toEqual(flags);
    expect(result.valid).toBe(valid);
    expect(result.status).toBe('scored');
  });

  it.each([
    [1, [], true],
    [2, ['random_elevated'], false],
    [3, ['random_elevated'], false],
  ])('random %i → flags %j, valid %s', (random, flags, valid) => {
    const result = scoreAdministration(bcap, form({ random }));
    expect(result.flags).toEqual(flags);
    expect(result.valid).toBe(valid);
  });

  it('raises lie_elevated from the observed count even with lie items missing', () => {
    const responses = { ...form({ lie: 4 }), L5: null, L6: null };
    const result = scoreAdministration(bcap, responses);
    expect(result.scores.lie).toBeNull();
    expect(result.flags).toEqual(['lie_elevated']);
    expect(result.valid).toBe(false);
  });

  it('says lie_indeterminate (and stays valid) when missing lie items could reach 4', () => {
    const responses = { ...form({ lie: 3 }), L6: null };
    const result = scoreAdministration(bcap, responses);
    expect(result.flags).toEqual(['lie_indeterminate']);
    expect(result.valid).toBe(true);
  });

  it('marks an invalid-lie protocol with risk > 12 as retain_despite_lie (Milner), still invalid', () => {
    const high = scoreAdministration(bcap, form({ risk: 13, lie: 4 }));
    expect(high.flags).toEqual(['at_risk', 'lie_elevated', 'retain_despite_lie']);
    expect(high.valid).toBe(false);
    const atTwelve = scoreAdministration(bcap, form({ risk: 12, lie: 4 }));
    expect(atTwelve.flags).toEqual(['at_risk', 'lie_elevated']);
    const noLie = scoreAdministration(bcap, form({ risk: 13 }));
    expect(noLie.flags).toEqual(['at_risk']);
  });

  it('both validity scales elevated together', () => {
    const result = scoreAdministration(bcap, form({ lie: 5, random: 2 }));
    expect(result.flags).toEqual(['lie_elevated', 'random_elevated']);
    expect(result.valid).toBe(false);
  });

  it('rejects form item numbers and values other than 0/1', () => {
    expect(() => scoreAdministration(bcap, { '1': 1 })).toThrow('item "1": not an item of bcap');
    expect(() => scoreAdministration(bcap, { R25: 1 })).toThrow('item "R25": not an item of bcap');
    expect(() => scoreAdministration(bcap, { R1: 2 })).toThrow('item "R1": 2 is out of range (allowed 0–1)');
  });
});
