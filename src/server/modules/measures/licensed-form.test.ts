import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getBuiltInInstrument, type InstrumentDefinition } from './instruments/index.ts';
import { entryFormFor, licenceProblems, type KeyEntry } from './licensed-form.ts';
import { scoreAdministration, validateResponses } from './scoring/index.ts';

const bcap = getBuiltInInstrument('bcap') as InstrumentDefinition;
const sdq = getBuiltInInstrument('sdq-p4-17') as InstrumentDefinition;
const core10 = getBuiltInInstrument('core-10') as InstrumentDefinition;

/** A made-up key: the roles shuffled over form items 1–34 (item 34 a filler), alternating keyed answers. */
const roles = bcap.items.map((i) => i.key);
const key: KeyEntry[] = [
  ...roles.map((role, i) => ({ formItem: String(((i * 7) % 33) + 1), role, keyedAnswer: i % 2 === 0 ? ('agree' as const) : ('disagree' as const) })),
  { formItem: '34', role: null, keyedAnswer: 'agree' as const },
];

describe('licensed wording and the BCAP key', () => {
  it('a BCAP form keyed as printed scores exactly as the roles it maps to', () => {
    const { entry, toScoring } = entryFormFor(bcap, { wording: { items: { '1': 'Licensed one' } }, scoringKey: key });
    expect(entry.items.map((i) => i.key)).toEqual(Array.from({ length: 34 }, (_, i) => String(i + 1)));
    expect(entry.items[0]?.text).toBe('Licensed one');
    expect(entry.licence.wordingAllowed).toBe(true);
    fc.assert(
      fc.property(fc.array(fc.constantFrom(0, 1, null), { minLength: 34, maxLength: 34 }), (values) => {
        const form = Object.fromEntries(values.map((v, i) => [String(i + 1), v]));
        expect(validateResponses(entry, form)).toEqual([]);
        const mapped = toScoring(form);
        const direct: Record<string, number | null> = {};
        for (const e of key) {
          if (!e.role) continue;
          const answer = form[e.formItem] ?? null;
          direct[e.role] = answer === null ? null : answer === (e.keyedAnswer === 'agree' ? 1 : 0) ? 1 : 0;
        }
        expect(scoreAdministration(bcap, mapped)).toEqual(scoreAdministration(bcap, direct));
      }),
    );
    // The definition itself is untouched.
    expect(bcap.items[0]?.key).toBe('R1');
    expect(bcap.licence.wordingAllowed).toBe(false);
  });

  it('stored roles come back as the form was keyed, filler items unanswered', () => {
    const { toScoring, fromScoring } = entryFormFor(bcap, { wording: null, scoringKey: key });
    fc.assert(
      fc.property(fc.array(fc.constantFrom(0, 1, null), { minLength: 34, maxLength: 34 }), (values) => {
        const form = Object.fromEntries(values.map((v, i) => [String(i + 1), v]));
        expect(fromScoring(toScoring(form))).toEqual({ ...form, '34': null });
      }),
    );
    expect(entryFormFor(sdq, null).fromScoring({ '1': 2 })).toEqual({ '1': 2 });
  });

  it('SDQ wording fills the items and leaves scoring alone', () => {
    const { entry, toScoring } = entryFormFor(sdq, { wording: { stem: 'Please tick', items: { '1': 'Considerate' } }, scoringKey: null });
    expect(entry.items[0]?.text).toBe('Considerate');
    expect(entry.items[1]?.text).toBeUndefined();
    expect(entry.stem).toBe('Please tick');
    expect(toScoring({ '1': 2 })).toEqual({ '1': 2 });
    expect(sdq.items[0]?.text).toBeUndefined();
  });

  it('names every problem of an upload', () => {
    expect(licenceProblems(core10, { wording: { items: {} }, scoringKey: null })).toEqual([{ path: 'params.instrument', message: expect.stringContaining('ships its own wording') }]);
    expect(licenceProblems(sdq, { wording: null, scoringKey: key })).toEqual([{ path: 'body.scoringKey', message: expect.stringContaining('takes no key') }]);
    expect(licenceProblems(sdq, { wording: { items: { '99': 'x' } }, scoringKey: null })).toEqual([{ path: 'body.wording.items.99', message: 'is not an item of sdq-p4-17' }]);
    expect(licenceProblems(sdq, { wording: null, scoringKey: null })).toEqual([{ path: 'body', message: 'give the wording, the scoring key, or both' }]);
    const broken = key.slice(0, 30).concat([{ formItem: '1', role: 'R1', keyedAnswer: 'agree' }, { formItem: '40', role: 'X9', keyedAnswer: 'agree' }]);
    expect(licenceProblems(bcap, { wording: { items: { '41': 'x' } }, scoringKey: broken }).map((p) => p.path)).toEqual([
      'body.scoringKey.30.formItem',
      'body.scoringKey.30.role',
      'body.scoringKey.31.role',
      'body.scoringKey',
      'body.wording.items.41',
    ]);
    expect(licenceProblems(bcap, { wording: null, scoringKey: key })).toEqual([]);
  });
});
