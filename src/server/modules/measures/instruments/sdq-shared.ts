import type { Banding, InstrumentDefinition, ScaleDefinition } from './definition.ts';
import { item, itemNumbers, labelled } from './options.ts';

/*
 * Strengths and Difficulties Questionnaire (Goodman 1997; youthinmind). Facts: instruments.md §3.
 * Scoring rules only: item wording is NOT shipped — "Users are not permitted to create or distribute
 * electronic versions for any purpose without prior authorization from youthinmind" (sdqinfo notice).
 * An organisation with a youthinmind agreement may load its licensed wording onto these items.
 */

/** Scale → item numbers on the English P/T/S forms (gbiele/masterfile sdq.R item order) [V]. */
export const SDQ_SCALES = {
  emotional: ['3', '8', '13', '16', '24'],
  conduct: ['5', '7', '12', '18', '22'],
  hyperactivity: ['2', '10', '15', '21', '25'],
  peer: ['6', '11', '14', '19', '23'],
  prosocial: ['1', '4', '9', '17', '20'],
} as const;

/** "Not True" scores 2 and "Certainly True" 0 on these items: obeys (7), friend (11), popular (14), reflect (21), attends (25). */
export const SDQ_REVERSED = new Set(['7', '11', '14', '21', '25']);

const SCORING_SOURCE =
  'youthinmind "Scoring the SDQ for age 4-17" (2014): prorate when ≥ 3 of 5 items answered; official syntax floor(0.5 + mean × 5)';
const IMPACT_SOURCE =
  'youthinmind impact scoring (official R syntax: recode 0:1=0, 2=1, 3=2; impact = 0 when item 26 is "No"; NA when partial)';

const answer = () => labelled(0, ['Not true', 'Somewhat true', 'Certainly true']);
const difficulties = () => labelled(0, ['No', 'Yes – minor difficulties', 'Yes – definite difficulties', 'Yes – severe difficulties']);
const duration = () => labelled(0, ['Less than a month', '1–5 months', '6–12 months', 'Over a year']);
const amount = () => labelled(0, ['Not at all', 'Only a little', 'A medium amount', 'A great deal']);

/** Impact items: parent/self 29a–d (home, friendships, learning, leisure); teacher 29a–b (peers, classroom). */
export type SdqImpactItems = readonly string[];
export const SDQ_IMPACT_PARENT: SdqImpactItems = ['28', '29a', '29b', '29c', '29d'];
export const SDQ_IMPACT_TEACHER: SdqImpactItems = ['28', '29a', '29b'];

/** Lower bounds of the bands, ascending. Difficulty scales: [borderline/slightly raised, abnormal/high, very high]. */
type DifficultyCuts3 = readonly [borderline: number, abnormal: number];
type DifficultyCuts4 = readonly [slightlyRaised: number, high: number, veryHigh: number];
/** Prosocial (low = worse): lower bounds of [borderline, normal] and [low, slightly lowered, close to average]. */
type ProsocialCuts3 = readonly [borderline: number, normal: number];
type ProsocialCuts4 = readonly [low: number, slightlyLowered: number, closeToAverage: number];

export type SdqBandTable = {
  source: string;
  three: {
    total: DifficultyCuts3;
    emotional: DifficultyCuts3;
    conduct: DifficultyCuts3;
    hyperactivity: DifficultyCuts3;
    peer: DifficultyCuts3;
    prosocial: ProsocialCuts3;
    impact?: DifficultyCuts3;
  };
  four?: {
    total: DifficultyCuts4;
    emotional: DifficultyCuts4;
    conduct: DifficultyCuts4;
    hyperactivity: DifficultyCuts4;
    peer: DifficultyCuts4;
    prosocial: ProsocialCuts4;
    impact: DifficultyCuts4;
  };
};

const THREE = 'SDQ original 3-band (normal / borderline / abnormal)';
const FOUR = 'SDQ newer 4-band (close to average / slightly raised / high / very high)';

const difficulty3 = (key: string, [borderline, abnormal]: DifficultyCuts3, source: string): Banding => ({
  key,
  scale: key,
  scheme: THREE,
  bands: [
    { label: 'normal', min: 0 },
    { label: 'borderline', min: borderline },
    { label: 'abnormal', min: abnormal },
  ],
  source,
});

const difficulty4 = (key: string, [raised, high, veryHigh]: DifficultyCuts4, source: string): Banding => ({
  key: `${key}_4band`,
  scale: key,
  scheme: FOUR,
  bands: [
    { label: 'close_to_average', min: 0 },
    { label: 'slightly_raised', min: raised },
    { label: 'high', min: high },
    { label: 'very_high', min: veryHigh },
  ],
  source,
});

const prosocial3 = ([borderline, normal]: ProsocialCuts3, source: string): Banding => ({
  key: 'prosocial',
  scale: 'prosocial',
  scheme: THREE,
  bands: [
    { label: 'abnormal', min: 0 },
    { label: 'borderline', min: borderline },
    { label: 'normal', min: normal },
  ],
  source,
});

const prosocial4 = ([low, slightlyLowered, close]: ProsocialCuts4, source: string): Banding => ({
  key: 'prosocial_4band',
  scale: 'prosocial',
  scheme: 'SDQ newer 4-band, prosocial (close to average / slightly lowered / low / very low)',
  bands: [
    { label: 'very_low', min: 0 },
    { label: 'low', min: low },
    { label: 'slightly_lowered', min: slightlyLowered },
    { label: 'close_to_average', min: close },
  ],
  source,
});

const itemScale = (key: keyof typeof SDQ_SCALES, label: string): ScaleDefinition => ({
  key,
  label,
  kind: 'items',
  items: [...SDQ_SCALES[key]],
  aggregate: 'sum',
  multiplier: 1,
  // At most 2 of 5 missing (≥ 3 answered), prorated sum = mean × 5, rounded half up — explicitly, since
  // banker's rounding (Python round) would give 2 for 2.5.
  maxMissing: 2,
  rounding: 'half_up',
  range: [0, 10],
  improvement: key === 'prosocial' ? 'higher' : 'lower',
  reported: true,
  source: SCORING_SOURCE,
});

const sumOf = (key: string, label: string, scales: string[], max: number, source: string): ScaleDefinition => ({
  key,
  label,
  kind: 'sum_of_scales',
  scales,
  range: [0, max],
  improvement: 'lower',
  reported: true,
  source,
});

type SdqVariant = {
  id: string;
  title: string;
  respondent: InstrumentDefinition['respondent'];
  impactItems: SdqImpactItems;
  bands: SdqBandTable;
  notes: string[];
};

export const buildSdq = (variant: SdqVariant): InstrumentDefinition => {
  const { bands } = variant;
  const impactMax = variant.impactItems.length * 2;
  const bandings: Banding[] = [];
  const keys = ['total', 'emotional', 'conduct', 'hyperactivity', 'peer'] as const;
  for (const key of keys) {
    bandings.push(difficulty3(key, bands.three[key], bands.source));
    if (bands.four) bandings.push(difficulty4(key, bands.four[key], bands.source));
  }
  bandings.push(prosocial3(bands.three.prosocial, bands.source));
  if (bands.four) bandings.push(prosocial4(bands.four.prosocial, bands.source));
  if (bands.three.impact) bandings.push(difficulty3('impact', bands.three.impact, bands.source));
  if (bands.four) bandings.push(difficulty4('impact', bands.four.impact, bands.source));

  return {
    id: variant.id,
    version: '1',
    title: variant.title,
    respondent: variant.respondent,
    items: [
      ...itemNumbers(25).map((key) => item(key, answer(), { reversed: SDQ_REVERSED.has(key) })),
      item('26', difficulties()),
      item('27', duration()),
      ...variant.impactItems.map((key) => item(key, amount())),
      item('30', amount()),
    ],
    scales: [
      itemScale('emotional', 'Emotional symptoms'),
      itemScale('conduct', 'Conduct problems'),
      itemScale('hyperactivity', 'Hyperactivity / inattention'),
      itemScale('peer', 'Peer relationship problems'),
      itemScale('prosocial', 'Prosocial behaviour'),
      // "Counted as missing if one of the component scores is missing" (youthinmind self-report scoring sheet).
      sumOf('total', 'Total difficulties', ['emotional', 'conduct', 'hyperactivity', 'peer'], 40, 'youthinmind scoring sheet'),
      sumOf('externalising', 'Externalising', ['conduct', 'hyperactivity'], 20, 'Goodman, Lamping & Ploubidis 2010'),
      sumOf('internalising', 'Internalising', ['emotional', 'peer'], 20, 'Goodman, Lamping & Ploubidis 2010'),
      {
        key: 'impact',
        label: 'Impact',
        kind: 'items',
        items: [...variant.impactItems],
        aggregate: 'sum',
        multiplier: 1,
        // Partially answered impact items: the official R sums with NA (→ NA); one adaptation treats NA as
        // 0. Ambiguous, so we leave it null (instruments.md §3.1).
        maxMissing: 0,
        rounding: 'none',
        // "Not at all" and "Only a little" = 0, "A medium amount" = 1, "A great deal" = 2.
        recode: { '0': 0, '1': 0, '2': 1, '3': 2 },
        // Item 26 "No" → impact 0 (the form skips the rest); item 26 missing → null, as in the R logic.
        gate: { item: '26', value: 0, score: 0 },
        range: [0, impactMax],
        improvement: 'lower',
        reported: true,
        source: IMPACT_SOURCE,
      },
    ],
    primaryScale: 'total',
    // Total difficulties needs all four difficulty scales; a form without it is "not scorable" even if
    // prosocial or impact could be given (they are still reported).
    scorableWhen: ['total'],
    bandings,
    thresholds: [],
    itemFlags: [],
    prorationFlag: 'prorated',
    invalidWhenFlags: [],
    reliableChange: [],
    licence: {
      name: 'Copyright youthinmind; paper use free for non-profits, electronic use by authorisation only',
      holder: 'youthinmind Ltd (Robert Goodman)',
      wordingAllowed: false,
      summary:
        'SDQs are copyright documents, may not be modified, and "users are not permitted to create or distribute ' +
        'electronic versions for any purpose without prior authorization from youthinmind". Tandem ships scoring ' +
        'rules only; staff key answers by item number from the paper form, or an organisation with a youthinmind ' +
        'agreement loads its licensed wording. Subscales may not be administered separately.',
    },
    citations: [
      'Goodman, R. (1997). The Strengths and Difficulties Questionnaire: A research note. Journal of Child Psychology and Psychiatry, 38(5), 581–586.',
      'youthinmind (2014). Scoring the Strengths & Difficulties Questionnaire for age 4-17 (sdqinfo.org).',
      'Goodman, A., Lamping, D. L. & Ploubidis, G. B. (2010). When to use broader internalising and externalising subscales instead of the hypothesised five subscales on the SDQ. Journal of Abnormal Child Psychology, 38(8), 1179–1191.',
    ],
    notes: [
      'Responses are 0 = "Not true", 1 = "Somewhat true", 2 = "Certainly true" as printed; items 7, 11, 14, 21, 25 are reversed by the engine.',
      'A scale is prorated when at least 3 of its 5 items are answered: floor(0.5 + mean × 5), i.e. round half up.',
      'bands.<scale> uses the original 3-band scheme; bands.<scale>_4band the newer 4-band scheme. They disagree in places (e.g. parent hyperactivity 7), so reports must name the scheme.',
      'Externalising and internalising have no official bands.',
      ...variant.notes,
    ],
  };
};
