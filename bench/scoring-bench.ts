/*
 * Scoring rate: Tandem's engine (instruments as data, scoreAdministration) against the same instruments scored the way
 * FHIR SDC forms score — a FHIRPath expression per scale over a QuestionnaireResponse, evaluated by the `fhirpath`
 * package (compiled once, as a form filler would), in two forms (see expressionsFor; the faster is the baseline). The expressions are generated from our own definitions: a scale's
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

type Expression = { scale: string; expression: string; rounded: boolean };
type Style = 'per_item' | 'grouped';
type ItemsScale = Extract<InstrumentDefinition['scales'][number], { kind: 'items' }>;

const scaleOf = (sum: string, scale: ItemsScale): string =>
  scale.aggregate === 'mean' ? `${sum} / ${scale.items.length} * ${scale.multiplier}` : scale.multiplier === 1 ? sum : `${sum} * ${scale.multiplier}`;

const plainScales = (instrument: InstrumentDefinition): ItemsScale[] =>
  instrument.scales.flatMap((scale) => (scale.kind !== 'items' || scale.recode || scale.gate ? [] : [scale]));

/**
 * Two ways an SDC form could write each plain items-scale; the baseline is whichever runs faster. (a) per_item: one
 * `item.where(linkId=…)` term per item, as forms are usually written (each term scans the response); (b) grouped:
 * one filter per scale and FHIRPath's own sum(), reversed items grouped by their (min + max).
 */
const expressionsFor = (instrument: InstrumentDefinition, style: Style): Expression[] =>
  plainScales(instrument).map((scale) => {
    const reversedOf = (key: string) => instrument.items.find((i) => i.key === key)?.reversed === true;
    const rounded = scale.rounding !== 'none';
    if (style === 'per_item') {
      const terms = scale.items.map((key) => {
        const answer = `item.where(linkId='${key}').answer.valueInteger`;
        if (!reversedOf(key)) return answer;
        const { min, max } = bounds(instrument, key);
        return `(${min + max} - ${answer})`;
      });
      return { scale: scale.key, expression: scaleOf(`(${terms.join(' + ')})`, scale), rounded };
    }
    const answers = (keys: string[]) => `item.where(linkId in (${keys.map((k) => `'${k}'`).join(' | ')})).answer.valueInteger`;
    const plain = scale.items.filter((key) => !reversedOf(key));
    const reversedBySum = new Map<number, string[]>();
    for (const key of scale.items.filter(reversedOf)) {
      const { min, max } = bounds(instrument, key);
      reversedBySum.set(min + max, [...(reversedBySum.get(min + max) ?? []), key]);
    }
    const terms = [
      ...(plain.length > 0 ? [`${answers(plain)}.sum()`] : []),
      ...[...reversedBySum].map(([total, keys]) => `(${answers(keys)}.count() * ${total} - ${answers(keys)}.sum())`),
    ];
    return { scale: scale.key, expression: scaleOf(`(${terms.join(' + ')})`, scale), rounded };
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

/**
 * Scores the cases round-robin, one call per case, until at least `minMs` have passed; returns administrations per
 * second. Per case rather than per whole set, so the slow side is not made to finish thousands of cases per sample.
 */
const rate = <C>(cases: C[], score: (c: C) => void, minMs = 1500): number => {
  for (const c of cases.slice(0, 50)) score(c); // warm-up: JIT, caches
  let done = 0;
  const started = performance.now();
  while (performance.now() - started < minMs) {
    for (let i = 0; i < 16; i += 1) score(cases[(done + i) % cases.length] as C);
    done += 16;
  }
  return done / ((performance.now() - started) / 1000);
};

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

export const runScoringBench = async (runs = 3): Promise<BenchResult[]> => {
  const random = seededRandom(8);
  const instruments = builtInInstruments.filter((i) => plainScales(i).length > 0);
  const perInstrument = Number(process.env.BENCH_SCORING_CASES ?? 50);
  const cases = instruments.flatMap((instrument) =>
    Array.from({ length: perInstrument }, () => {
      const answers = completeAnswers(instrument, random);
      return { instrument, answers, response: toQuestionnaireResponse(answers) };
    }),
  );
  const compile = (style: Style) =>
    new Map(
      instruments.map((instrument) => [
        instrument.id,
        expressionsFor(instrument, style).map((e) => ({ ...e, run: fhirpath.compile(e.expression) as (resource: unknown) => unknown[] })),
      ]),
    );
  const styles = { per_item: compile('per_item'), grouped: compile('grouped') };

  // Same numbers from the engine and from both FHIRPath forms before any timing.
  let checked = 0;
  for (const c of cases) {
    const engine = scoreAdministration(c.instrument, c.answers).scores;
    for (const compiled of Object.values(styles)) {
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
  }

  const engineRates: number[] = [];
  const fhirRates: Record<Style, number[]> = { per_item: [], grouped: [] };
  for (let i = 0; i < runs; i += 1) {
    engineRates.push(rate(cases, (c) => scoreAdministration(c.instrument, c.answers)));
    for (const style of ['per_item', 'grouped'] as const) {
      fhirRates[style].push(
        rate(cases, (c) => {
          for (const e of styles[style].get(c.instrument.id) ?? []) e.run(c.response);
        }),
      );
    }
  }
  const engine = median(engineRates);
  const perItem = median(fhirRates.per_item);
  const grouped = median(fhirRates.grouped);
  const fhir = Math.max(perItem, grouped);
  const scales = [...styles.grouped.values()].reduce((n, list) => n + list.length, 0);
  process.stdout.write(
    `Scoring: ${instruments.length} instruments, ${scales} FHIRPath scale expressions in two forms, ${checked} values checked equal; ` +
      `engine ${Math.round(engine).toLocaleString('en-GB')}/s, FHIRPath per-item ${Math.round(perItem).toLocaleString('en-GB')}/s, ` +
      `grouped ${Math.round(grouped).toLocaleString('en-GB')}/s (median of ${runs})\n`,
  );
  const result = (name: string, baseline: string, value: number): BenchResult => ({
    name,
    value: Math.round(engine),
    unit: 'administrations/s',
    baseline,
    baseline_value: Math.round(value),
    ratio: Number((engine / value).toFixed(1)),
  });
  return [
    result('scoring_engine_administrations_per_second', 'fhirpath.js SDC calculatedExpression per scale, the faster of two forms (same instruments, same answers)', fhir),
    result('scoring_engine_vs_fhirpath_per_item_form', 'fhirpath.js, one item.where(linkId=…) term per item (the usual SDC form)', perItem),
  ];
};
