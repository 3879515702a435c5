import type { InstrumentDefinition } from './definition.ts';
import { item, itemNumbers, labelled, numbered } from './options.ts';

/*
 * Quality of Marriage Index (Norton 1983). Facts: instruments.md §2.
 * Items 1–5: agreement, 1 = very strong disagreement … 7 = very strong agreement; item 6: global
 * happiness, 1 = very unhappy … 10 = perfectly happy. Structure [S] from public survey code (RQUAL1–5 on
 * 1–7, RQUAL6 on 1–10); anchor labels and wording [M] — check against Norton (1983) before release.
 */
const agreement = () => [
  { value: 1, label: 'Very strong disagreement' },
  ...numbered(2, 6),
  { value: 7, label: 'Very strong agreement' },
];
const happiness = () => [
  { value: 1, label: 'Very unhappy' },
  ...numbered(2, 9),
  ...labelled(10, ['Perfectly happy']),
];

const wording: readonly string[] = [
  'We have a good marriage',
  'My relationship with my partner is very stable',
  'Our marriage is strong',
  'My relationship with my partner makes me happy',
  'I really feel like part of a team with my partner',
  'The degree of happiness, everything considered, in your marriage',
];

export const qmi: InstrumentDefinition = {
  id: 'qmi',
  version: '1',
  title: 'Quality of Marriage Index (QMI)',
  respondent: 'adult',
  items: itemNumbers(6).map((key, index) =>
    item(key, index < 5 ? agreement() : happiness(), { text: wording[index] ?? '' }),
  ),
  scales: [
    {
      key: 'total',
      label: 'Relationship quality',
      kind: 'items',
      items: itemNumbers(6),
      // Simple sum, 6–45, higher = more satisfied; no reversed items (Norton 1983) [M/S].
      aggregate: 'sum',
      multiplier: 1,
      // No published proration rule, and item 6 has a different range so mean-imputation is not
      // equivalent: not scorable if any item is missing (instruments.md §0 and §2).
      maxMissing: 0,
      rounding: 'none',
      range: [6, 45],
      improvement: 'higher',
      reported: true,
      source: 'Norton 1983; missing-data decision: instruments.md §2',
    },
  ],
  primaryScale: 'total',
  scorableWhen: ['total'],
  bandings: [],
  // No validated distress cut-off exists (≤ 29 and < 34 circulate untraced). An organisation may add one
  // as a threshold with `validated: false`, which reports must name as a convention.
  thresholds: [],
  itemFlags: [],
  invalidWhenFlags: [],
  // No published reliable change index (illustration only in instruments.md: RC95 ≈ 5.3 with SD 6.87, α .922).
  reliableChange: [],
  licence: {
    name: 'Published research measure (no licence statement found)',
    holder: 'Norton (1983), Journal of Marriage and the Family (NCFR/Wiley)',
    wordingAllowed: true,
    summary:
      'Published in a journal article; no owner permission process found and widely reproduced in research. ' +
      'Cite Norton (1983) wherever it is shown; verify whether NCFR/Wiley assert rights before commercial reproduction.',
  },
  citations: [
    'Norton, R. (1983). Measuring marital quality: A critical look at the dependent variable. Journal of Marriage and the Family, 45(1), 141–151.',
  ],
  notes: [
    'Not scorable if any item is missing (no published proration rule).',
    'No cut-off and no reliable change value are built in; any threshold must be configured and labelled "convention, not validated".',
    'Item wording and anchor labels are from memory of the published form [M]; verify against Norton (1983) before showing them to respondents.',
  ],
};
