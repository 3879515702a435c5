import fc from 'fast-check';
import fhirpath from 'fhirpath';
import { describe, expect, it } from 'vitest';
import {
  CALCULATED_EXPRESSION,
  FhirImportError,
  ITEM_WEIGHT,
  ORDINAL_VALUE,
  SCALE_EXTENSION,
  SCORING_EXTENSION,
  fromQuestionnaire,
  scoreLinkId,
  toQuestionnaire,
  toQuestionnaireResponse,
  type Questionnaire,
  type QuestionnaireItem,
} from './fhir.ts';
import { builtInInstruments, getBuiltInInstrument, type InstrumentDefinition } from './instruments/index.ts';
import { scoreAdministration } from './scoring/index.ts';

type Responses = Record<string, number | null>;

const answersFor = (instrument: InstrumentDefinition): fc.Arbitrary<Responses> =>
  fc.record(
    Object.fromEntries(
      instrument.items.map((item) => [
        item.key,
        fc.oneof({ arbitrary: fc.constantFrom(...item.options.map((o) => o.value)), weight: 5 }, { arbitrary: fc.constant(null), weight: 1 }),
      ]),
    ),
  ) as fc.Arbitrary<Responses>;

/** The built-in as its export should bring it back: without wording where the licence does not allow it. */
const withoutForbiddenWording = (instrument: InstrumentDefinition): InstrumentDefinition => {
  if (instrument.licence.wordingAllowed) return instrument;
  const { stem: _stem, ...rest } = instrument;
  return { ...rest, items: instrument.items.map(({ text: _text, ...item }) => item) };
};

const expressionOf = (item: QuestionnaireItem): string | undefined =>
  item.extension?.find((e) => e.url === CALCULATED_EXPRESSION)?.valueExpression?.expression;

type Compiled = { scale: string; run: (resource: unknown, env: object) => unknown[] }[];
/** Each scale's calculatedExpression compiled once, as a form filler would. */
const compile = (questionnaire: Questionnaire): Compiled =>
  (questionnaire.item ?? []).flatMap((item) => {
    const scale = item.extension?.find((e) => e.url === SCALE_EXTENSION)?.valueCode;
    const expression = expressionOf(item);
    return scale && expression ? [{ scale, run: fhirpath.compile(expression) as unknown as Compiled[number]['run'] }] : [];
  });

/** Evaluates each scale's calculatedExpression in order, adding each score to the response for the next. */
const fhirScores = (compiled: Compiled, answers: Responses): Record<string, number | null> => {
  const response = {
    resourceType: 'QuestionnaireResponse',
    status: 'completed',
    item: Object.entries(answers)
      .filter(([, v]) => v !== null)
      .map(([linkId, value]) => ({ linkId, answer: [{ valueCoding: { code: String(value) } }] })) as { linkId: string; answer: object[] }[],
  };
  const out: Record<string, number | null> = {};
  for (const { scale, run } of compiled) {
    const [value] = run(response, { resource: response }) as number[];
    out[scale] = value === undefined ? null : Number(value);
    if (value !== undefined) response.item.push({ linkId: scoreLinkId(scale), answer: [{ valueDecimal: Number(value) }] });
  }
  return out;
};

describe.each(builtInInstruments.map((i) => [i.id, i] as const))('%s as a FHIR Questionnaire', (_id, instrument) => {
  const questionnaire = toQuestionnaire(instrument);
  const compiled = compile(questionnaire);

  it('comes back as the same definition (through JSON, as it travels)', () => {
    const imported = fromQuestionnaire(JSON.parse(JSON.stringify(questionnaire)));
    expect(imported).toEqual(withoutForbiddenWording(instrument));
  });

  it('scores identically after the round trip, on generated answers', () => {
    const imported = fromQuestionnaire(JSON.parse(JSON.stringify(questionnaire)), { id: `${instrument.id}-copy` });
    fc.assert(
      fc.property(answersFor(instrument), (answers) => {
        expect({ ...scoreAdministration(imported, answers), instrument: instrument.id }).toEqual(scoreAdministration(instrument, answers));
      }),
      { numRuns: 150 },
    );
  });

  it('its calculatedExpressions give the engine’s scores under FHIRPath, missing answers and proration included', () => {
    fc.assert(
      fc.property(answersFor(instrument), (answers) => {
        const engine = scoreAdministration(instrument, answers).scores;
        const fhir = fhirScores(compiled, answers);
        for (const [scale, value] of Object.entries(fhir)) {
          if (!(scale in engine)) continue; // a scale the engine computes for flags only
          const ours = engine[scale] ?? null;
          if (ours === null || value === null) expect(value, scale).toBe(ours);
          else expect(value, scale).toBeCloseTo(ours, 6);
        }
      }),
      { numRuns: 60 },
    );
  }, 60_000);

  it('puts the item score in the weights: reversed items weigh min + max − code', () => {
    for (const item of instrument.items) {
      const options = questionnaire.item?.find((q) => q.linkId === item.key)?.answerOption ?? [];
      const values = item.options.map((o) => o.value);
      for (const option of options) {
        const code = Number(option.valueCoding?.code);
        const expected = item.reversed ? Math.min(...values) + Math.max(...values) - code : code;
        expect(option.extension?.find((e) => e.url === ORDINAL_VALUE)?.valueDecimal).toBe(expected);
        expect(option.extension?.find((e) => e.url === ITEM_WEIGHT)?.valueDecimal).toBe(expected);
      }
    }
  });
});

describe('licences in the export', () => {
  it('SDQ and BCAP go out with item numbers only: no text, no stem', () => {
    for (const id of ['sdq-p4-17', 'sdq-t4-17', 'sdq-s11-17', 'sdq-p2-4', 'bcap', 'swemwbs']) {
      const instrument = getBuiltInInstrument(id);
      if (!instrument) throw new Error(id);
      // Even a definition carrying wording (an organisation's licensed copy) does not export it.
      const withText = { ...instrument, stem: 'Licensed stem', items: instrument.items.map((i) => ({ ...i, text: `Licensed ${i.key}` })) };
      const q = toQuestionnaire(withText);
      const json = JSON.stringify(q);
      expect(json, id).not.toContain('Licensed');
      for (const item of q.item ?? []) if (!item.linkId.startsWith('score.')) expect(item.prefix, id).toBe(item.linkId);
    }
  });

  it('CORE-10 carries its wording and copyright line', () => {
    const q = toQuestionnaire(getBuiltInInstrument('core-10') as InstrumentDefinition);
    expect(q.item?.[5]?.text).toBe('I made plans to end my life');
    expect(q.copyright).toContain('CORE System Trust');
    expect(q.description).toBe('Over the last week…');
  });
});

describe('importing a Questionnaire from elsewhere', () => {
  const option = (code: string, weight?: number, display?: string) => ({
    valueCoding: { system: 'http://loinc.org', code, ...(display ? { display } : {}) },
    ...(weight === undefined ? {} : { extension: [{ url: ITEM_WEIGHT, valueDecimal: weight }] }),
  });
  const foreign = (): Record<string, unknown> => ({
    resourceType: 'Questionnaire',
    id: 'Family-Mood',
    title: 'Family mood',
    status: 'active',
    item: [
      { linkId: 'intro', type: 'display', text: 'Think about the last two weeks.' },
      {
        linkId: 'g1',
        type: 'group',
        item: [
          { linkId: 'q1', type: 'choice', text: 'We laugh together', answerOption: [option('0', 3, 'Never'), option('1', 2), option('2', 1), option('3', 0, 'Always')] },
          { linkId: 'q2', type: 'choice', text: 'We argue', answerOption: [option('0'), option('1'), option('2'), option('3')] },
        ],
      },
      { linkId: 'total', type: 'decimal', readOnly: true, extension: [{ url: CALCULATED_EXPRESSION, valueExpression: { language: 'text/fhirpath', expression: '0' } }] },
    ],
  });

  it('becomes an instrument scored as the sum of its weights, reversed items recognised, groups walked', () => {
    const def = fromQuestionnaire(foreign());
    expect(def.id).toBe('family-mood');
    expect(def.items.map((i) => [i.key, i.reversed, i.text])).toEqual([
      ['q1', true, 'We laugh together'],
      ['q2', false, 'We argue'],
    ]);
    expect(def.items[0]?.options[0]).toEqual({ value: 0, label: 'Never' });
    expect(scoreAdministration(def, { q1: 0, q2: 2 }).scores).toEqual({ total: 5 });
    expect(scoreAdministration(def, { q1: 0, q2: null }).status).toBe('not_scorable');
  });

  it('names the place in the resource of every problem', () => {
    const bad = foreign();
    const group = (bad.item as { item: { answerOption: unknown[]; type?: string; linkId?: string }[] }[])[1];
    if (!group) throw new Error('fixture');
    const [q1, q2] = group.item;
    if (!q1 || !q2) throw new Error('fixture');
    q1.answerOption[1] = option('x', 2);
    q2.answerOption[2] = option('2', 7);
    group.item.push({ linkId: 'free text', type: 'string', answerOption: [] });
    group.item.push({ linkId: 'q4', type: 'string', answerOption: [] });
    try {
      fromQuestionnaire(bad);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(FhirImportError);
      expect((error as FhirImportError).problems).toEqual([
        { path: 'Questionnaire.item[1].item[0].answerOption[1].valueCoding.code', message: expect.stringContaining('"x" is not a whole number') },
        { path: 'Questionnaire.item[1].item[1].answerOption[2]', message: expect.stringContaining('weights must equal the codes or reverse them') },
        { path: 'Questionnaire.item[1].item[2].linkId', message: expect.stringContaining('letters, digits and underscores') },
        { path: 'Questionnaire.item[1].item[3].type', message: expect.stringContaining('choice items') },
      ]);
    }
  });

  it('refuses what is not a Questionnaire, and broken Tandem scoring rules by their path', () => {
    expect(() => fromQuestionnaire({ resourceType: 'Patient' })).toThrow(/resourceType: must be "Questionnaire"/);
    const q = toQuestionnaire(getBuiltInInstrument('core-10') as InstrumentDefinition);
    const rules = JSON.parse(q.extension?.[0]?.valueString ?? '{}');
    rules.scales[0].items.push('99');
    const broken = { ...q, extension: [{ url: SCORING_EXTENSION, valueString: JSON.stringify(rules) }] };
    try {
      fromQuestionnaire(broken);
      expect.unreachable();
    } catch (error) {
      expect((error as FhirImportError).problems).toEqual([
        { path: 'Questionnaire.extension[0].valueString (scoring rules).scales[0].items', message: 'scale "total" uses unknown item "99"' },
      ]);
    }
    expect(() => fromQuestionnaire({ ...q, extension: [{ url: SCORING_EXTENSION, valueString: '{' }] })).toThrow(/extension\[0\]\.valueString: the Tandem scoring rules are not a JSON object/);
    expect(() => fromQuestionnaire({ ...q, item: [q.item?.[0], { ...q.item?.[1], linkId: '1' }] })).toThrow(/Questionnaire.item: duplicate item "1"/);
  });
});

describe('a completed administration as a QuestionnaireResponse', () => {
  it('answers as codings, scores on their calculated items, timepoint and flags as extensions, people by reference only', () => {
    const core10 = getBuiltInInstrument('core-10') as InstrumentDefinition;
    const responses = { '1': 2, '2': 1, '3': 3, '4': 1, '5': 0, '6': 1, '7': 2, '8': 1, '9': 2, '10': null };
    const result = scoreAdministration(core10, responses);
    const qr = toQuestionnaireResponse(core10, { id: 'a1', instrumentVersion: 1, respondentRef: 'F001-M', subjectRef: '', timepoint: 'pre', completedOn: '2024-01-15', responses, result });
    expect(qr.questionnaire).toBe('https://tandem.invalid/fhir/Questionnaire/core-10|1');
    expect(qr.item.find((i) => i.linkId === '6')?.answer?.[0]?.valueCoding).toMatchObject({ code: '1', display: 'Only occasionally' });
    expect(qr.item.find((i) => i.linkId === '10')).toBeUndefined();
    expect(qr.item.find((i) => i.linkId === 'score.total')?.answer?.[0]?.valueDecimal).toBeCloseTo(result.scores.total ?? 0, 9);
    expect(qr.extension.map((e) => e.valueCode)).toEqual(['pre', ...result.flags]);
    expect(qr.subject.identifier.value).toBe('F001-M');
    // The exported expression computes the same total from the response's own answers.
    const expression = expressionOf(toQuestionnaire(core10).item?.find((i) => i.linkId === 'score.total') as QuestionnaireItem) ?? '';
    expect(Number((fhirpath.evaluate(qr, expression, { resource: qr }) as unknown[])[0])).toBeCloseTo(result.scores.total ?? 0, 6);
  });
});
