import { describe, expect, it } from 'vitest';
import { core10 } from '../instruments/core-10.ts';
import { coreOm } from '../instruments/core-om.ts';
import { scoreAdministration } from './score.ts';

type Responses = Record<string, number | null>;

/*
 * Worked examples from the published CORE rules (instruments.md §1; issue 4 item 4). Inputs are positions
 * on the printed scale (0 = "Not at all" … 4 = "Most or all of the time"), so a reversed item contributes
 * 4 − response.
 */

const CORE10_REVERSED = ['2', '3'];
const CORE10_PLAIN = ['1', '4', '5', '6', '7', '8', '9', '10'];

/** A complete CORE-10 whose clinical score is `total`, item 6 kept at 0 unless the total needs it. */
const core10WithTotal = (total: number): Responses => {
  const responses: Responses = {};
  let left = total;
  // Fill non-risk plain items first, then the reversed ones, then item 6.
  for (const key of [...CORE10_PLAIN.filter((k) => k !== '6'), ...CORE10_REVERSED, '6']) {
    const score = Math.min(4, left);
    left -= score;
    responses[key] = CORE10_REVERSED.includes(key) ? 4 - score : score;
  }
  return responses;
};

describe('CORE-10', () => {
  it('reverses items 2 and 3: answering "Not at all" to everything scores 8', () => {
    const all0 = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [String(i + 1), 0]));
    const result = scoreAdministration(core10, all0);
    expect(result).toEqual({
      instrument: 'core-10',
      status: 'scored',
      scores: { total: 8 },
      bands: { total: 'low' },
      flags: [],
      valid: true,
    });
  });

  it('scores 0 when only the positively worded items are "Most or all of the time"', () => {
    const responses = { ...core10WithTotal(0) };
    expect(responses['2']).toBe(4);
    expect(scoreAdministration(core10, responses).scores.total).toBe(0);
  });

  it('scores 40 at the top of the scale', () => {
    const result = scoreAdministration(core10, core10WithTotal(40));
    expect(result.scores.total).toBe(40);
    expect(result.bands.total).toBe('severe');
    expect(result.flags).toEqual(['clinical', 'risk']);
  });

  it.each([
    [0, 'healthy'],
    [5, 'healthy'],
    [6, 'low'],
    [10, 'low'],
    [11, 'mild'],
    [14, 'mild'],
    [15, 'moderate'],
    [19, 'moderate'],
    [20, 'moderate_to_severe'],
    [24, 'moderate_to_severe'],
    [25, 'severe'],
    [40, 'severe'],
  ])('a complete total of %i is in band %s', (total, band) => {
    const result = scoreAdministration(core10, core10WithTotal(total));
    expect(result.scores.total).toBe(total);
    expect(result.bands.total).toBe(band);
  });

  it.each([
    [10, false],
    [11, true],
  ])('total %i → clinical flag %s (cut-off 11, Barkham 2013)', (total, clinical) => {
    expect(scoreAdministration(core10, core10WithTotal(total)).flags.includes('clinical')).toBe(clinical);
  });

  it('raises the risk flag when item 6 is answered above 0, whatever the total', () => {
    const responses = { ...core10WithTotal(0), '6': 1 };
    const result = scoreAdministration(core10, responses);
    expect(result.scores.total).toBe(1);
    expect(result.flags).toEqual(['risk']);
  });

  it('prorates one missing item as mean × 10, unrounded, and flags it', () => {
    const responses: Responses = { ...core10WithTotal(16), '10': null };
    // 9 answered items: which ones carry the 16 points? core10WithTotal fills items 1,4,5,7 first (4 each),
    // so item 10 (filled later) was 0 and the answered sum stays 16.
    const result = scoreAdministration(core10, responses);
    expect(result.scores.total).toBeCloseTo(160 / 9, 12);
    expect(result.scores.total).not.toBe(Math.round(160 / 9));
    expect(result.status).toBe('scored');
    expect(result.flags).toEqual(['clinical', 'prorated']);
    expect(result.bands.total).toBe('moderate');
  });

  it('treats an absent item like null', () => {
    const { '10': _dropped, ...withoutTen } = core10WithTotal(16);
    expect(scoreAdministration(core10, withoutTen).scores.total).toBeCloseTo(160 / 9, 12);
  });

  it('bands a non-integer prorated score by lower bounds: 5.56 healthy, 6.67 low, 10 low, 11.11 mild', () => {
    const withMissing = (sum: number): Responses => ({ ...core10WithTotal(sum), '10': null });
    const cases: [number, string, boolean][] = [
      [5, 'healthy', false],
      [6, 'low', false],
      [9, 'low', false],
      [10, 'mild', true],
    ];
    for (const [sum, band, clinical] of cases) {
      const result = scoreAdministration(core10, withMissing(sum));
      expect(result.scores.total).toBeCloseTo((sum * 10) / 9, 12);
      expect(result.bands.total).toBe(band);
      expect(result.flags.includes('clinical')).toBe(clinical);
    }
  });

  it('does not score with two items missing, but still raises the risk flag', () => {
    const responses: Responses = { ...core10WithTotal(12), '9': null, '10': null, '6': 2 };
    const result = scoreAdministration(core10, responses);
    expect(result).toEqual({
      instrument: 'core-10',
      status: 'not_scorable',
      scores: { total: null },
      bands: {},
      flags: ['risk'],
      valid: true,
    });
  });

  it('does not score an empty form', () => {
    expect(scoreAdministration(core10, {}).status).toBe('not_scorable');
  });

  it('a missing reversed item prorates from the other nine (reversal applied before the mean)', () => {
    // Items 2 and 3 answered "Not at all" → scores 4 each; item 3 missing leaves 1 reversed item at 4.
    const responses: Responses = { ...core10WithTotal(0), '2': 0, '3': null };
    const result = scoreAdministration(core10, responses);
    expect(result.scores.total).toBeCloseTo(40 / 9, 12);
    expect(result.bands.total).toBe('healthy');
  });
});

const OM_REVERSED = [3, 4, 7, 12, 19, 21, 31, 32];
const OM_RISK = [6, 9, 16, 22, 24, 34];
const OM_WELLBEING = [4, 14, 17, 31];
const OM_PROBLEMS = [2, 5, 8, 11, 13, 15, 18, 20, 23, 27, 28, 30];

/** A complete CORE-OM with every item *scoring* `score` (reversed items get 4 − score as response). */
const omAllScoring = (score: number): Responses =>
  Object.fromEntries(
    Array.from({ length: 34 }, (_, i) => i + 1).map((n) => [String(n), OM_REVERSED.includes(n) ? 4 - score : score]),
  );

describe('CORE-OM', () => {
  it('reverses exactly items 3, 4, 7, 12, 19, 21, 31, 32', () => {
    for (let n = 1; n <= 34; n += 1) {
      const base = omAllScoring(0);
      const flipped = { ...base, [String(n)]: 4 - (base[String(n)] ?? 0) };
      const result = scoreAdministration(coreOm, flipped);
      // Flipping one item's response from its 0-scoring end to the other adds 4 item points: 40/34 clinical points.
      expect(result.scores.total).toBeCloseTo(40 / 34, 12);
      expect(coreOm.items[n - 1]?.reversed).toBe(OM_REVERSED.includes(n));
    }
  });

  it('reports all-items, non-risk and the four domains as clinical scores (mean × 10)', () => {
    const responses = omAllScoring(1);
    for (const n of OM_RISK) responses[String(n)] = 0;
    const result = scoreAdministration(coreOm, responses);
    expect(result.scores).toEqual({
      total: (28 * 10) / 34,
      non_risk: 10,
      wellbeing: 10,
      problems: 10,
      functioning: 10,
      risk: 0,
    });
    expect(result.bands).toEqual({ total: 'low' });
    expect(result.flags).toEqual([]);
  });

  it.each([
    [0, 'healthy'],
    [1, 'mild'],
    [2, 'moderate_to_severe'],
    [4, 'severe'],
  ])('every item scoring %i gives band %s', (score, band) => {
    expect(scoreAdministration(coreOm, omAllScoring(score)).bands.total).toBe(band);
  });

  it('uses cut-off 10 (Connell 2007): 33 answered summing 33 → 10 clinical, 32 → 9.7 not', () => {
    const at = (sum: number): Responses => {
      const responses = omAllScoring(0);
      responses['1'] = null;
      // Put the points on the non-risk functioning/problem items (not reversed): 2, 5, 8, 10, 11 …
      const targets = [2, 5, 8, 10, 11, 13, 15, 18, 20, 23];
      let left = sum;
      for (const n of targets) {
        const score = Math.min(4, left);
        left -= score;
        responses[String(n)] = score;
      }
      return responses;
    };
    const ten = scoreAdministration(coreOm, at(33));
    expect(ten.scores.total).toBe(10);
    expect(ten.bands.total).toBe('mild');
    expect(ten.flags).toEqual(['clinical', 'prorated']);
    const below = scoreAdministration(coreOm, at(32));
    expect(below.scores.total).toBeCloseTo(320 / 33, 12);
    expect(below.bands.total).toBe('low');
    expect(below.flags).toEqual(['prorated']);
  });

  it.each([
    [5, 'low'],
    [15, 'moderate'],
    [20, 'moderate_to_severe'],
    [25, 'severe'],
  ])('band edge %i is the start of %s', (edge, band) => {
    // A complete form reaches clinical score `edge` when the item sum is 34 × edge / 10 (17, 51, 68, 85).
    const sum = (34 * edge) / 10;
    expect(Number.isInteger(sum)).toBe(true);
    const responses = omAllScoring(0);
    let left = sum;
    for (let n = 1; n <= 34 && left > 0; n += 1) {
      const score = Math.min(4, left);
      left -= score;
      responses[String(n)] = OM_REVERSED.includes(n) ? 4 - score : score;
    }
    const result = scoreAdministration(coreOm, responses);
    expect(result.scores.total).toBeCloseTo(edge, 12);
    expect(result.bands.total).toBe(band);
  });

  it('prorates the total with up to 3 missing and refuses 4', () => {
    const three = omAllScoring(2);
    for (const n of [1, 2, 3]) three[String(n)] = null;
    const scored = scoreAdministration(coreOm, three);
    expect(scored.status).toBe('scored');
    expect(scored.scores.total).toBe(20);
    expect(scored.flags).toContain('prorated');

    const four = { ...three, '5': null };
    const refused = scoreAdministration(coreOm, four);
    expect(refused.status).toBe('not_scorable');
    expect(refused.scores.total).toBeNull();
    expect(refused.bands).toEqual({});
  });

  it('non-risk allows 3 missing (CST, April 2023) and not 4', () => {
    const responses = omAllScoring(1);
    for (const n of [1, 2, 3]) responses[String(n)] = null;
    expect(scoreAdministration(coreOm, responses).scores.non_risk).toBe(10);
    responses['5'] = null;
    expect(scoreAdministration(coreOm, responses).scores.non_risk).toBeNull();
  });

  it('problems and functioning allow one missing item; well-being and risk none', () => {
    const oneEach = omAllScoring(2);
    oneEach['2'] = null; // problems
    oneEach['1'] = null; // functioning
    oneEach['4'] = null; // well-being
    oneEach['6'] = null; // risk
    const result = scoreAdministration(coreOm, oneEach);
    expect(result.scores.problems).toBe(20);
    expect(result.scores.functioning).toBe(20);
    expect(result.scores.wellbeing).toBeNull();
    expect(result.scores.risk).toBeNull();
    // Four items missing in all: too many for the total (max 3), so the form is not scorable.
    expect(result.scores.total).toBeNull();
    expect(result.status).toBe('not_scorable');
    const threeMissing = scoreAdministration(coreOm, { ...oneEach, '6': 2 });
    expect(threeMissing.scores.total).toBe(20);
    expect(threeMissing.scores.risk).toBe(20);
    expect(threeMissing.status).toBe('scored');

    const twoProblems = { ...omAllScoring(2), '2': null, '5': null };
    expect(scoreAdministration(coreOm, twoProblems).scores.problems).toBeNull();
    expect(OM_WELLBEING).toHaveLength(4);
    expect(OM_PROBLEMS).toHaveLength(12);
  });

  it.each(OM_RISK)('raises the risk flag when risk item %i is above 0', (n) => {
    const responses = { ...omAllScoring(0), [String(n)]: 1 };
    expect(scoreAdministration(coreOm, responses).flags).toContain('risk');
  });
});
