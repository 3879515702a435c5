import type { InstrumentDefinition } from './definition.ts';
import { SDQ_IMPACT_TEACHER, buildSdq } from './sdq-shared.ts';

/*
 * SDQ teacher-completed, age 4–17. Bands: instruments.md §3.2 (teacher 4-band cross-checked against
 * PMC4830858 Table 1). Teacher impact = distress + peer relations + classroom learning (0–6).
 */
export const sdqT4to17: InstrumentDefinition = buildSdq({
  id: 'sdq-t4-17',
  title: 'Strengths and Difficulties Questionnaire – teacher, age 4–17 (T4-17)',
  respondent: 'teacher',
  impactItems: SDQ_IMPACT_TEACHER,
  bands: {
    source: 'youthinmind scoring document via awell-score sdq_standards.ts; PMC4830858 Table 1 (instruments.md §3.2)',
    three: {
      total: [12, 16],
      emotional: [5, 6],
      conduct: [3, 4],
      hyperactivity: [6, 7],
      peer: [4, 5],
      prosocial: [5, 6],
      impact: [1, 2],
    },
    four: {
      total: [12, 16, 19],
      emotional: [4, 5, 6],
      conduct: [3, 4, 5],
      hyperactivity: [6, 8, 9],
      peer: [3, 5, 6],
      prosocial: [4, 5, 6],
      impact: [1, 2, 3],
    },
  },
  notes: [
    'Impact (0–6) = item 28 (distress) + 29a (peer relations) + 29b (classroom learning), recoded; item numbering 29a/29b for the teacher form is our convention.',
  ],
});
