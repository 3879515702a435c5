/**
 * The pseudonymised export for evaluators (issue 6 item 5), as pure rules: which columns, how people become keys,
 * how dates are coarsened. No I/O; the service reads the rows and writes the audit trail.
 *
 * - People, children and families become keys made with HMAC-SHA-256 under a secret drawn afresh for each export
 *   and then thrown away: within one export the same person always has the same key (so pre, post and follow-up
 *   line up), but two exports cannot be joined with each other, nor a key traced back to a record.
 * - Dates are reduced to the month (YYYY-MM). Shifting each person's dates by a secret offset would keep exact
 *   intervals, but it moves questionnaires across months, quarters and financial years, which is what funders'
 *   periods and cohort comparisons are cut by; months keep those and lose only the day. The interval between
 *   pre and post stays known to within a month either side, which is enough for dose–response work.
 * - Only numbers leave: item answers (positions on the printed scale) and scores. No names, references, free
 *   text, contact details or private disclosures are read at all (the service selects none of them).
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { InstrumentDefinition } from '../../measures/index.ts';

export type KeyKind = 'P' | 'C' | 'F';

/** A keyer for one export: same id → same key; a new keyer (new export) → unrelated keys. */
export const exportKeyer = (secret: Buffer = randomBytes(32)): ((kind: KeyKind, id: string) => string) => {
  const cache = new Map<string, string>();
  return (kind, id) => {
    const input = `${kind}:${id}`;
    let key = cache.get(input);
    if (!key) {
      key = `${kind}-${createHmac('sha256', secret).update(input).digest('hex').slice(0, 16)}`;
      cache.set(input, key);
    }
    return key;
  };
};

/** "2024-03-17" → "2024-03". */
export const toMonth = (isoDate: string): string => {
  if (!/^\d{4}-\d{2}-\d{2}/.test(isoDate)) throw new RangeError(`toMonth: "${isoDate}" is not an ISO date`);
  return isoDate.slice(0, 7);
};

export const FIXED_COLUMNS = [
  'respondent_key',
  'subject_key',
  'family_key',
  'respondent_role',
  'programme',
  'site',
  'group',
  'instrument',
  'instrument_version',
  'timepoint',
  'completed_month',
  'source',
  'status',
  'valid',
] as const;

/** Score and item columns for the instruments in an export, in each instrument's own order, each named once. */
export const variableColumns = (instruments: readonly InstrumentDefinition[]): { scores: string[]; items: string[] } => {
  const scores: string[] = [];
  const items: string[] = [];
  for (const instrument of instruments) {
    for (const scale of instrument.scales) if (!scores.includes(scale.key)) scores.push(scale.key);
    for (const item of instrument.items) if (!items.includes(item.key)) items.push(item.key);
  }
  return { scores, items };
};

export type SourceRow = {
  readonly respondentId: string;
  readonly subjectRef: string;
  readonly familyRef: string | null;
  readonly respondentRole: string;
  readonly programme: string;
  readonly site: string | null;
  readonly groupLabel: string;
  readonly instrumentId: string;
  readonly instrumentVersion: number;
  readonly timepoint: string;
  readonly completedOn: string;
  readonly source: string;
  readonly status: string;
  readonly valid: boolean;
  readonly responses: Readonly<Record<string, unknown>>;
  readonly scores: Readonly<Record<string, unknown>>;
};

const numberOrEmpty = (value: unknown): number | '' => (typeof value === 'number' && Number.isFinite(value) ? value : '');

/** One CSV row: keys for people, the month for the date, numbers for answers and scores; anything else left empty. */
export const pseudonymisedRow = (
  row: SourceRow,
  key: (kind: KeyKind, id: string) => string,
  columns: { scores: readonly string[]; items: readonly string[] },
): (string | number)[] => [
  key('P', row.respondentId),
  row.subjectRef === '' ? '' : key('C', row.subjectRef),
  row.familyRef === null || row.familyRef === '' ? '' : key('F', row.familyRef),
  row.respondentRole,
  row.programme,
  row.site ?? '',
  row.groupLabel,
  row.instrumentId,
  row.instrumentVersion,
  row.timepoint,
  toMonth(row.completedOn),
  row.source,
  row.status,
  row.valid ? 'true' : 'false',
  ...columns.scores.map((scale) => numberOrEmpty(row.scores[scale])),
  ...columns.items.map((item) => numberOrEmpty(row.responses[item])),
];

export const headerOf = (columns: { scores: readonly string[]; items: readonly string[] }): string[] => [
  ...FIXED_COLUMNS,
  ...columns.scores.map((s) => `score_${s}`),
  ...columns.items.map((i) => `item_${i}`),
];
