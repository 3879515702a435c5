import type { InstrumentDefinition } from './definition.ts';
import { CORE_STEM, coreLicence, coreOptions, coreWording } from './core-shared.ts';
import { item, itemNumbers } from './options.ts';

/*
 * CORE-10 (Barkham et al. 2013; CORE System Trust). Facts: instruments.md §1.1.
 * CORE-10 item → CORE-OM item (for wording): 1→2, 2→3, 3→7, 4→10, 5→15, 6→16, 7→18, 8→23, 9→27, 10→28
 * (instruments.md §1.1, [M] but consistent with the wording).
 */
const omItemFor: readonly number[] = [2, 3, 7, 10, 15, 16, 18, 23, 27, 28];

// Items 2 ("someone to turn to for support") and 3 ("able to cope when things go wrong") are positively
// worded and reverse-scored (CamCOPS core10.py; NovoPsych/measurely). "Items 3 and 4" on one practitioner
// page is copied from CORE-OM text and wrong for the CORE-10 (instruments.md §1.1).
const reversedItems = new Set(['2', '3']);

export const core10: InstrumentDefinition = {
  id: 'core-10',
  version: '1',
  title: 'CORE-10 (Clinical Outcomes in Routine Evaluation, 10 items)',
  stem: CORE_STEM,
  respondent: 'adult',
  recallPeriod: 'last week',
  items: itemNumbers(10).map((key, index) =>
    item(key, coreOptions(), { reversed: reversedItems.has(key), text: coreWording(omItemFor[index] ?? 0) }),
  ),
  scales: [
    {
      key: 'total',
      label: 'Clinical score',
      kind: 'items',
      items: itemNumbers(10),
      // Clinical score = mean item score × 10 (CST "What's in a name (1): scoring CORE measures").
      aggregate: 'mean',
      multiplier: 10,
      // Prorate "if only one item is omitted"; ≥ 2 missing → do not score (CST CORE-10 information page).
      // CamCOPS prorates any number of missing items; we follow CST, not CamCOPS.
      maxMissing: 1,
      // Barkham 2013 reports the cut-off as 11.0: a prorated score keeps its decimals (issue 4 item 4).
      rounding: 'none',
      range: [0, 40],
      improvement: 'lower',
      reported: true,
      source: 'CST CORE-10 information page; CST blog "What\'s in a name (1): scoring CORE measures"',
    },
  ],
  primaryScale: 'total',
  scorableWhen: ['total'],
  bandings: [
    {
      key: 'total',
      scale: 'total',
      scheme: 'CORE-10 severity bands (Connell & Barkham 2007, CORE-10 User Manual)',
      // 0–5 / 6–10 / 11–14 / 15–19 / 20–24 / 25–40 (two secondary sources; the 11–15/16–20/… outlier is
      // not used). Lower bounds: a prorated 10.56 is "low", 5.56 is "healthy".
      bands: [
        { label: 'healthy', min: 0 },
        { label: 'low', min: 6 },
        { label: 'mild', min: 11 },
        { label: 'moderate', min: 15 },
        { label: 'moderate_to_severe', min: 20 },
        { label: 'severe', min: 25 },
      ],
      source: 'Connell & Barkham 2007 CORE-10 User Manual, via socasresourcehub.com and NovoPsych (instruments.md §1.1)',
    },
  ],
  thresholds: [
    {
      key: 'clinical',
      scale: 'total',
      op: 'gte',
      // 11, not the CORE-OM's 10 (Barkham et al. 2013: "clinical cut-off score … was 11.0").
      value: 11,
      role: 'clinical_cut_off',
      flag: true,
      validated: true,
      source: 'Barkham et al. 2013, Counselling & Psychotherapy Research 13(1):3–13',
    },
    {
      key: 'depression_screen',
      scale: 'total',
      op: 'gte',
      value: 13,
      role: 'screening',
      flag: false,
      validated: true,
      source: 'Barkham et al. 2013: depression screening cut-off 13 (sensitivity .92, specificity .72)',
    },
  ],
  itemFlags: [
    {
      key: 'risk',
      // Item 6 "I made plans to end my life": any answer above "Not at all" is raised whatever the total.
      items: ['6'],
      op: 'gt',
      value: 0,
      source: 'CORE practice guidance (instruments.md §1.1, risk item)',
    },
  ],
  prorationFlag: 'prorated',
  invalidWhenFlags: [],
  reliableChange: [
    { scale: 'total', value: 6, confidence: '90%', source: 'Barkham et al. 2013: reliable change index (90% CI) of 6' },
  ],
  licence: coreLicence,
  citations: [
    'Barkham, M., Bewick, B., Mullin, T., Gilbody, S., Connell, J., Cahill, J., Mellor-Clark, J., Richards, D., Unsworth, G. & Evans, C. (2013). The CORE-10: A short measure of psychological distress for routine use in the psychological therapies. Counselling and Psychotherapy Research, 13(1), 3–13. doi:10.1080/14733145.2012.729069',
    'Connell, J. & Barkham, M. (2007). CORE-10 User Manual, Version 1.1. CORE System Trust & CORE Information Management Systems Ltd.',
  ],
  notes: [
    'Responses are positions on the printed scale (0 = "Not at all" … 4 = "Most or all of the time"); items 2 and 3 are reversed by the engine (score = 4 − response).',
    'Prorated scores (one item missing) are mean × 10 with no rounding and are banded by lower bounds: 10.56 is "low" and not clinical.',
    'Sex-specific cut-offs exist in the CORE-OM literature but are not populated; the single cut-off 11 is used.',
  ],
};
