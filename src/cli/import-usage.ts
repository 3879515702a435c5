// Kept apart from import.ts so `tandem --help` does not load the server code the import needs.
export const importUsage = [
  'tandem import <file.csv> [--org <name>] [--skip-invalid] [--rejected FILE]',
  '',
  'Imports questionnaire administrations (one per row) and stores their scores. The whole file is checked',
  'first: if any row is bad, nothing is imported and every bad row is listed on stderr (exit 2).',
  'Importing the same file again changes nothing; a row whose answers changed updates its administration.',
  '',
  'Options:',
  '  --org <name>      organisation to import into (default "default"; created as a provider if missing)',
  '  --skip-invalid    import the good rows; write the bad ones, with a reason column, to the rejected file',
  '  --rejected FILE   where --skip-invalid writes rejected rows (default <file.csv>.rejected.csv)',
  '',
  'Columns: respondent_id, respondent_role, child_id, family_id, site, group, programme, instrument, timepoint,',
  'completed_on, then item_<key> (item_1, item_29a, item_R1, ...). See docs/measures.md, "CSV import".',
].join('\n');
