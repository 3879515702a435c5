/** The built-in questionnaires people choose from on the evaluation pages (ids as the server knows them). */
export const INSTRUMENTS: readonly (readonly [string, string])[] = [
  ['core-10', 'CORE-10'],
  ['core-om', 'CORE-OM'],
  ['phq-9', 'PHQ-9'],
  ['gad-7', 'GAD-7'],
  ['swemwbs', 'SWEMWBS'],
  ['sdq-p4-17', 'SDQ, parent report (4–17)'],
  ['sdq-p2-4', 'SDQ, parent report (2–4)'],
  ['sdq-t4-17', 'SDQ, teacher report (4–17)'],
  ['sdq-s11-17', 'SDQ, self-report (11–17)'],
  ['bcap', 'BCAP'],
  ['qmi', 'QMI'],
];
