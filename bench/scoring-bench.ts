/*
 * Scoring rate: Tandem's engine (instruments as data, scoreAdministration) against the same instruments scored the way
 * FHIR SDC forms score — a FHIRPath expression per scale over a QuestionnaireResponse, evaluated by the `fhirpath`
 * package (compiled once, as a form filler would). The expressions are generated from our own definitions: a scale's
 * sum (or mean × multiplier) of its item scores, reversed items as (min + max − answer). Scales with recodes, gates,
 * lookups or sums of scales are left out of both sides' comparison of values but the engine still computes them, so
 * the engine does strictly more work. Answers are complete, so no proration is needed; every value is checked equal
 * before anything is timed. Answers are read as answer.valueInteger without a FHIR model, the fastest FHIRPath form.
 */
import fhirpath from 'fhirpath';
import { builtInInstruments, type InstrumentDefinition } from '../src/server/modules/measures/instruments/index.ts';
import { scoreAdministration } from '../src/server/modules/measures/scoring/index.ts';
import { seededRandom } from '../test/setup/import-csv.ts';
import type { BenchResult } from './results.ts';

type Responses = Record<string, number | null>;
type QuestionnaireResponse = { resourceType: 'QuestionnaireResponse'; status: 'completed'; item: { linkId: string; answer: { valueInteger: number }[] }[] };

const bounds = (instrument: InstrumentDefinition, key: string): { min: number; max: number } => {
  const options = instrument.items.find((i) => i.key === key)?.options.map((o) => o.value) ?? [0];
  return { min: Math.min(...options), max: Math.max(...options) };
};

/** One FHIRPath expression per plain items-scale: what an SDC calculatedExpression for it would say. */
const expressionsFor = (instrument: InstrumentDefinition): { scale: string; expression: string; rounded: boolean }[] =>
  instrument.scales.flatMap((scale) => {
    if (scale.kind !== 'items' || scale.recode || scale.gate) return [];
    const terms = scale.items.map((key) => {
      const answer = `item.where(linkId='${key}').answer.valueInteger`;
      const reversed = instrument.items.find((i) => i.key === key)?.reversed;
      if (!reversed) return answer;
      const { min, max } = bounds(instrument, key);
      return `(${min + max} - ${answer})`;
    });
    const sum = `(${terms.join(' + ')})`;
    const expression = scale.aggregate === 'mean' ? `${sum} / ${scale.items.length} * ${scale.multiplier}` : scale.multiplier === 1 ? sum : `${sum} * ${scale.multiplier}`;
    return [{ scale: scale.key, expression, rounded: scale.rounding !== 'none' }];
  });

const completeAnswers = (instrument: InstrumentDefinition, random: () => number): Responses => {
  const out: Responses = {};
  for (const item of instrument.items) {
    const option = item.options[Math.floor(random() * item.options.length)] ?? item.options[0];
    out[item.key] = option?.value ?? 0;
  }
  return out;
};

const toQuestionnaireResponse = (answers: Responses): QuestionnaireResponse => ({
  resourceType: 'QuestionnaireResponse',
  status: 'completed',
  item: Object.entries(answers).map(([linkId, value]) => ({ linkId, answer: [{ valueInteger: value ?? 0 }] })),
});

/** Calls `work` over the whole set until at least `minMs` have passed; returns administrations per second. */
const rate = (count: number, work: () => void, minMs = 1500): number => {
  work(); // warm-up: JIT, caches
  let done = 0;
  const started = performance.now();
  while (performance.now() - started < minMs) {
    work();
    done += count;
  }
  return done / ((performance.now() - started) / 1000);
};

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

export const runScoringBench = async (runs = 3): Promise<BenchResult[]> => {
  const random = seededRandom(8);
  const instruments = builtInInstruments.filter((i) => expressionsFor(i).length > 0);
  const perInstrument = 200;
  const cases = instruments.flatMap((instrument) =>
    Array.from({ length: perInstrument }, () => {
      const answers = completeAnswers(instrument, random);
      return { instrument, answers, response: toQuestionnaireResponse(answers) };
    }),
  );
  const compiled = new Map(
    instruments.map((instrument) => [
      instrument.id,
      expressionsFor(instrument).map((e) => ({ ...e, run: fhirpath.compile(e.expression) as (resource: unknown) => unknown[] })),
    ]),
  );

  // Same numbers from both before any timing.
  let checked = 0;
  for (const c of cases) {
    const engine = scoreAdministration(c.instrument, c.answers).scores;
    for (const e of compiled.get(c.instrument.id) ?? []) {
      const value = Number(e.run(c.response)[0]);
      const ours = engine[e.scale];
      if (ours === undefined) continue; // an internal scale the engine does not print
      if (ours === null || Math.abs(ours - value) > (e.rounded ? 0.5 : 1e-9)) {
        throw new Error(`${c.instrument.id} ${e.scale}: engine ${ours}, FHIRPath ${value} (${e.expression})`);
      }
      checked += 1;
    }
  }

  const engineRates: number[] = [];
  const fhirRates: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    engineRates.push(
      rate(cases.length, () => {
        for (const c of cases) scoreAdministration(c.instrument, c.answers);
      }),
    );
    fhirRates.push(
      rate(cases.length, () => {
        for (const c of cases) for (const e of compiled.get(c.instrument.id) ?? []) e.run(c.response);
      }),
    );
  }
  const engine = median(engineRates);
  const fhir = median(fhirRates);
  const scales = [...compiled.values()].reduce((n, list) => n + list.length, 0);
  process.stdout.write(
    `Scoring: ${instruments.length} instruments, ${scales} FHIRPath scale expressions, ${checked} values checked equal; ` +
      `engine ${Math.round(engine).toLocaleString('en-GB')}/s, FHIRPath ${Math.round(fhir).toLocaleString('en-GB')}/s (median of ${runs})\n`,
  );
  return [
    {
      name: 'scoring_engine_administrations_per_second',
      value: Math.round(engine),
      unit: 'administrations/s',
      baseline: 'fhirpath.js SDC-style calculatedExpression per scale (same instruments, same answers)',
      baseline_value: Math.round(fhir),
      ratio: Number((engine / fhir).toFixed(1)),
    },
  ];
};
