import type { InstrumentDefinition } from './definition.ts';
import { NO_PRORATION_NOTE, PHQ_STEM, frequencyOptions, phqLicence } from './phq-shared.ts';
import { item, itemNumbers, labelled } from './options.ts';

/* PHQ-9 (Kroenke, Spitzer & Williams 2001). Facts: instruments.md §5.1. */
const wording: readonly string[] = [
  'Little interest or pleasure in doing things',
  'Feeling down, depressed, or hopeless',
  'Trouble falling or staying asleep, or sleeping too much',
  'Feeling tired or having little energy',
  'Poor appetite or overeating',
  'Feeling bad about yourself — or that you are a failure or have let yourself or your family down',
  'Trouble concentrating on things, such as reading the newspaper or watching television',
  'Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or restless that you have been moving around a lot more than usual',
  'Thoughts that you would be better off dead or of hurting yourself in some way',
];

export const phq9: InstrumentDefinition = {
  id: 'phq-9',
  version: '1',
  title: 'Patient Health Questionnaire (PHQ-9)',
  stem: PHQ_STEM,
  respondent: 'adult',
  recallPeriod: 'last 2 weeks',
  items: [
    ...itemNumbers(9).map((key, index) => item(key, frequencyOptions(), { text: wording[index] ?? '' })),
    // Item 10 (functional difficulty) is asked but is not part of the score.
    item('10', labelled(0, ['Not difficult at all', 'Somewhat difficult', 'Very difficult', 'Extremely difficult']), {
      text: 'If you checked off any problems, how difficult have these problems made it for you to do your work, take care of things at home, or get along with other people?',
    }),
  ],
  scales: [
    {
      key: 'total',
      label: 'Depression severity',
      kind: 'items',
      items: itemNumbers(9),
      aggregate: 'sum',
      multiplier: 1,
      maxMissing: 0,
      rounding: 'none',
      range: [0, 27],
      improvement: 'lower',
      reported: true,
      source: 'Kroenke et al. 2001 (sum of items 1–9)',
    },
  ],
  primaryScale: 'total',
  scorableWhen: ['total'],
  bandings: [
    {
      key: 'total',
      scale: 'total',
      scheme: 'PHQ-9 severity (Kroenke et al. 2001)',
      // 5 / 10 / 15 / 20 = mild / moderate / moderately severe / severe [M].
      bands: [
        { label: 'minimal', min: 0 },
        { label: 'mild', min: 5 },
        { label: 'moderate', min: 10 },
        { label: 'moderately_severe', min: 15 },
        { label: 'severe', min: 20 },
      ],
      source: 'Kroenke, Spitzer & Williams 2001 [M]',
    },
  ],
  thresholds: [
    {
      key: 'caseness',
      scale: 'total',
      op: 'gte',
      // NHS Talking Therapies caseness PHQ-9 ≥ 10; also the major-depression screening cut-off.
      value: 10,
      role: 'caseness',
      flag: true,
      validated: true,
      source: 'NHS Talking Therapies (IAPT) manual as quoted by cbtwatch.com; Gyani et al. 2013 [S]; CamCOPS phq9.rst [V]',
    },
  ],
  itemFlags: [
    {
      key: 'risk',
      // Item 9 (thoughts of being better off dead or self-harm) answered above "Not at all".
      items: ['9'],
      op: 'gt',
      value: 0,
      source: 'Standard PHQ-9 practice (instruments.md §5.1) [M]',
    },
  ],
  invalidWhenFlags: [],
  reliableChange: [
    { scale: 'total', value: 6, confidence: '95%', source: 'NHS Talking Therapies reliable improvement: PHQ-9 decrease ≥ 6 [S]' },
  ],
  licence: phqLicence,
  citations: [
    'Kroenke, K., Spitzer, R. L. & Williams, J. B. W. (2001). The PHQ-9: Validity of a brief depression severity measure. Journal of General Internal Medicine, 16(9), 606–613.',
  ],
  notes: [NO_PRORATION_NOTE, 'Item 10 is recorded but not scored.', 'LOINC: panel 44249-1, total score 44261-6.'],
};
