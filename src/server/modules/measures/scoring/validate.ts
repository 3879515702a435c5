import type { InstrumentDefinition, ItemDefinition } from '../instruments/definition.ts';

export type ResponseProblemCode = 'unknown_item' | 'not_a_number' | 'not_integer' | 'out_of_range';

/** One thing wrong with one item's answer; `message` names the item and is fit to show a person. */
export type ResponseProblem = {
  item: string;
  code: ResponseProblemCode;
  message: string;
};

/** The option values an item accepts, written compactly: "0–4" when contiguous, else "1, 3, 5". */
export const describeAllowed = (item: ItemDefinition): string => {
  const values = item.options.map((option) => option.value).sort((a, b) => a - b);
  const first = values[0];
  const last = values[values.length - 1];
  if (first === undefined || last === undefined) return 'no values';
  const contiguous = values.every((value, index) => value === first + index);
  return contiguous ? `${first}–${last}` : values.join(', ');
};

// Once per definition, not once per administration: definitions are immutable data.
const byKeyCache = new WeakMap<InstrumentDefinition, ReadonlyMap<string, ItemDefinition>>();
const itemsOf = (instrument: InstrumentDefinition): ReadonlyMap<string, ItemDefinition> => {
  let found = byKeyCache.get(instrument);
  if (!found) {
    found = new Map(instrument.items.map((item) => [item.key, item]));
    byKeyCache.set(instrument, found);
  }
  return found;
};

/**
 * Checks every answer against the instrument: the item must exist, and a non-null value must be an
 * integer that is one of the item's option values. Missing items (absent or null) are not problems here;
 * the scoring rules decide what missing data means. Problems come in the order of the input keys.
 */
export const validateResponses = (
  instrument: InstrumentDefinition,
  items: Readonly<Record<string, unknown>>,
): ResponseProblem[] => {
  const byKey = itemsOf(instrument);
  const problems: ResponseProblem[] = [];
  for (const [key, value] of Object.entries(items)) {
    const item = byKey.get(key);
    if (!item) {
      problems.push({ item: key, code: 'unknown_item', message: `item "${key}": not an item of ${instrument.id}` });
      continue;
    }
    if (value === null || value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      problems.push({
        item: key,
        code: 'not_a_number',
        message: `item "${key}": expected a number or null, got ${typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? typeof value)}`,
      });
      continue;
    }
    if (!Number.isInteger(value)) {
      problems.push({ item: key, code: 'not_integer', message: `item "${key}": ${value} is not an integer` });
      continue;
    }
    if (!item.options.some((option) => option.value === value)) {
      problems.push({
        item: key,
        code: 'out_of_range',
        message: `item "${key}": ${value} is out of range (allowed ${describeAllowed(item)})`,
      });
    }
  }
  return problems;
};
