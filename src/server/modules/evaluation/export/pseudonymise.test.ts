import { describe, expect, it } from 'vitest';
import { getBuiltInInstrument } from '../../measures/index.ts';
import { exportKeyer, headerOf, pseudonymisedRow, toMonth, variableColumns, type SourceRow } from './pseudonymise.ts';

const core10 = getBuiltInInstrument('core-10');
if (!core10) throw new Error('core-10 missing');

const row = (over: Partial<SourceRow> = {}): SourceRow => ({
  respondentId: '11111111-1111-4111-8111-111111111111',
  subjectRef: '',
  familyRef: 'FAM-0042',
  respondentRole: 'mother',
  programme: 'Parents as Partners',
  site: 'Northgate',
  groupLabel: 'Tuesday group',
  instrumentId: 'core-10',
  instrumentVersion: 1,
  timepoint: 'pre',
  completedOn: '2024-03-17',
  source: 'paper',
  status: 'scored',
  valid: true,
  responses: { '1': 2, '2': 1, '3': null, '4': 'free text that must not leave' },
  scores: { total: 13.3, note: 'text' },
  ...over,
});

describe('pseudonymised export rules', () => {
  it('keys a person the same way within an export and differently in another export', () => {
    const a = exportKeyer(Buffer.alloc(32, 1));
    const b = exportKeyer(Buffer.alloc(32, 2));
    const id = row().respondentId;
    expect(a('P', id)).toBe(a('P', id));
    expect(a('P', id)).toMatch(/^P-[0-9a-f]{16}$/);
    expect(b('P', id)).not.toBe(a('P', id));
    // The kind is part of the key: a child and an adult with the same reference do not collide.
    expect(a('C', id).slice(2)).not.toBe(a('P', id).slice(2));
  });

  it('reduces dates to the month and refuses anything that is not a date', () => {
    expect(toMonth('2024-03-17')).toBe('2024-03');
    expect(() => toMonth('17/03/2024')).toThrow(RangeError);
  });

  it('writes keys, the month and numbers only: no reference, day or text survives', () => {
    const columns = variableColumns([core10]);
    const header = headerOf(columns);
    expect(header.slice(0, 3)).toEqual(['respondent_key', 'subject_key', 'family_key']);
    expect(header).toContain('score_total');
    expect(header).toContain('item_10');
    const out = pseudonymisedRow(row(), exportKeyer(Buffer.alloc(32, 3)), columns);
    expect(out).toHaveLength(header.length);
    const text = out.join(',');
    expect(text).not.toContain('FAM-0042');
    expect(text).not.toContain('1111');
    expect(text).not.toContain('2024-03-17');
    expect(text).not.toContain('free text');
    expect(out[header.indexOf('completed_month')]).toBe('2024-03');
    expect(out[header.indexOf('score_total')]).toBe(13.3);
    expect(out[header.indexOf('item_1')]).toBe(2);
    expect(out[header.indexOf('item_3')]).toBe('');
    expect(out[header.indexOf('item_4')]).toBe('');
    expect(out[header.indexOf('subject_key')]).toBe('');
  });
});
