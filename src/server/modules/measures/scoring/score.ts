import type {
  Banding,
  Comparison,
  InstrumentDefinition,
  ItemDefinition,
  ItemsScale,
  ScaleDefinition,
} from '../instruments/definition.ts';
import { roundHalfUp } from './round.ts';
import { type ResponseProblem, validateResponses } from './validate.ts';

/** The fixed output of `tandem score` and of every stored administration (issue 4 item 4). */
export type ScoreResult = {
  instrument: string;
  status: 'scored' | 'not_scorable';
  scores: Record<string, number | null>;
  bands: Record<string, string>;
  flags: string[];
  valid: boolean;
};

/** Answers keyed by item; a value is the position on the printed scale, null or absent = missing. */
export type ItemResponses = Readonly<Record<string, number | null>>;

/** Thrown when scoring is asked for answers that `validateResponses` rejects; callers validate first. */
export class InvalidResponsesError extends Error {
  readonly problems: ResponseProblem[];
  constructor(problems: ResponseProblem[]) {
    super(problems.map((problem) => problem.message).join('; '));
    this.name = 'InvalidResponsesError';
    this.problems = problems;
  }
}

/**
 * A scale's outcome. `min`/`max` bound the score when too many items are missing (only for scales with
 * `missingBounds`); when the score is known they equal it.
 */
type ScaleOutcome = {
  value: number | null;
  min: number | null;
  max: number | null;
  prorated: boolean;
};

const unknown: ScaleOutcome = { value: null, min: null, max: null, prorated: false };
const known = (value: number, prorated = false): ScaleOutcome => ({ value, min: value, max: value, prorated });

const compare = (op: Comparison, left: number, right: number): boolean => {
  switch (op) {
    case 'gte':
      return left >= right;
    case 'gt':
      return left > right;
    case 'lte':
      return left <= right;
    case 'lt':
      return left < right;
  }
};

/*
 * Facts worked out once per definition rather than once per administration (an import scores 100,000 at a time):
 * the items by key, and for a reversed item the lowest + highest option value. Definitions are immutable data, so a
 * WeakMap keyed on the definition object is always current.
 */
const itemsByKeyCache = new WeakMap<InstrumentDefinition, ReadonlyMap<string, ItemDefinition>>();
const itemsByKeyOf = (instrument: InstrumentDefinition): ReadonlyMap<string, ItemDefinition> => {
  let found = itemsByKeyCache.get(instrument);
  if (!found) {
    found = new Map(instrument.items.map((item) => [item.key, item]));
    itemsByKeyCache.set(instrument, found);
  }
  return found;
};
const reverseSumCache = new WeakMap<ItemDefinition, number>();

/** Reverse-scored items: score = lowest + highest option value − response (CORE: 4 − r; SDQ: 2 − r). */
const itemScore = (item: ItemDefinition, response: number): number => {
  if (!item.reversed) return response;
  let sum = reverseSumCache.get(item);
  if (sum === undefined) {
    const values = item.options.map((option) => option.value);
    sum = Math.min(...values) + Math.max(...values);
    reverseSumCache.set(item, sum);
  }
  return sum - response;
};

const recoded = (scale: ItemsScale, score: number): number => {
  if (!scale.recode) return score;
  const mapped = scale.recode[String(score)];
  // A recode table must cover every possible score; a gap is a definition error, not bad input.
  if (mapped === undefined) throw new Error(`scale "${scale.key}" has no recode for item score ${score}`);
  return mapped;
};

const finish = (scale: ItemsScale, raw: number): number => (scale.rounding === 'half_up' ? roundHalfUp(raw) : raw);

const scoreItemsScale = (
  scale: ItemsScale,
  itemsByKey: ReadonlyMap<string, ItemDefinition>,
  response: (key: string) => number | null,
): ScaleOutcome => {
  if (scale.gate) {
    const gate = response(scale.gate.item);
    if (gate === null) return unknown;
    if (gate === scale.gate.value) return known(scale.gate.score);
  }
  const n = scale.items.length;
  let sum = 0;
  let answered = 0;
  // Bounds if every missing item were answered at its lowest / highest score.
  let lowFill = 0;
  let highFill = 0;
  for (const key of scale.items) {
    const item = itemsByKey.get(key);
    if (!item) throw new Error(`scale "${scale.key}" uses unknown item "${key}"`);
    const value = response(key);
    if (value === null) {
      const possible = item.options.map((option) => recoded(scale, itemScore(item, option.value)));
      lowFill += Math.min(...possible);
      highFill += Math.max(...possible);
      continue;
    }
    sum += recoded(scale, itemScore(item, value));
    answered += 1;
  }
  const missing = n - answered;
  // Complete score from a sum of n item scores: sum × multiplier, or for a mean sum / n × multiplier.
  const complete = (total: number): number =>
    finish(scale, scale.aggregate === 'sum' ? total * scale.multiplier : (total * scale.multiplier) / n);

  if (missing > scale.maxMissing || answered === 0) {
    if (!scale.missingBounds) return unknown;
    return { value: null, min: complete(sum + lowFill), max: complete(sum + highFill), prorated: false };
  }
  if (missing === 0) return known(complete(sum));
  // Prorated from the answered items' mean. Multiplying before dividing keeps exact halves exact
  // (SDQ 2 of 4 answered → 2 × 5 / 4 = 2.5 → 3), so round-half-up sees the true value.
  const perItem = scale.aggregate === 'sum' ? n * scale.multiplier : scale.multiplier;
  return known(finish(scale, (sum * perItem) / answered), true);
};

const scoreScale = (
  scale: ScaleDefinition,
  outcomes: ReadonlyMap<string, ScaleOutcome>,
  itemsByKey: ReadonlyMap<string, ItemDefinition>,
  response: (key: string) => number | null,
): ScaleOutcome => {
  switch (scale.kind) {
    case 'items':
      return scoreItemsScale(scale, itemsByKey, response);
    case 'sum_of_scales': {
      let total = 0;
      for (const key of scale.scales) {
        const part = outcomes.get(key)?.value ?? null;
        // Any missing component makes the sum missing (SDQ total difficulties).
        if (part === null) return unknown;
        total += part;
      }
      return known(total);
    }
    case 'lookup': {
      const source = outcomes.get(scale.scale)?.value ?? null;
      if (source === null) return unknown;
      const converted = scale.table[String(source)];
      if (converted === undefined) throw new Error(`scale "${scale.key}" has no conversion for ${source}`);
      return known(converted);
    }
  }
};

/** Bands are lower bounds: the score belongs to the last band whose `min` it reaches (see definition.ts). */
export const bandFor = (banding: Banding, value: number): string => {
  let label = banding.bands[0]?.label ?? '';
  for (const band of banding.bands) if (value >= band.min) label = band.label;
  return label;
};

/**
 * Scores one administration. Pure: the same instrument and answers always give the same result.
 * Throws InvalidResponsesError if the answers fail `validateResponses` (unknown item, non-integer,
 * out of range) — bad input is the caller's to report, never silently scored.
 *
 * Flags are raised even when the administration is not scorable: a CORE risk item answered above 0
 * matters whether or not the total can be given.
 */
export const scoreAdministration = (instrument: InstrumentDefinition, items: ItemResponses): ScoreResult => {
  const problems = validateResponses(instrument, items);
  if (problems.length > 0) throw new InvalidResponsesError(problems);

  const itemsByKey = itemsByKeyOf(instrument);
  const response = (key: string): number | null => items[key] ?? null;

  const outcomes = new Map<string, ScaleOutcome>();
  for (const scale of instrument.scales) {
    outcomes.set(scale.key, scoreScale(scale, outcomes, itemsByKey, response));
  }
  const outcome = (key: string): ScaleOutcome => outcomes.get(key) ?? unknown;

  const scores: Record<string, number | null> = {};
  for (const scale of instrument.scales) {
    if (!scale.reported) continue;
    const result = outcome(scale.key);
    scores[scale.key] = result.value;
    if (scale.kind === 'items' && scale.missingBounds === 'reported') {
      scores[`${scale.key}_min`] = result.min;
      scores[`${scale.key}_max`] = result.max;
    }
  }

  const bands: Record<string, string> = {};
  for (const banding of instrument.bandings) {
    const value = outcome(banding.scale).value;
    if (value !== null) bands[banding.key] = bandFor(banding, value);
  }

  const flags = new Set<string>();
  for (const threshold of instrument.thresholds) {
    if (!threshold.flag && !threshold.indeterminateFlag) continue;
    if (!(threshold.requiresFlags ?? []).every((required) => flags.has(required))) continue;
    const { value, min, max } = outcome(threshold.scale);
    const test = (score: number): boolean => compare(threshold.op, score, threshold.value);
    if (value !== null) {
      if (threshold.flag && test(value)) flags.add(threshold.key);
      continue;
    }
    if (min === null || max === null) continue;
    // The test is monotone in the score, so checking both bounds decides it: both pass → certain;
    // one passes → the missing items leave it open.
    const atMin = test(min);
    const atMax = test(max);
    if (atMin && atMax) {
      if (threshold.flag) flags.add(threshold.key);
    } else if ((atMin || atMax) && threshold.indeterminateFlag) {
      flags.add(threshold.indeterminateFlag);
    }
  }
  for (const itemFlag of instrument.itemFlags) {
    const raised = itemFlag.items.some((key) => {
      const value = response(key);
      return value !== null && compare(itemFlag.op, value, itemFlag.value);
    });
    if (raised) flags.add(itemFlag.key);
  }
  if (instrument.prorationFlag) {
    const anyProrated = instrument.scales.some((scale) => scale.reported && outcome(scale.key).prorated);
    if (anyProrated) flags.add(instrument.prorationFlag);
  }

  const scorable = instrument.scorableWhen.every((key) => outcome(key).value !== null);
  return {
    instrument: instrument.id,
    status: scorable ? 'scored' : 'not_scorable',
    scores,
    bands,
    flags: [...flags],
    valid: !instrument.invalidWhenFlags.some((flag) => flags.has(flag)),
  };
};
