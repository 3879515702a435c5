import type { InstrumentDefinition, ScaleDefinition } from './definition.ts';
import { item, labelled } from './options.ts';

/*
 * Brief Child Abuse Potential Inventory (Ondersma, Chaffin, Mullins & LeBreton 2005). Facts: instruments.md §4.
 * The item → scale map and keyed answers come from the licensed form and are not public, so items are
 * addressed by role (issue 4 item 2): risk R1–R24, lie L1–L6, random response RR1–RR3, each valued
 * 1 = answered in the keyed direction, 0 = not. An organisation holding the key maps its form's item
 * numbers to these roles before scoring. No wording and no key ship with Tandem.
 */
const roles = (prefix: string, count: number): string[] =>
  Array.from({ length: count }, (_, index) => `${prefix}${index + 1}`);

const RISK = roles('R', 24);
const LIE = roles('L', 6);
const RANDOM = roles('RR', 3);

const keyed = () => labelled(0, ['Not the keyed answer', 'Keyed answer']);

const count = (
  key: string,
  label: string,
  items: string[],
  missingBounds: 'reported' | 'internal',
  improvement: 'lower' | 'higher',
): ScaleDefinition => ({
  key,
  label,
  kind: 'items',
  items,
  aggregate: 'sum',
  multiplier: 1,
  // No published missing-data rule: no proration. The count is null when any item is missing; its bounds
  // (every missing item not keyed / keyed) let a classification stand when it is already certain
  // (instruments.md §0 "BCAP: report observed count + possible range; classify only when determinate").
  maxMissing: 0,
  rounding: 'none',
  missingBounds,
  range: [0, items.length],
  improvement,
  reported: true,
  source: 'Ondersma et al. 2005 (count of keyed answers); missing-data policy: instruments.md §0/§4',
});

export const bcap: InstrumentDefinition = {
  id: 'bcap',
  version: '1',
  title: 'Brief Child Abuse Potential Inventory (BCAP)',
  respondent: 'parent',
  items: [...RISK, ...LIE, ...RANDOM].map((key) => item(key, keyed())),
  scales: [
    // risk_min and risk_max are printed alongside risk (issue 4 item 4).
    count('risk', 'Abuse risk', RISK, 'reported', 'lower'),
    count('lie', 'Lie (faking good)', LIE, 'internal', 'lower'),
    count('random', 'Random responding', RANDOM, 'internal', 'lower'),
  ],
  primaryScale: 'risk',
  // "scored" only when all 24 risk items are answered; with gaps the bounds and any certain flag still print.
  scorableWhen: ['risk'],
  bandings: [],
  thresholds: [
    {
      key: 'at_risk',
      scale: 'risk',
      op: 'gte',
      // ≥ 12 (Ondersma et al. cut-off "12"). Parents as Partners wrote "above 12", which is ambiguous
      // (> 12 vs ≥ 12); reports must say ≥ 12 was used (instruments.md §0).
      value: 12,
      role: 'clinical_cut_off',
      flag: true,
      indeterminateFlag: 'at_risk_indeterminate',
      validated: true,
      source: 'Ondersma et al. 2005, as cited in Child Psychiatry Hum Dev 2021 doi:10.1007/s10578-021-01157-y [S]',
    },
    {
      key: 'at_risk_lower_cut_off',
      scale: 'risk',
      op: 'gte',
      // The alternative lower cut-off 9 is recorded for reports but raises no flag.
      value: 9,
      role: 'screening',
      flag: false,
      validated: true,
      source: 'Child Psychiatry Hum Dev 2021 doi:10.1007/s10578-021-01157-y [S]',
    },
    {
      key: 'lie_elevated',
      scale: 'lie',
      op: 'gte',
      value: 4,
      role: 'validity',
      flag: true,
      indeterminateFlag: 'lie_indeterminate',
      validated: true,
      source: 'J Fam Violence 2016 doi:10.1007/s10896-016-9821-3; "Walker & Davies" guidelines [S]',
    },
    {
      key: 'random_elevated',
      scale: 'random',
      op: 'gte',
      // "Random responding > 1", i.e. ≥ 2.
      value: 2,
      role: 'validity',
      flag: true,
      indeterminateFlag: 'random_indeterminate',
      validated: true,
      source: 'J Fam Violence 2016 doi:10.1007/s10896-016-9821-3; "Walker & Davies" guidelines [S]',
    },
    {
      key: 'retain_despite_lie',
      scale: 'risk',
      op: 'gt',
      // Milner: keep protocols with an elevated lie score whose risk is still > 12, because faking good
      // deflates risk. The protocol stays `valid: false`; this flag tells the reader to keep it in view.
      value: 12,
      role: 'retention',
      flag: true,
      requiresFlags: ['lie_elevated'],
      validated: false,
      source: 'Milner, as cited in Child Psychiatry Hum Dev 2021 [S]',
    },
  ],
  itemFlags: [],
  invalidWhenFlags: ['lie_elevated', 'random_elevated'],
  reliableChange: [],
  licence: {
    name: 'Not established — treat as copyrighted',
    holder: 'BCAP authors (Ondersma et al.); parent CAP Inventory © Joel S. Milner / Psytec',
    wordingAllowed: false,
    summary:
      'Item text and the scoring key are not public. Tandem ships only the role-level scoring rules; an ' +
      'organisation that holds permission (BCAP authors and/or Psytec) loads its own wording and key.',
  },
  citations: [
    'Ondersma, S. J., Chaffin, M. J., Mullins, S. M. & LeBreton, J. M. (2005). A brief form of the Child Abuse Potential Inventory: Development and validation. Journal of Clinical Child and Adolescent Psychology, 34(2), 301–311. doi:10.1207/s15374424jccp3402_9',
  ],
  notes: [
    'Items are roles, not form numbers: R1–R24 risk, L1–L6 lie, RR1–RR3 random response; 1 = keyed answer.',
    'risk is null unless all 24 risk items are answered; risk_min counts missing items as not keyed, risk_max as keyed.',
    'at_risk = risk ≥ 12 or risk_min ≥ 12; at_risk_indeterminate when risk_min < 12 ≤ risk_max.',
    'lie and random are null when any of their items is missing; lie_elevated / random_elevated are still raised when the observed count already reaches 4 / 2, and lie_indeterminate / random_indeterminate when missing items leave it open.',
    'valid is false when lie_elevated or random_elevated; retain_despite_lie marks an invalid-lie protocol whose risk is still > 12 (Milner).',
    'Item count: 33 scored items (24 + 6 + 3) are modelled; sources that count 34 do not identify the extra item.',
  ],
};
