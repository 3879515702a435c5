import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bcap } from '../instruments/bcap.ts';
import { core10 } from '../instruments/core-10.ts';
import type { InstrumentDefinition } from '../instruments/definition.ts';
import { builtInInstruments } from '../instruments/index.ts';
import { sdqP4to17 } from '../instruments/sdq-p4-17.ts';
import { roundHalfUp } from './round.ts';
import { scoreAdministration } from './score.ts';
import { validateResponses } from './validate.ts';

type Responses = Record<string, number | null>;

/** Any answer sheet the instrument accepts: each item a valid option, null, or absent. */
const answersFor = (instrument: InstrumentDefinition, missingWeight = 1): fc.Arbitrary<Responses> =>
  fc.record(
    Object.fromEntries(
      instrument.items.map((item) => [
        item.key,
        fc.oneof(
          { arbitrary: fc.constantFrom(...item.options.map((option) => option.value)), weight: 4 },
          { arbitrary: fc.constant(null), weight: missingWeight },
        ),
      ]),
    ),
    { requiredKeys: [] },
  ) as fc.Arbitrary<Responses>;

/** Complete answer sheets only. */
const completeAnswersFor = (instrument: InstrumentDefinition): fc.Arbitrary<Responses> =>
  fc.record(
    Object.fromEntries(
      instrument.items.map((item) => [item.key, fc.constantFrom(...item.options.map((option) => option.value))]),
    ),
  );

const declaredFlags = (instrument: InstrumentDefinition): Set<string> =>
  new Set([
    ...instrument.thresholds.flatMap((t) => [...(t.flag ? [t.key] : []), ...(t.indeterminateFlag ? [t.indeterminateFlag] : [])]),
    ...instrument.itemFlags.map((f) => f.key),
    ...(instrument.prorationFlag ? [instrument.prorationFlag] : []),
  ]);

describe.each(builtInInstruments.map((instrument) => [instrument.id, instrument] as const))(
  '%s — properties over every valid answer sheet',
  (_id, instrument) => {
    it('never throws; every score is null or inside its scale range; bands exist exactly for scored scales', () => {
      fc.assert(
        fc.property(answersFor(instrument), (answers) => {
          const result = scoreAdministration(instrument, answers);
          for (const scale of instrument.scales.filter((s) => s.reported)) {
            const value = result.scores[scale.key];
            expect(value === null || typeof value === 'number').toBe(true);
            if (typeof value === 'number') {
              expect(value).toBeGreaterThanOrEqual(scale.range[0]);
              expect(value).toBeLessThanOrEqual(scale.range[1]);
            }
          }
          for (const banding of instrument.bandings) {
            const scored = result.scores[banding.scale] !== null;
            expect(banding.key in result.bands).toBe(scored);
            if (scored) expect(banding.bands.map((b) => b.label)).toContain(result.bands[banding.key]);
          }
          const declared = declaredFlags(instrument);
          for (const flag of result.flags) expect(declared.has(flag)).toBe(true);
          expect(new Set(result.flags).size).toBe(result.flags.length);
          const scorable = instrument.scorableWhen.every((key) => result.scores[key] !== null);
          expect(result.status).toBe(scorable ? 'scored' : 'not_scorable');
        }),
        { numRuns: 300 },
      );
    });

    it('is scored, unprorated and within range for every complete sheet', () => {
      fc.assert(
        fc.property(completeAnswersFor(instrument), (answers) => {
          const result = scoreAdministration(instrument, answers);
          expect(result.status).toBe('scored');
          if (instrument.prorationFlag) expect(result.flags).not.toContain(instrument.prorationFlag);
        }),
        { numRuns: 200 },
      );
    });

    it('is pure: the same answers give the same result and the input is not changed', () => {
      fc.assert(
        fc.property(answersFor(instrument), (answers) => {
          const frozen = Object.freeze({ ...answers });
          expect(scoreAdministration(instrument, frozen)).toEqual(scoreAdministration(instrument, { ...answers }));
        }),
        { numRuns: 100 },
      );
    });

    it('rejects any integer outside an item\'s options, naming the item', () => {
      const item = fc.constantFrom(...instrument.items);
      fc.assert(
        fc.property(item, fc.integer({ min: -50, max: 50 }), (chosen, value) => {
          fc.pre(!chosen.options.some((option) => option.value === value));
          const problems = validateResponses(instrument, { [chosen.key]: value });
          expect(problems).toHaveLength(1);
          expect(problems[0]?.code).toBe('out_of_range');
          expect(problems[0]?.message).toContain(`item "${chosen.key}"`);
          expect(() => scoreAdministration(instrument, { [chosen.key]: value })).toThrow(`item "${chosen.key}"`);
        }),
        { numRuns: 100 },
      );
    });

    it('rejects any non-integer, naming the item', () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...instrument.items),
          fc.double({ min: -10, max: 50, noNaN: true }).filter((x) => !Number.isInteger(x)),
          (chosen, value) => {
            const problems = validateResponses(instrument, { [chosen.key]: value });
            expect(problems.map((p) => [p.item, p.code])).toEqual([[chosen.key, 'not_integer']]);
          },
        ),
        { numRuns: 100 },
      );
    });
  },
);

describe('CORE-10 properties', () => {
  const plain = ['1', '4', '5', '6', '7', '8', '9', '10'];

  it('a complete total equals Σ plain responses + Σ (4 − response) for items 2 and 3', () => {
    fc.assert(
      fc.property(completeAnswersFor(core10), (answers) => {
        const value = (key: string): number => answers[key] ?? 0;
        const expected = plain.reduce((sum, key) => sum + value(key), 0) + (4 - value('2')) + (4 - value('3'));
        expect(scoreAdministration(core10, answers).scores.total).toBe(expected);
      }),
    );
  });

  it('reversing consistency: moving item 2 or 3 one step up the printed scale lowers the total by 1', () => {
    fc.assert(
      fc.property(completeAnswersFor(core10), fc.constantFrom('2', '3'), (answers, key) => {
        fc.pre((answers[key] ?? 4) < 4);
        const before = scoreAdministration(core10, answers).scores.total ?? Number.NaN;
        const after = scoreAdministration(core10, { ...answers, [key]: (answers[key] ?? 0) + 1 }).scores.total;
        expect(after).toBe(before - 1);
      }),
    );
  });

  it('monotone: raising a plain item never lowers the total', () => {
    fc.assert(
      fc.property(completeAnswersFor(core10), fc.constantFrom(...plain), (answers, key) => {
        fc.pre((answers[key] ?? 4) < 4);
        const before = scoreAdministration(core10, answers).scores.total ?? Number.NaN;
        const after = scoreAdministration(core10, { ...answers, [key]: (answers[key] ?? 0) + 1 }).scores.total;
        expect(after).toBe(before + 1);
      }),
    );
  });

  it('a prorated score lies between the totals with the missing item scored 0 and 4', () => {
    fc.assert(
      fc.property(completeAnswersFor(core10), fc.integer({ min: 1, max: 10 }), (answers, n) => {
        const key = String(n);
        const prorated = scoreAdministration(core10, { ...answers, [key]: null });
        const reversedItem = key === '2' || key === '3';
        const low = scoreAdministration(core10, { ...answers, [key]: reversedItem ? 4 : 0 }).scores.total ?? Number.NaN;
        const high = scoreAdministration(core10, { ...answers, [key]: reversedItem ? 0 : 4 }).scores.total ?? Number.NaN;
        expect(prorated.scores.total).toBeGreaterThanOrEqual(low);
        expect(prorated.scores.total).toBeLessThanOrEqual(high);
        expect(prorated.flags).toContain('prorated');
      }),
    );
  });

  it('two or more missing items are never scored', () => {
    fc.assert(
      fc.property(
        completeAnswersFor(core10),
        fc.uniqueArray(fc.integer({ min: 1, max: 10 }), { minLength: 2, maxLength: 10 }),
        (answers, missing) => {
          const sheet: Responses = { ...answers };
          for (const n of missing) sheet[String(n)] = null;
          const result = scoreAdministration(core10, sheet);
          expect(result.status).toBe('not_scorable');
          expect(result.scores.total).toBeNull();
        },
      ),
    );
  });
});

describe('SDQ properties', () => {
  it('a prorated scale is never outside the scores the missing items could have given', () => {
    const emotional = ['3', '8', '13', '16', '24'];
    fc.assert(
      fc.property(
        completeAnswersFor(sdqP4to17),
        fc.uniqueArray(fc.constantFrom(...emotional), { minLength: 1, maxLength: 2 }),
        (answers, missing) => {
          const sheet: Responses = { ...answers };
          for (const key of missing) sheet[key] = null;
          const prorated = scoreAdministration(sdqP4to17, sheet).scores.emotional ?? Number.NaN;
          const fill = (value: number): number => {
            const filled: Responses = { ...sheet };
            for (const key of missing) filled[key] = value;
            return scoreAdministration(sdqP4to17, filled).scores.emotional ?? Number.NaN;
          };
          expect(prorated).toBeGreaterThanOrEqual(fill(0));
          expect(prorated).toBeLessThanOrEqual(fill(2));
          expect(Number.isInteger(prorated)).toBe(true);
        },
      ),
    );
  });

  it('total difficulties = emotional + conduct + hyperactivity + peer whenever all four exist', () => {
    fc.assert(
      fc.property(answersFor(sdqP4to17), (answers) => {
        const { emotional, conduct, hyperactivity, peer, total, externalising, internalising } =
          scoreAdministration(sdqP4to17, answers).scores;
        const parts = [emotional, conduct, hyperactivity, peer];
        if (parts.some((part) => part === null || part === undefined)) {
          expect(total).toBeNull();
        } else {
          expect(total).toBe(parts.reduce<number>((sum, part) => sum + (part ?? 0), 0));
        }
        if (conduct != null && hyperactivity != null) expect(externalising).toBe(conduct + hyperactivity);
        if (emotional != null && peer != null) expect(internalising).toBe(emotional + peer);
      }),
      { numRuns: 300 },
    );
  });
});

describe('BCAP properties', () => {
  it('risk_min ≤ risk ≤ risk_max, the gap is the number of missing risk items, and at_risk flags are exclusive', () => {
    fc.assert(
      fc.property(answersFor(bcap, 2), (answers) => {
        const result = scoreAdministration(bcap, answers);
        const { risk, risk_min: min, risk_max: max } = result.scores;
        const missing = Array.from({ length: 24 }, (_, i) => `R${i + 1}`).filter((key) => answers[key] == null).length;
        expect(min).not.toBeNull();
        expect(max).not.toBeNull();
        expect((max ?? 0) - (min ?? 0)).toBe(missing);
        if (missing === 0) expect(risk).toBe(min);
        else expect(risk).toBeNull();
        const atRisk = result.flags.includes('at_risk');
        const open = result.flags.includes('at_risk_indeterminate');
        expect(atRisk && open).toBe(false);
        expect(atRisk).toBe((min ?? 0) >= 12);
        expect(open).toBe((min ?? 0) < 12 && (max ?? 0) >= 12);
        expect(result.valid).toBe(!result.flags.includes('lie_elevated') && !result.flags.includes('random_elevated'));
      }),
      { numRuns: 500 },
    );
  });
});

describe('roundHalfUp', () => {
  it('rounds every exact half up', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1_000_000 }), (k) => {
        expect(roundHalfUp(k + 0.5)).toBe(k + 1);
      }),
    );
  });

  it('lands within (−0.5, +0.5] of its input and agrees with floor(0.5 + x)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e6, noNaN: true }), (x) => {
        const rounded = roundHalfUp(x);
        expect(Number.isInteger(rounded)).toBe(true);
        expect(rounded - x).toBeGreaterThan(-0.5);
        expect(rounded - x).toBeLessThanOrEqual(0.5);
        expect(rounded).toBe(Math.floor(0.5 + x));
      }),
    );
  });

  it('differs from banker\'s rounding on 2.5 (the SDQ trap)', () => {
    expect(roundHalfUp(2.5)).toBe(3);
    expect(roundHalfUp(2.4999)).toBe(2);
    expect(roundHalfUp(0)).toBe(0);
  });
});
