import { describe, expect, it } from 'vitest';
import { gad7 } from '../instruments/gad-7.ts';
import { phq9 } from '../instruments/phq-9.ts';
import { qmi } from '../instruments/qmi.ts';
import { swemwbs } from '../instruments/swemwbs.ts';
import { scoreAdministration } from './score.ts';

type Responses = Record<string, number | null>;

/** `count` items keyed 1…count whose values sum to `total`, each between `low` and `high`. */
const spread = (count: number, total: number, low: number, high: number): Responses => {
  const responses: Responses = {};
  let left = total - count * low;
  for (let i = 1; i <= count; i += 1) {
    const extra = Math.min(high - low, left);
    left -= extra;
    responses[String(i)] = low + extra;
  }
  if (left !== 0) throw new Error(`cannot reach ${total}`);
  return responses;
};

describe('QMI (Norton 1983)', () => {
  it('sums six items: 6 at the bottom, 45 at the top, no reversal', () => {
    const bottom = scoreAdministration(qmi, { '1': 1, '2': 1, '3': 1, '4': 1, '5': 1, '6': 1 });
    expect(bottom).toEqual({ instrument: 'qmi', status: 'scored', scores: { total: 6 }, bands: {}, flags: [], valid: true });
    const top = scoreAdministration(qmi, { '1': 7, '2': 7, '3': 7, '4': 7, '5': 7, '6': 10 });
    expect(top.scores.total).toBe(45);
  });

  it('uses the 1–10 range for item 6 only', () => {
    expect(scoreAdministration(qmi, { '1': 4, '2': 4, '3': 4, '4': 4, '5': 4, '6': 10 }).scores.total).toBe(30);
    expect(() => scoreAdministration(qmi, { '1': 8 })).toThrow('item "1": 8 is out of range (allowed 1–7)');
    expect(() => scoreAdministration(qmi, { '6': 11 })).toThrow('item "6": 11 is out of range (allowed 1–10)');
    expect(() => scoreAdministration(qmi, { '6': 0 })).toThrow('item "6": 0 is out of range (allowed 1–10)');
  });

  it('is not scorable with any item missing (no published proration rule)', () => {
    const result = scoreAdministration(qmi, { '1': 7, '2': 7, '3': 7, '4': 7, '5': 7, '6': null });
    expect(result.status).toBe('not_scorable');
    expect(result.scores.total).toBeNull();
    expect(result.flags).toEqual([]);
  });

  it('has no built-in cut-off', () => {
    expect(qmi.thresholds).toEqual([]);
    expect(qmi.bandings).toEqual([]);
  });
});

describe('PHQ-9', () => {
  it.each([
    [0, 'minimal', false],
    [4, 'minimal', false],
    [5, 'mild', false],
    [9, 'mild', false],
    [10, 'moderate', true],
    [14, 'moderate', true],
    [15, 'moderately_severe', true],
    [19, 'moderately_severe', true],
    [20, 'severe', true],
    [27, 'severe', true],
  ])('total %i → %s, caseness %s', (total, band, caseness) => {
    // Keep item 9 at 0 where possible so only caseness is in play.
    const responses = spread(9, total, 0, 3);
    const result = scoreAdministration(phq9, responses);
    expect(result.scores.total).toBe(total);
    expect(result.bands.total).toBe(band);
    expect(result.flags.includes('caseness')).toBe(caseness);
  });

  it('raises risk on item 9 above 0, even when not scorable', () => {
    const responses = { ...spread(9, 0, 0, 3), '9': 1, '1': null };
    const result = scoreAdministration(phq9, responses);
    expect(result.status).toBe('not_scorable');
    expect(result.flags).toEqual(['risk']);
  });

  it('does not score item 10 (functional difficulty)', () => {
    expect(scoreAdministration(phq9, { ...spread(9, 7, 0, 3), '10': 3 }).scores.total).toBe(7);
  });

  it('rejects 4 on a 0–3 item', () => {
    expect(() => scoreAdministration(phq9, { '3': 4 })).toThrow('item "3": 4 is out of range (allowed 0–3)');
  });
});

describe('GAD-7', () => {
  it.each([
    [0, 'minimal', []],
    [4, 'minimal', []],
    [5, 'mild', []],
    [7, 'mild', []],
    [8, 'mild', ['caseness']],
    [9, 'mild', ['caseness']],
    [10, 'moderate', ['caseness', 'screen_positive']],
    [14, 'moderate', ['caseness', 'screen_positive']],
    [15, 'severe', ['caseness', 'screen_positive']],
    [21, 'severe', ['caseness', 'screen_positive']],
  ])('total %i → %s, flags %j', (total, band, flags) => {
    const result = scoreAdministration(gad7, spread(7, total, 0, 3));
    expect(result.scores.total).toBe(total);
    expect(result.bands.total).toBe(band);
    expect(result.flags).toEqual(flags);
  });

  it('is not scorable with a missing item', () => {
    expect(scoreAdministration(gad7, { ...spread(7, 14, 0, 3), '7': null }).status).toBe('not_scorable');
  });
});

describe('SWEMWBS', () => {
  it.each([
    [7, 7.0],
    [8, 9.51],
    [14, 15.32],
    [21, 19.25],
    [28, 25.03],
    [34, 32.55],
    [35, 35.0],
  ])('raw %i converts to metric %d', (raw, metric) => {
    const result = scoreAdministration(swemwbs, spread(7, raw, 1, 5));
    expect(result.scores).toEqual({ raw, metric });
    expect(result.status).toBe('scored');
  });

  it('is not scorable with a missing item (raw and metric both null)', () => {
    const result = scoreAdministration(swemwbs, { ...spread(7, 21, 1, 5), '4': null });
    expect(result.scores).toEqual({ raw: null, metric: null });
    expect(result.status).toBe('not_scorable');
  });

  it('rejects 0 (items run 1–5)', () => {
    expect(() => scoreAdministration(swemwbs, { '1': 0 })).toThrow('item "1": 0 is out of range (allowed 1–5)');
  });
});
