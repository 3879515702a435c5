import { stringify } from 'csv-stringify/sync';
import { getBuiltInInstrument } from '../../src/server/modules/measures/instruments/index.ts';

/*
 * Import files for tests and the benchmark: a header with the item columns of the instruments in use, and a
 * deterministic synthetic population (families with two parents and a child, each questionnaire at pre, post
 * and follow-up), so the same seed always gives the same file.
 */

export const FIXED_HEADER = [
  'respondent_id',
  'respondent_role',
  'child_id',
  'family_id',
  'site',
  'group',
  'programme',
  'instrument',
  'timepoint',
  'completed_on',
] as const;

export const MIX = ['core-10', 'sdq-p4-17', 'qmi', 'bcap'] as const;

const itemKeysOf = (id: string): string[] => {
  const instrument = getBuiltInInstrument(id);
  if (!instrument) throw new Error(`no instrument ${id}`);
  return instrument.items.map((item) => item.key);
};

/** item_<key> columns for these instruments, each once, in the instruments' own order. */
export const itemColumns = (ids: readonly string[] = MIX): string[] => [...new Set(ids.flatMap((id) => itemKeysOf(id).map((key) => `item_${key}`)))];

export const importHeader = (ids: readonly string[] = MIX): string[] => [...FIXED_HEADER, ...itemColumns(ids)];

export type CsvRow = Partial<Record<(typeof FIXED_HEADER)[number], string>> & { items?: Record<string, number | string | null> };

/** One CSV text: the header, then each row with its items under item_<key> and everything else empty. */
export const toCsv = (rows: readonly CsvRow[], header: readonly string[] = importHeader()): string =>
  stringify([
    [...header],
    ...rows.map((row) =>
      header.map((column) => {
        if (column.startsWith('item_')) {
          const value = row.items?.[column.slice('item_'.length)];
          return value === null || value === undefined ? '' : String(value);
        }
        return row[column as (typeof FIXED_HEADER)[number]] ?? '';
      }),
    ),
  ]);

/** mulberry32: a tiny seeded generator, good enough for synthetic answers. */
export const seededRandom = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

const TIMEPOINTS = ['pre', 'post', 'followup'] as const;
const SITES = ['North', 'South', 'East', 'West'];

/** Answers for every item of an instrument; about 3 % left missing so some forms are prorated or not scorable. */
const answers = (id: string, random: () => number): Record<string, number | null> => {
  const instrument = getBuiltInInstrument(id);
  if (!instrument) throw new Error(`no instrument ${id}`);
  const out: Record<string, number | null> = {};
  for (const item of instrument.items) {
    const option = item.options[Math.floor(random() * item.options.length)];
    out[item.key] = random() < 0.03 || !option ? null : option.value;
  }
  return out;
};

/**
 * `count` rows: per family, each parent answers CORE-10, QMI and BCAP about themselves and the SDQ about the
 * child, at pre, post and follow-up (24 administrations a family), until `count` rows are made.
 */
export const syntheticRows = (count: number, seed = 20240401): CsvRow[] => {
  const random = seededRandom(seed);
  const rows: CsvRow[] = [];
  for (let family = 1; rows.length < count; family += 1) {
    const familyId = `F${String(family).padStart(6, '0')}`;
    const site = SITES[family % SITES.length] ?? 'North';
    const group = `${site} ${1 + (family % 12)}`;
    for (const timepoint of TIMEPOINTS) {
      const month = timepoint === 'pre' ? 1 : timepoint === 'post' ? 4 : 10;
      const completedOn = `2023-${String(month).padStart(2, '0')}-${String(1 + (family % 28)).padStart(2, '0')}`;
      for (const [role, suffix] of [
        ['mother', 'M'],
        ['father', 'P'],
      ] as const) {
        for (const instrument of MIX) {
          if (rows.length >= count) return rows;
          rows.push({
            respondent_id: `${familyId}-${suffix}`,
            respondent_role: role,
            child_id: instrument === 'sdq-p4-17' ? `${familyId}-C1` : '',
            family_id: familyId,
            site,
            group,
            programme: 'Parents as Partners',
            instrument,
            timepoint,
            completed_on: completedOn,
            items: answers(instrument, random),
          });
        }
      }
    }
  }
  return rows;
};
