import type { InstrumentDefinition } from './definition.ts';
import { NO_PRORATION_NOTE, PHQ_STEM, frequencyOptions, phqLicence } from './phq-shared.ts';
import { item, itemNumbers } from './options.ts';

/* GAD-7 (Spitzer, Kroenke, Williams & Löwe 2006). Facts: instruments.md §5.1. */
const wording: readonly string[] = [
  'Feeling nervous, anxious or on edge',
  'Not being able to stop or control worrying',
  'Worrying too much about different things',
  'Trouble relaxing',
  'Being so restless that it is hard to sit still',
  'Becoming easily annoyed or irritable',
  'Feeling afraid as if something awful might happen',
];

export const gad7: InstrumentDefinition = {
  id: 'gad-7',
  version: '1',
  title: 'Generalised Anxiety Disorder assessment (GAD-7)',
  stem: PHQ_STEM,
  respondent: 'adult',
  recallPeriod: 'last 2 weeks',
  items: itemNumbers(7).map((key, index) => item(key, frequencyOptions(), { text: wording[index] ?? '' })),
  scales: [
    {
      key: 'total',
      label: 'Anxiety severity',
      kind: 'items',
      items: itemNumbers(7),
      aggregate: 'sum',
      multiplier: 1,
      maxMissing: 0,
      rounding: 'none',
      range: [0, 21],
      improvement: 'lower',
      reported: true,
      source: 'Spitzer et al. 2006 (sum of items 1–7)',
    },
  ],
  primaryScale: 'total',
  scorableWhen: ['total'],
  bandings: [
    {
      key: 'total',
      scale: 'total',
      scheme: 'GAD-7 severity (Spitzer et al. 2006)',
      bands: [
        { label: 'minimal', min: 0 },
        { label: 'mild', min: 5 },
        { label: 'moderate', min: 10 },
        { label: 'severe', min: 15 },
      ],
      source: 'Spitzer et al. 2006; cliot docs (instruments.md §5.1)',
    },
  ],
  thresholds: [
    {
      key: 'caseness',
      scale: 'total',
      op: 'gte',
      // NHS Talking Therapies uses GAD-7 ≥ 8 for anxiety caseness (not the ≥ 10 screening cut-off).
      value: 8,
      role: 'caseness',
      flag: true,
      validated: true,
      source: 'NHS Talking Therapies (IAPT) manual as quoted by cbtwatch.com; Gyani et al. 2013 [S]',
    },
    {
      key: 'screen_positive',
      scale: 'total',
      op: 'gte',
      value: 10,
      role: 'screening',
      flag: true,
      validated: true,
      source: 'Spitzer et al. 2006: ≥ 10 screen positive',
    },
  ],
  itemFlags: [],
  invalidWhenFlags: [],
  reliableChange: [
    { scale: 'total', value: 4, confidence: '95%', source: 'NHS Talking Therapies reliable improvement: GAD-7 decrease ≥ 4 [S]' },
  ],
  licence: phqLicence,
  citations: [
    'Spitzer, R. L., Kroenke, K., Williams, J. B. W. & Löwe, B. (2006). A brief measure for assessing generalized anxiety disorder: The GAD-7. Archives of Internal Medicine, 166(10), 1092–1097.',
  ],
  notes: [NO_PRORATION_NOTE, 'LOINC: total score 70274-6; panel 69737-5 [M].'],
};
