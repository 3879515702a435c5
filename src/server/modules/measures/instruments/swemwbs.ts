import type { InstrumentDefinition } from './definition.ts';
import { item, itemNumbers, labelled } from './options.ts';

/*
 * Short Warwick-Edinburgh Mental Wellbeing Scale (Stewart-Brown et al. 2009). Facts: instruments.md §5.2.
 * Seven items (WEMWBS items 1, 2, 3, 6, 7, 9, 11), keyed here 1–7 in SWEMWBS order, each 1–5.
 * No wording ships: the scale is owned by NHS Health Scotland and the Universities of Warwick and
 * Edinburgh, and Warwick asks users to register for a licence.
 */

// Raw → metric conversion (Rasch-derived; Stewart-Brown et al. 2009), as in instruments.md §5.2 [V: identical
// tables in several public analysis scripts]. Confirm against Warwick's official table before release.
const METRIC: Readonly<Record<string, number>> = {
  7: 7.0, 8: 9.51, 9: 11.25, 10: 12.4, 11: 13.33, 12: 14.08, 13: 14.75, 14: 15.32, 15: 15.84, 16: 16.36,
  17: 16.88, 18: 17.43, 19: 17.98, 20: 18.59, 21: 19.25, 22: 19.98, 23: 20.73, 24: 21.54, 25: 22.35,
  26: 23.21, 27: 24.11, 28: 25.03, 29: 26.02, 30: 27.03, 31: 28.13, 32: 29.31, 33: 30.7, 34: 32.55, 35: 35.0,
};

export const swemwbs: InstrumentDefinition = {
  id: 'swemwbs',
  version: '1',
  title: 'Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS)',
  respondent: 'adult',
  recallPeriod: 'last 2 weeks',
  items: itemNumbers(7).map((key) =>
    item(key, labelled(1, ['None of the time', 'Rarely', 'Some of the time', 'Often', 'All of the time'])),
  ),
  scales: [
    {
      key: 'raw',
      label: 'Raw score',
      kind: 'items',
      items: itemNumbers(7),
      // "Scored by first summing … and then transforming the total score … according to a conversion table".
      aggregate: 'sum',
      multiplier: 1,
      // Warwick's guidance as cited gives no proration rule for SWEMWBS: not scorable if any item is missing.
      maxMissing: 0,
      rounding: 'none',
      range: [7, 35],
      improvement: 'higher',
      reported: true,
      source: 'warwick.ac.uk WEMWBS scoring guidance',
    },
    {
      key: 'metric',
      label: 'Metric score',
      kind: 'lookup',
      scale: 'raw',
      table: METRIC,
      range: [7, 35],
      improvement: 'higher',
      reported: true,
      source: 'Stewart-Brown et al. 2009 conversion table (instruments.md §5.2)',
    },
  ],
  primaryScale: 'metric',
  scorableWhen: ['metric'],
  bandings: [],
  thresholds: [],
  itemFlags: [],
  invalidWhenFlags: [],
  reliableChange: [],
  licence: {
    name: 'Free non-commercial licence on registration (check current terms)',
    holder: 'NHS Health Scotland, University of Warwick and University of Edinburgh',
    wordingAllowed: false,
    summary:
      'The 2007/2009 articles are CC-BY, but the scale is jointly owned and Warwick requires users to register ' +
      'for a (free, non-commercial) licence; check the terms for commercial software before shipping wording.',
  },
  citations: [
    'Stewart-Brown, S., Tennant, A., Tennant, R., Platt, S., Parkinson, J. & Weich, S. (2009). Internal construct validity of the Warwick-Edinburgh Mental Well-being Scale (WEMWBS): a Rasch analysis using data from the Scottish Health Education Population Survey. Health and Quality of Life Outcomes, 7, 15.',
  ],
  notes: [
    'scores.raw is the 7–35 sum; scores.metric the Rasch-converted score used for comparison with norms.',
    'Not scorable if any item is missing; no bands, cut-off or reliable change value are built in.',
  ],
};
