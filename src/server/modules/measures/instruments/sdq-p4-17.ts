import type { InstrumentDefinition } from './definition.ts';
import { SDQ_IMPACT_PARENT, buildSdq } from './sdq-shared.ts';

/*
 * SDQ parent-completed, age 4–17. Bands: instruments.md §3.2 (youthinmind scoring document as transcribed in
 * awell-score sdq_standards.ts; parent 3-band cross-checked against BMC Psychiatry 2021 and BMC Pediatrics 2023).
 * Parent prosocial 3-band is 6–10 / 5 / 0–4 (the "8–10 / 7 / 0–6" some quote is the collapsed 4-band).
 */
export const sdqP4to17: InstrumentDefinition = buildSdq({
  id: 'sdq-p4-17',
  title: 'Strengths and Difficulties Questionnaire – parent, age 4–17 (P4-17)',
  respondent: 'parent',
  impactItems: SDQ_IMPACT_PARENT,
  bands: {
    source: 'youthinmind scoring document via awell-score sdq_standards.ts (instruments.md §3.2)',
    three: {
      total: [14, 17],
      emotional: [4, 5],
      conduct: [3, 4],
      hyperactivity: [6, 7],
      peer: [3, 4],
      prosocial: [5, 6],
      impact: [1, 2],
    },
    four: {
      total: [14, 17, 20],
      emotional: [4, 5, 7],
      conduct: [3, 4, 6],
      hyperactivity: [6, 8, 9],
      peer: [3, 4, 5],
      prosocial: [6, 7, 8],
      impact: [1, 2, 3],
    },
  },
  notes: ['Impact (0–10) = item 28 + 29a–d (home life, friendships, classroom learning, leisure), recoded.'],
});
