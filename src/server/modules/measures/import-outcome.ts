import { createHash } from 'node:crypto';

/*
 * The report's narrow copy of an administration (outcome_score, migration 0011, ADR 0006) as the CSV import writes it
 * itself, in the statement that writes the administrations (import.repo.ts), instead of leaving the triggers to derive
 * it from the stored jsonb row by row. Each value here must equal what 0011's outcome_score_write() computes from the
 * stored row; test/integration/measures-import.int.test.ts derives them again in SQL and compares every column.
 */

const utf8Length = (text: string): number => Buffer.byteLength(text, 'utf8');

/**
 * Object keys in the order jsonb stores them, which is the order jsonb_object_keys and jsonb_each_text return them:
 * shorter keys first (by length in bytes), then by their bytes.
 */
export const jsonbKeyOrder = (keys: readonly string[]): string[] =>
  [...keys].sort((a, b) => utf8Length(a) - utf8Length(b) || Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));

/** outcome_shape(instrument_id, scores): the instrument and its score keys in stored order. */
export const outcomeShape = (instrumentId: string, scoreKeys: readonly string[]): string => `${instrumentId}:${scoreKeys.join(',')}`;

/** md5(concat_ws(chr(31), respondent_id, subject_ref, instrument_id, programme, group_label)), as 32 hex digits. */
export const outcomePairKey = (respondentId: string, subjectRef: string, instrumentId: string, programme: string, groupLabel: string): string =>
  createHash('md5').update([respondentId, subjectRef, instrumentId, programme, groupLabel].join('\u001f'), 'utf8').digest('hex');

/**
 * The float8[] literal of the scores in stored key order (outcome_score.vals). A JSON null becomes NULL; so does a
 * value JSON cannot hold (JSON.stringify writes NaN and ±Infinity as null). A JS number's shortest text reads back
 * as the same double, as the jsonb number's text does in the trigger.
 */
export const outcomeVals = (scores: Readonly<Record<string, number | null>>, scoreKeys: readonly string[]): string =>
  `{${scoreKeys
    .map((key) => {
      const value = scores[key];
      return typeof value === 'number' && Number.isFinite(value) ? String(value) : 'NULL';
    })
    .join(',')}}`;
