import type { InstrumentDefinition } from './definition.ts';
import { SDQ_IMPACT_PARENT, buildSdq } from './sdq-shared.ts';

/*
 * SDQ parent-completed, age 2–4. Same five scales and scoring as P4-17, with wording changes on items 18,
 * 22 and 21 [M — verify on the form]. 3-band bands from BMC Pediatrics 2023 (s12887-023-03837-1) Table 2,
 * "UK 2–4": lower bounds of borderline/abnormal total 13/16, emotional 3/4, conduct 4/5, hyperactivity 6/7,
 * peer 3/4; prosocial borderline 6, abnormal ≤ 5 (instruments.md §3.3).
 * No 4-band or impact bands for age 2–4 were found in the sources, so none are given: bands.impact and
 * bands.<scale>_4band are absent for this version rather than borrowed from P4-17.
 */
export const sdqP2to4: InstrumentDefinition = buildSdq({
  id: 'sdq-p2-4',
  title: 'Strengths and Difficulties Questionnaire – parent, age 2–4 (P2-4)',
  respondent: 'parent',
  impactItems: SDQ_IMPACT_PARENT,
  bands: {
    source: 'BMC Pediatrics 2023, s12887-023-03837-1, Table 2 "UK 2–4" (instruments.md §3.3)',
    three: {
      total: [13, 16],
      emotional: [3, 4],
      conduct: [4, 5],
      hyperactivity: [6, 7],
      peer: [3, 4],
      prosocial: [6, 7],
    },
  },
  notes: [
    'Impact (0–10) is scored as for P4-17 but has no bands for age 2–4 in the sources used.',
    'Only the 3-band scheme is given for P2-4; no 4-band cut-points were found.',
  ],
});
