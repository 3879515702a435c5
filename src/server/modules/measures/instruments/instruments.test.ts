import { describe, expect, it } from 'vitest';
import { scoreAdministration } from '../scoring/score.ts';
import { CORE_COPYRIGHT_NOTICE, builtInInstruments, getBuiltInInstrument, instrumentDefinitionSchema } from './index.ts';

const BUILT_IN_IDS = [
  'core-10',
  'core-om',
  'qmi',
  'sdq-p4-17',
  'sdq-t4-17',
  'sdq-s11-17',
  'sdq-p2-4',
  'bcap',
  'phq-9',
  'gad-7',
  'swemwbs',
];

describe('built-in instruments', () => {
  it('are exactly the ones issue 4 asks for', () => {
    expect(builtInInstruments.map((instrument) => instrument.id)).toEqual(BUILT_IN_IDS);
  });

  it.each(BUILT_IN_IDS)('%s passes the definition schema (so JSON round-trips validate too)', (id) => {
    const instrument = getBuiltInInstrument(id);
    expect(instrument).toBeDefined();
    const parsed = instrumentDefinitionSchema.safeParse(JSON.parse(JSON.stringify(instrument)));
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  });

  it('returns undefined for an unknown id', () => {
    expect(getBuiltInInstrument('sdq')).toBeUndefined();
  });

  it('ship wording only where the licence allows it', () => {
    for (const instrument of builtInInstruments) {
      const hasWording = instrument.items.some((item) => item.text !== undefined);
      if (!instrument.licence.wordingAllowed) expect(hasWording, instrument.id).toBe(false);
    }
    for (const id of ['sdq-p4-17', 'sdq-t4-17', 'sdq-s11-17', 'sdq-p2-4', 'bcap', 'swemwbs']) {
      expect(getBuiltInInstrument(id)?.licence.wordingAllowed, id).toBe(false);
    }
    for (const id of ['core-10', 'core-om', 'phq-9', 'gad-7', 'qmi']) {
      expect(getBuiltInInstrument(id)?.items.every((item) => item.text), id).toBe(true);
    }
  });

  it('carry the CORE copyright line on CORE measures', () => {
    expect(CORE_COPYRIGHT_NOTICE).toBe('© CORE System Trust: https://www.coresystemtrust.org.uk/copyright.pdf');
    expect(getBuiltInInstrument('core-10')?.licence.copyrightNotice).toBe(CORE_COPYRIGHT_NOTICE);
    expect(getBuiltInInstrument('core-om')?.licence.copyrightNotice).toBe(CORE_COPYRIGHT_NOTICE);
  });

  it('cite Norton (1983) for the QMI', () => {
    expect(getBuiltInInstrument('qmi')?.citations.join(' ')).toContain('Norton, R. (1983)');
  });

  it('share CORE-OM wording with the CORE-10 items drawn from it', () => {
    const core10 = getBuiltInInstrument('core-10');
    const coreOm = getBuiltInInstrument('core-om');
    const om = (n: number) => coreOm?.items[n - 1]?.text;
    expect(core10?.items.map((item) => item.text)).toEqual([2, 3, 7, 10, 15, 16, 18, 23, 27, 28].map(om));
  });

  it('reverse exactly the published items', () => {
    const reversed = (id: string) => getBuiltInInstrument(id)?.items.filter((i) => i.reversed).map((i) => i.key);
    expect(reversed('core-10')).toEqual(['2', '3']);
    expect(reversed('core-om')).toEqual(['3', '4', '7', '12', '19', '21', '31', '32']);
    for (const id of ['sdq-p4-17', 'sdq-t4-17', 'sdq-s11-17', 'sdq-p2-4']) {
      expect(reversed(id)).toEqual(['7', '11', '14', '21', '25']);
    }
    for (const id of ['qmi', 'bcap', 'phq-9', 'gad-7', 'swemwbs']) expect(reversed(id)).toEqual([]);
  });

  it('give every reported scale a direction of improvement and every instrument a citation', () => {
    for (const instrument of builtInInstruments) {
      expect(instrument.citations.length).toBeGreaterThan(0);
      const primary = instrument.scales.find((scale) => scale.key === instrument.primaryScale);
      expect(primary?.improvement).toMatch(/^(lower|higher)$/);
    }
    expect(getBuiltInInstrument('qmi')?.scales[0]?.improvement).toBe('higher');
    expect(getBuiltInInstrument('sdq-p4-17')?.scales.find((s) => s.key === 'prosocial')?.improvement).toBe('higher');
  });
});

describe('instrumentDefinitionSchema for an organisation\'s own instrument', () => {
  const custom = {
    id: 'org-wellbeing-3',
    version: '2024-1',
    title: 'Three-question check-in',
    respondent: 'adult',
    items: [
      { key: '1', options: [{ value: 0 }, { value: 1 }, { value: 2 }], reversed: false },
      { key: '2', options: [{ value: 0 }, { value: 1 }, { value: 2 }], reversed: true },
      { key: '3', options: [{ value: 0 }, { value: 1 }, { value: 2 }], reversed: false },
    ],
    scales: [
      {
        key: 'total',
        label: 'Total',
        kind: 'items',
        items: ['1', '2', '3'],
        aggregate: 'sum',
        multiplier: 1,
        maxMissing: 1,
        rounding: 'half_up',
        range: [0, 6],
        improvement: 'lower',
        reported: true,
        source: 'Organisation handbook, p. 4',
      },
    ],
    primaryScale: 'total',
    scorableWhen: ['total'],
    bandings: [{ key: 'total', scale: 'total', scheme: 'local', bands: [{ label: 'ok', min: 0 }, { label: 'high', min: 4 }], source: 'local' }],
    thresholds: [
      { key: 'concern', scale: 'total', op: 'gte', value: 4, role: 'clinical_cut_off', flag: true, validated: false, source: 'local convention' },
    ],
    itemFlags: [],
    prorationFlag: 'prorated',
    invalidWhenFlags: [],
    reliableChange: [],
    licence: { name: 'Own', holder: 'The organisation', wordingAllowed: true, summary: 'Ours.' },
    citations: ['Internal'],
    notes: [],
  };

  it('loads from JSON and scores with the same engine', () => {
    const instrument = instrumentDefinitionSchema.parse(custom);
    const result = scoreAdministration(instrument, { '1': 2, '2': 0, '3': null });
    // 2 + (2 − 0) = 4 over 2 answered → 4 × 3 / 2 = 6.
    expect(result).toEqual({
      instrument: 'org-wellbeing-3',
      status: 'scored',
      scores: { total: 6 },
      bands: { total: 'high' },
      flags: ['concern', 'prorated'],
      valid: true,
    });
  });

  const messages = (definition: unknown): string[] => {
    const parsed = instrumentDefinitionSchema.safeParse(definition);
    return parsed.success ? [] : parsed.error.issues.map((issue) => issue.message);
  };

  it('rejects a scale that uses an unknown item', () => {
    const bad = { ...custom, scales: [{ ...custom.scales[0], items: ['1', '2', '4'] }] };
    expect(messages(bad)).toContain('scale "total" uses unknown item "4"');
  });

  it('rejects bands that do not ascend or do not start at the scale minimum', () => {
    const descending = { ...custom, bandings: [{ ...custom.bandings[0], bands: [{ label: 'a', min: 0 }, { label: 'b', min: 0 }] }] };
    expect(messages(descending)).toContain('banding "total" lower bounds must ascend');
    const late = { ...custom, bandings: [{ ...custom.bandings[0], bands: [{ label: 'a', min: 1 }] }] };
    expect(messages(late)).toContain('banding "total" must start at the scale minimum 0');
  });

  it('rejects a rule that would score a scale with every item missing', () => {
    const bad = { ...custom, scales: [{ ...custom.scales[0], maxMissing: 3 }] };
    expect(messages(bad)).toContain('scale "total" would score with every item missing');
  });

  it('rejects references to unknown scales and flags, and duplicate items', () => {
    const bad = {
      ...custom,
      primaryScale: 'sum',
      invalidWhenFlags: ['lie'],
      items: [...custom.items, custom.items[0]],
    };
    expect(messages(bad)).toEqual(
      expect.arrayContaining(['duplicate item "1"', 'unknown scale "sum"', 'unknown flag "lie"']),
    );
  });

  it('rejects a derived scale that refers to a later scale', () => {
    const bad = {
      ...custom,
      scales: [
        { key: 'double', label: 'x', kind: 'sum_of_scales', scales: ['total'], range: [0, 12], improvement: 'lower', reported: true, source: 's' },
        ...custom.scales,
      ],
    };
    expect(messages(bad)).toContain('scale "double" refers to "total", which is not defined before it');
  });

  it('rejects an indeterminate flag on a scale without missing bounds', () => {
    const bad = { ...custom, thresholds: [{ ...custom.thresholds[0], indeterminateFlag: 'maybe' }] };
    expect(messages(bad)).toContain('scale "total" has no missingBounds to be indeterminate about');
  });

  it('rejects a non-integer option value and a bad id', () => {
    const bad = { ...custom, id: 'Org Wellbeing', items: [{ ...custom.items[0], options: [{ value: 0.5 }, { value: 1 }] }] };
    expect(messages(bad).length).toBeGreaterThanOrEqual(2);
  });
});
