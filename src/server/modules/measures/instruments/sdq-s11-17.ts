import type { InstrumentDefinition } from './definition.ts';
import { SDQ_IMPACT_PARENT, buildSdq } from './sdq-shared.ts';

/* SDQ self-report, age 11–17. Bands: instruments.md §3.2 (youthinmind scoring document). */
export const sdqS11to17: InstrumentDefinition = buildSdq({
  id: 'sdq-s11-17',
  title: 'Strengths and Difficulties Questionnaire – self-report, age 11–17 (S11-17)',
  respondent: 'young_person',
  impactItems: SDQ_IMPACT_PARENT,
  bands: {
    source: 'youthinmind scoring document via awell-score sdq_standards.ts (instruments.md §3.2)',
    three: {
      total: [16, 20],
      emotional: [6, 7],
      conduct: [4, 5],
      hyperactivity: [6, 7],
      peer: [4, 6],
      prosocial: [5, 6],
      impact: [1, 2],
    },
    four: {
      total: [15, 18, 20],
      emotional: [5, 6, 7],
      conduct: [4, 5, 6],
      hyperactivity: [6, 7, 8],
      peer: [3, 4, 5],
      prosocial: [5, 6, 7],
      impact: [1, 2, 3],
    },
  },
  notes: ['Impact (0–10) = item 28 + 29a–d (home life, friendships, classroom learning, leisure), recoded.'],
});
