import { describe, expect, it } from 'vitest';
import type { InstrumentDefinition } from '../instruments/definition.ts';
import { sdqP2to4 } from '../instruments/sdq-p2-4.ts';
import { sdqP4to17 } from '../instruments/sdq-p4-17.ts';
import { sdqS11to17 } from '../instruments/sdq-s11-17.ts';
import { sdqT4to17 } from '../instruments/sdq-t4-17.ts';
import { scoreAdministration } from './score.ts';

type Responses = Record<string, number | null>;

/*
 * Worked examples from youthinmind's published SDQ rules (instruments.md §3). Item lists and reversed items
 * are written out again here, from instruments.md, rather than imported, so a slip in the definition fails.
 * Responses: 0 = "Not true", 1 = "Somewhat true", 2 = "Certainly true".
 */
const SCALE_ITEMS = {
  emotional: [3, 8, 13, 16, 24],
  conduct: [5, 7, 12, 18, 22],
  hyperactivity: [2, 10, 15, 21, 25],
  peer: [6, 11, 14, 19, 23],
  prosocial: [1, 4, 9, 17, 20],
} as const;
type Scale = keyof typeof SCALE_ITEMS;
const REVERSED = [7, 11, 14, 21, 25];

const responseFor = (item: number, score: number): number => (REVERSED.includes(item) ? 2 - score : score);

/** Responses for items 1–25 giving each scale the score asked (0 where not given); impact "No". */
const sdq = (scores: Partial<Record<Scale, number>>, extra: Responses = {}): Responses => {
  const responses: Responses = { '26': 0 };
  for (const [scale, items] of Object.entries(SCALE_ITEMS) as [Scale, readonly number[]][]) {
    let left = scores[scale] ?? 0;
    for (const item of items) {
      const score = Math.min(2, left);
      left -= score;
      responses[String(item)] = responseFor(item, score);
    }
  }
  return { ...responses, ...extra };
};

/** Four difficulty scales summing to `total` (each ≤ 10). */
const withTotal = (total: number): Responses => {
  const parts: Partial<Record<Scale, number>> = {};
  let left = total;
  for (const scale of ['emotional', 'conduct', 'hyperactivity', 'peer'] as const) {
    parts[scale] = Math.min(10, left);
    left -= parts[scale] ?? 0;
  }
  return sdq({ ...parts, prosocial: 10 });
};

/** Impact items answered so the recoded impact equals `impact` (26 = "Yes – minor"). */
const withImpact = (instrument: InstrumentDefinition, impact: number): Responses => {
  const impactItems = instrument.id === 'sdq-t4-17' ? ['28', '29a', '29b'] : ['28', '29a', '29b', '29c', '29d'];
  const responses: Responses = { ...sdq({ prosocial: 10 }), '26': 1 };
  let left = impact;
  for (const key of impactItems) {
    const points = Math.min(2, left);
    left -= points;
    // Recode: 0 and 1 → 0, 2 → 1, 3 → 2. Use 1 ("Only a little") for 0 points, to prove it counts 0.
    responses[key] = points === 0 ? 1 : points + 1;
  }
  return responses;
};

describe('SDQ scale scoring', () => {
  it('sums each scale with items 7, 11, 14, 21, 25 reversed', () => {
    // Every item "Not true": reversed items score 2 each.
    const allNotTrue = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [String(i + 1), 0]));
    const result = scoreAdministration(sdqP4to17, { ...allNotTrue, '26': 0 });
    expect(result.scores).toEqual({
      emotional: 0,
      conduct: 2,
      hyperactivity: 4,
      peer: 4,
      prosocial: 0,
      total: 10,
      externalising: 6,
      internalising: 4,
      impact: 0,
    });
    expect(result.status).toBe('scored');
    expect(result.flags).toEqual([]);
  });

  it('scores every item "Certainly true" with the reversed items at 0', () => {
    const allCertainly = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [String(i + 1), 2]));
    const result = scoreAdministration(sdqP4to17, { ...allCertainly, '26': 0 });
    expect(result.scores).toMatchObject({ emotional: 10, conduct: 8, hyperactivity: 6, peer: 6, prosocial: 10, total: 30 });
  });

  it('prorates youthinmind\'s own example: 4 from 3 items → 7 (6.67 rounded)', () => {
    const responses = sdq({ emotional: 4 }, { '16': null, '24': null });
    // Emotional items 3, 8 scored 2 each → 4 over 3 answered (3, 8, 13).
    const result = scoreAdministration(sdqP4to17, responses);
    expect(result.scores.emotional).toBe(7);
    expect(result.flags).toEqual(['prorated']);
  });

  it('rounds an exact half up: 2 from 4 items → 2.5 → 3 (banker\'s rounding would give 2)', () => {
    const responses = sdq({ emotional: 2 }, { '24': null });
    expect(scoreAdministration(sdqP4to17, responses).scores.emotional).toBe(3);
    const sixOfFour = sdq({ emotional: 6 }, { '24': null });
    expect(scoreAdministration(sdqP4to17, sixOfFour).scores.emotional).toBe(8); // 7.5 → 8
  });

  it.each([
    [1, 1], // 1.25
    [3, 4], // 3.75
    [4, 5],
    [8, 10],
  ])('4 answered items summing %i prorate to %i', (sum, expected) => {
    const responses = sdq({ emotional: sum }, { '24': null });
    expect(scoreAdministration(sdqP4to17, responses).scores.emotional).toBe(expected);
  });

  it('does not score a scale with fewer than 3 items answered, and total difficulties becomes null', () => {
    const responses = sdq({ conduct: 2 }, { '18': null, '22': null, '12': null });
    const result = scoreAdministration(sdqP4to17, responses);
    expect(result.scores.conduct).toBeNull();
    expect(result.scores.total).toBeNull();
    expect(result.scores.externalising).toBeNull();
    expect(result.scores.internalising).toBe(0);
    expect(result.status).toBe('not_scorable');
    expect(result.bands.conduct).toBeUndefined();
    expect(result.bands.total).toBeUndefined();
    expect(result.bands.emotional).toBe('normal');
  });

  it('prorates a reversed item\'s scale after reversing', () => {
    // Peer: items 6, 19, 23 "Not true" (0) and 11, 14 reversed; drop 14 and answer 11 "Not true" (scores 2).
    const responses = sdq({}, { '6': 0, '19': 0, '23': 0, '11': 0, '14': null });
    expect(scoreAdministration(sdqP4to17, responses).scores.peer).toBe(3); // 2 × 5 / 4 = 2.5 → 3
  });

  it('adds externalising (conduct + hyperactivity) and internalising (emotional + peer)', () => {
    const result = scoreAdministration(sdqP4to17, sdq({ emotional: 1, conduct: 2, hyperactivity: 3, peer: 4 }));
    expect(result.scores.externalising).toBe(5);
    expect(result.scores.internalising).toBe(5);
    expect(result.scores.total).toBe(10);
  });
});

describe('SDQ impact', () => {
  it('is 0 when item 26 is "No", whatever else is answered', () => {
    const responses = { ...sdq({}), '26': 0, '28': 3, '29a': 3 };
    expect(scoreAdministration(sdqP4to17, responses).scores.impact).toBe(0);
  });

  it('is null when item 26 is missing', () => {
    const responses = { ...sdq({}), '26': null, '28': 3 };
    expect(scoreAdministration(sdqP4to17, responses).scores.impact).toBeNull();
  });

  it('recodes "Not at all"/"Only a little" 0, "A medium amount" 1, "A great deal" 2', () => {
    const responses = { ...sdq({}), '26': 2, '28': 0, '29a': 1, '29b': 2, '29c': 3, '29d': 3 };
    expect(scoreAdministration(sdqP4to17, responses).scores.impact).toBe(5);
  });

  it('is null when difficulties are reported but an impact item is missing (ambiguous source → null)', () => {
    const responses = { ...sdq({}), '26': 1, '28': 2, '29a': 2, '29b': 2, '29c': 2 };
    const result = scoreAdministration(sdqP4to17, responses);
    expect(result.scores.impact).toBeNull();
    expect(result.status).toBe('scored');
  });

  it('ranges 0–10 for parents and 0–6 for teachers (distress, peers, classroom)', () => {
    const parent = { ...sdq({}), '26': 3, '28': 3, '29a': 3, '29b': 3, '29c': 3, '29d': 3 };
    expect(scoreAdministration(sdqP4to17, parent).scores.impact).toBe(10);
    const teacher = { ...sdq({}), '26': 3, '28': 3, '29a': 3, '29b': 3 };
    expect(scoreAdministration(sdqT4to17, teacher).scores.impact).toBe(6);
  });

  it('does not score duration (27) or burden (30)', () => {
    const responses = { ...sdq({}), '26': 1, '27': 3, '28': 0, '29a': 0, '29b': 0, '29c': 0, '29d': 0, '30': 3 };
    expect(scoreAdministration(sdqP4to17, responses).scores.impact).toBe(0);
  });

  it('rejects parent-form impact items on the teacher form', () => {
    expect(() => scoreAdministration(sdqT4to17, { ...sdq({}), '29c': 0 })).toThrow('item "29c": not an item of sdq-t4-17');
  });

  it('rejects a 3 on a 0–2 item', () => {
    expect(() => scoreAdministration(sdqP4to17, { '1': 3 })).toThrow('item "1": 3 is out of range (allowed 0–2)');
  });
});

type Edge3 = [score: number, band3: string];
type Edge = [score: number, band3: string, band4: string];
type BandTable = Record<Scale | 'total' | 'impact', Edge[]>;

const n = 'normal';
const b = 'borderline';
const a = 'abnormal';
const c = 'close_to_average';
const sr = 'slightly_raised';
const h = 'high';
const vh = 'very_high';

// instruments.md §3.2, written out as (score, 3-band, 4-band) at every edge.
const PARENT: BandTable = {
  total: [[0, n, c], [13, n, c], [14, b, sr], [16, b, sr], [17, a, h], [19, a, h], [20, a, vh], [40, a, vh]],
  emotional: [[0, n, c], [3, n, c], [4, b, sr], [5, a, h], [6, a, h], [7, a, vh], [10, a, vh]],
  conduct: [[2, n, c], [3, b, sr], [4, a, h], [5, a, h], [6, a, vh], [10, a, vh]],
  hyperactivity: [[5, n, c], [6, b, sr], [7, a, sr], [8, a, h], [9, a, vh], [10, a, vh]],
  peer: [[2, n, c], [3, b, sr], [4, a, h], [5, a, vh]],
  prosocial: [[10, n, c], [8, n, c], [7, n, 'slightly_lowered'], [6, n, 'low'], [5, b, 'very_low'], [4, a, 'very_low'], [0, a, 'very_low']],
  impact: [[0, n, c], [1, b, sr], [2, a, h], [3, a, vh], [10, a, vh]],
};
const TEACHER: BandTable = {
  total: [[11, n, c], [12, b, sr], [15, b, sr], [16, a, h], [18, a, h], [19, a, vh]],
  emotional: [[3, n, c], [4, n, sr], [5, b, h], [6, a, vh]],
  conduct: [[2, n, c], [3, b, sr], [4, a, h], [5, a, vh]],
  hyperactivity: [[5, n, c], [6, b, sr], [7, a, sr], [8, a, h], [9, a, vh]],
  peer: [[2, n, c], [3, n, sr], [4, b, sr], [5, a, h], [6, a, vh]],
  prosocial: [[6, n, c], [5, b, 'slightly_lowered'], [4, a, 'low'], [3, a, 'very_low']],
  impact: [[0, n, c], [1, b, sr], [2, a, h], [3, a, vh], [6, a, vh]],
};
const SELF: BandTable = {
  total: [[14, n, c], [15, n, sr], [16, b, sr], [17, b, sr], [18, b, h], [19, b, h], [20, a, vh]],
  emotional: [[4, n, c], [5, n, sr], [6, b, h], [7, a, vh]],
  conduct: [[3, n, c], [4, b, sr], [5, a, h], [6, a, vh]],
  hyperactivity: [[5, n, c], [6, b, sr], [7, a, h], [8, a, vh]],
  peer: [[2, n, c], [3, n, sr], [4, b, h], [5, b, vh], [6, a, vh]],
  prosocial: [[7, n, c], [6, n, 'slightly_lowered'], [5, b, 'low'], [4, a, 'very_low']],
  impact: [[0, n, c], [1, b, sr], [2, a, h], [3, a, vh]],
};
// instruments.md §3.3, UK 2–4 3-band only.
const TODDLER: Record<Scale | 'total', Edge3[]> = {
  total: [[0, n], [12, n], [13, b], [15, b], [16, a]],
  emotional: [[2, n], [3, b], [4, a]],
  conduct: [[3, n], [4, b], [5, a]],
  hyperactivity: [[5, n], [6, b], [7, a]],
  peer: [[2, n], [3, b], [4, a]],
  prosocial: [[7, n], [6, b], [5, a]],
};

const responsesFor = (instrument: InstrumentDefinition, scale: Scale | 'total' | 'impact', score: number): Responses => {
  if (scale === 'total') return withTotal(score);
  if (scale === 'impact') return withImpact(instrument, score);
  return sdq({ prosocial: 10, [scale]: score });
};

describe.each([
  ['sdq-p4-17', sdqP4to17, PARENT],
  ['sdq-t4-17', sdqT4to17, TEACHER],
  ['sdq-s11-17', sdqS11to17, SELF],
])('%s bands at every edge', (_id, instrument, table) => {
  for (const [scale, edges] of Object.entries(table) as [Scale | 'total' | 'impact', Edge[]][]) {
    it.each(edges)(`${scale} %i → %s / %s`, (score, band3, band4) => {
      const result = scoreAdministration(instrument, responsesFor(instrument, scale, score));
      expect(result.scores[scale]).toBe(score);
      expect(result.bands[scale]).toBe(band3);
      expect(result.bands[`${scale}_4band`]).toBe(band4);
    });
  }
});

describe('sdq-p2-4 bands at every edge (3-band only)', () => {
  for (const [scale, edges] of Object.entries(TODDLER) as [Scale | 'total', Edge3[]][]) {
    it.each(edges)(`${scale} %i → %s`, (score, band3) => {
      const result = scoreAdministration(sdqP2to4, responsesFor(sdqP2to4, scale, score));
      expect(result.scores[scale]).toBe(score);
      expect(result.bands[scale]).toBe(band3);
      expect(result.bands[`${scale}_4band`]).toBeUndefined();
    });
  }

  it('scores impact but gives it no band', () => {
    const result = scoreAdministration(sdqP2to4, withImpact(sdqP2to4, 4));
    expect(result.scores.impact).toBe(4);
    expect(result.bands.impact).toBeUndefined();
  });
});

it('hyperactivity 7 is "abnormal" on the 3-band but "slightly raised" on the 4-band (parent): schemes disagree', () => {
  const result = scoreAdministration(sdqP4to17, sdq({ hyperactivity: 7, prosocial: 10 }));
  expect([result.bands.hyperactivity, result.bands.hyperactivity_4band]).toEqual(['abnormal', 'slightly_raised']);
});
