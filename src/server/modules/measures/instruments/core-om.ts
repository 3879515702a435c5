import type { InstrumentDefinition, ScaleDefinition } from './definition.ts';
import { CORE_STEM, coreLicence, coreOptions, coreWording } from './core-shared.ts';
import { item, itemNumbers } from './options.ts';

/*
 * CORE-OM, 34 items (Evans et al. 2002; CORE System Trust). Facts: instruments.md §1.2.
 * Domains from awell-health/awell-score core_om/README.md and socasresourcehub [V].
 */
const domains = {
  wellbeing: [4, 14, 17, 31],
  problems: [2, 5, 8, 11, 13, 15, 18, 20, 23, 27, 28, 30],
  functioning: [1, 3, 7, 10, 12, 19, 21, 25, 26, 29, 32, 33],
  risk: [6, 9, 16, 22, 24, 34],
} as const;

// Positively worded items, reverse-scored: 3, 4, 7, 12, 19, 21, 31, 32 (instruments.md §1.2, consistent
// with the wording). awell-score reverses 30 and not 32 — an apparent bug we do not follow.
const reversed = new Set([3, 4, 7, 12, 19, 21, 31, 32]);

const keys = (numbers: readonly number[]): string[] => numbers.map(String);
const riskSet = new Set<number>(domains.risk);
const nonRisk = itemNumbers(34).filter((key) => !riskSet.has(Number(key)));

const SCORING_SOURCE = 'CST blog "What\'s in a name (1): scoring CORE measures" (≤ 10 % missing; non-risk limit 3 since April 2023)';

// Every CORE-OM score is a "clinical score": mean item score × 10, unrounded (CST). Divide by 10 for the
// 0–4 mean item score that older reports use.
const clinicalScore = (key: string, label: string, items: string[], maxMissing: number): ScaleDefinition => ({
  key,
  label,
  kind: 'items',
  items,
  aggregate: 'mean',
  multiplier: 10,
  maxMissing,
  rounding: 'none',
  range: [0, 40],
  improvement: 'lower',
  reported: true,
  source: SCORING_SOURCE,
});

export const coreOm: InstrumentDefinition = {
  id: 'core-om',
  version: '1',
  title: 'CORE-OM (Clinical Outcomes in Routine Evaluation – Outcome Measure, 34 items)',
  stem: CORE_STEM,
  respondent: 'adult',
  recallPeriod: 'last week',
  items: itemNumbers(34).map((key) =>
    item(key, coreOptions(), { reversed: reversed.has(Number(key)), text: coreWording(Number(key)) }),
  ),
  scales: [
    // Pro-rating limits per CST (≤ 10 % of items): all items 3; non-risk 3; problems and functioning 1;
    // well-being and risk none.
    clinicalScore('total', 'All items (clinical score)', itemNumbers(34), 3),
    clinicalScore('non_risk', 'All items minus risk (clinical score)', nonRisk, 3),
    clinicalScore('wellbeing', 'Subjective well-being', keys(domains.wellbeing), 0),
    clinicalScore('problems', 'Problems / symptoms', keys(domains.problems), 1),
    clinicalScore('functioning', 'Life functioning', keys(domains.functioning), 1),
    clinicalScore('risk', 'Risk / harm', keys(domains.risk), 0),
  ],
  primaryScale: 'total',
  scorableWhen: ['total'],
  bandings: [
    {
      key: 'total',
      scale: 'total',
      scheme: 'CORE-OM severity bands',
      // <5 healthy, 5–9.9 low, 10–14.9 mild, 15–19.9 moderate, 20–24.9 moderate-to-severe, ≥25 severe.
      bands: [
        { label: 'healthy', min: 0 },
        { label: 'low', min: 5 },
        { label: 'mild', min: 10 },
        { label: 'moderate', min: 15 },
        { label: 'moderate_to_severe', min: 20 },
        { label: 'severe', min: 25 },
      ],
      source: 'clientforms.app; coreims "How is CORE used" (instruments.md §1.2) [S]',
    },
  ],
  thresholds: [
    {
      key: 'clinical',
      scale: 'total',
      op: 'gte',
      // Connell et al. 2007: 9.9, "we recommend rounding to 10". Not to be reused for the CORE-10 (11).
      value: 10,
      role: 'clinical_cut_off',
      flag: true,
      validated: true,
      source: 'Connell, Barkham, Stiles et al. 2007, British Journal of Psychiatry 190:69–74',
    },
  ],
  itemFlags: [
    {
      key: 'risk',
      // Any risk item (6, 9, 16, 22, 24, 34) answered above "Not at all" needs clinical review.
      items: keys(domains.risk),
      op: 'gt',
      value: 0,
      source: 'CORE practice guidance on risk items (instruments.md §1.1–1.2)',
    },
  ],
  prorationFlag: 'prorated',
  invalidWhenFlags: [],
  reliableChange: [
    {
      scale: 'total',
      value: 5,
      confidence: '95%',
      source: 'Evans et al. 2002: 0.48 on the 0–4 mean scale ≈ 5 clinical-score points [M — verify against the CORE-OM manual]',
    },
  ],
  licence: coreLicence,
  citations: [
    'Evans, C., Connell, J., Barkham, M., Margison, F., McGrath, G., Mellor-Clark, J. & Audin, K. (2002). Towards a standardised brief outcome measure: psychometric properties and utility of the CORE-OM. British Journal of Psychiatry, 180, 51–60.',
    'Connell, J., Barkham, M., Stiles, W. B., Twigg, E., Singleton, N., Evans, O. & Miles, J. N. V. (2007). Distribution of CORE-OM scores in a general population, clinical cut-off points and comparison with the CIS-R. British Journal of Psychiatry, 190, 69–74.',
  ],
  notes: [
    'Every score, domains included, is reported as a clinical score (mean item score × 10, 0–40); divide by 10 for the mean item score.',
    'Reverse-scored items 3, 4, 7, 12, 19, 21, 31, 32 (not 30, as one public implementation has it).',
    'Cut-off 10 applies to the CORE-OM only; the CORE-10 uses 11.',
  ],
};
