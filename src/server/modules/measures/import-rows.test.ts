import { describe, expect, it } from 'vitest';
import { allProblems, fixedColumns, formatProblem, identityOf, parseImportCsv, type ImportProblem } from './import-rows.ts';

const TODAY = '2024-06-30';
const core = (n: number) => Array.from({ length: n }, (_, i) => `item_${i + 1}`);
const HEADER = [...fixedColumns, ...core(10)].join(',');
const GOOD = 'P1,mother,,F1,North,Tuesday,PaP,core-10,pre,2024-01-15,2,1,3,1,0,0,2,1,2,1';

const parseRows = (...rows: string[]) => parseImportCsv([HEADER, ...rows].join('\r\n'), { today: TODAY });
const problemsOf = (...rows: string[]): ImportProblem[] => allProblems(parseRows(...rows));
/** The problems of one bad CORE-10 row built from GOOD with some cells replaced (by column name). */
const withCells = (changes: Record<string, string>): ImportProblem[] => {
  const names = HEADER.split(',');
  const cells = GOOD.split(',');
  for (const [name, value] of Object.entries(changes)) cells[names.indexOf(name)] = value;
  return problemsOf(cells.join(','));
};

describe('parseImportCsv: good files', () => {
  it('reads a good row: trimmed labels, every item of the instrument, missing answers as null', () => {
    const parsed = parseRows('P1, Mother ,,F1,North,Tuesday,PaP,CORE-10,Pre,2024-01-15,2,1,3,1,0,,2,1,2,1');
    expect(allProblems(parsed)).toEqual([]);
    expect(parsed.rowsTotal).toBe(1);
    const row = parsed.rows[0];
    expect(row).toMatchObject({
      line: 2,
      respondentRef: 'P1',
      respondentRole: 'mother',
      subjectRef: '',
      familyRef: 'F1',
      site: 'North',
      groupLabel: 'Tuesday',
      programme: 'PaP',
      timepoint: 'pre',
      completedOn: '2024-01-15',
    });
    expect(row?.instrument.id).toBe('core-10');
    expect(row?.responses).toEqual({ 1: 2, 2: 1, 3: 3, 4: 1, 5: 0, 6: null, 7: 2, 8: 1, 9: 2, 10: 1 });
  });

  it('drops a byte-order mark, so the first column is still respondent_id', () => {
    const parsed = parseImportCsv(`\uFEFF${HEADER}\r\n${GOOD}\r\n`, { today: TODAY });
    expect(allProblems(parsed)).toEqual([]);
    expect(parsed.rows[0]?.respondentRef).toBe('P1');
  });

  it('reads RFC 4180 quoting: commas, doubled quotes and line breaks inside quoted cells', () => {
    const parsed = parseRows('P1,mother,,F1,"North, upstairs","The ""Tuesday""\ngroup",PaP,core-10,pre,2024-01-15,2,1,3,1,0,0,2,1,2,1', GOOD.replace('P1', 'P2'));
    expect(allProblems(parsed)).toEqual([]);
    expect(parsed.rows[0]?.site).toBe('North, upstairs');
    expect(parsed.rows[0]?.groupLabel).toBe('The "Tuesday"\ngroup');
    // The quoted line break makes the first row span lines 2–3, so the next row is on line 4.
    expect(parsed.rows[1]?.line).toBe(4);
  });

  it('skips blank lines and all-empty rows but keeps counting lines', () => {
    const blank = ','.repeat(HEADER.split(',').length - 1);
    const parsed = parseRows(GOOD, '', blank, `${GOOD.replace('P1', 'P2')}`, 'P3,mother,,F1,North,Tuesday,PaP,core-10,pre,2024-01-15,9,1,3,1,0,0,2,1,2,1');
    expect(parsed.rowsTotal).toBe(3);
    expect(parsed.rows.map((row) => row.line)).toEqual([2, 5]);
    expect(allProblems(parsed)).toEqual([{ line: 6, column: 'item_1', message: '9 is out of range (allowed 0–4)' }]);
  });

  it('accepts optional label columns left out of the header, and a reason column (a corrected rejected file)', () => {
    const header = 'respondent_id,respondent_role,instrument,timepoint,completed_on,item_1,item_2,reason';
    const parsed = parseImportCsv(`${header}\nP1,father,qmi,post,2024-02-01,7,7,"line 2, item_1: was wrong"\n`, { today: TODAY });
    expect(allProblems(parsed)).toEqual([]);
    expect(parsed.rows[0]).toMatchObject({ familyRef: null, site: null, groupLabel: '', programme: '', subjectRef: '' });
    expect(parsed.rows[0]?.responses).toEqual({ 1: 7, 2: 7, 3: null, 4: null, 5: null, 6: null });
  });

  it('takes child_id as the subject of a parent-rated SDQ, part of the identity key', () => {
    const header = 'respondent_id,respondent_role,child_id,instrument,timepoint,completed_on,item_1';
    const parsed = parseImportCsv(`${header}\nP1,mother,C1,sdq-p4-17,pre,2024-01-01,2\nP1,mother,C2,sdq-p4-17,pre,2024-01-01,1\n`, { today: TODAY });
    expect(allProblems(parsed)).toEqual([]);
    expect(parsed.rows.map((row) => row.subjectRef)).toEqual(['C1', 'C2']);
    const [first, second] = parsed.rows;
    expect(first && second && identityOf(first) !== identityOf(second)).toBe(true);
  });

  it('accepts completed_on today', () => {
    expect(withCells({ completed_on: TODAY })).toEqual([]);
  });
});

describe('parseImportCsv: bad rows name the line, the column and the problem', () => {
  it('unknown instrument', () => {
    expect(withCells({ instrument: 'core-11' })).toEqual([
      { line: 2, column: 'instrument', message: expect.stringMatching(/^"core-11" is not a known instrument \(one of core-10, core-om/) as string },
    ]);
  });

  it('bad respondent_role', () => {
    expect(withCells({ respondent_role: 'aunt' })).toEqual([
      { line: 2, column: 'respondent_role', message: '"aunt" is not one of mother, father, carer, child, teacher, other' },
    ]);
  });

  it('bad timepoint', () => {
    expect(withCells({ timepoint: 'during' })).toEqual([{ line: 2, column: 'timepoint', message: '"during" is not one of pre, post, followup' }]);
  });

  it('missing required values', () => {
    const problems = withCells({ respondent_id: '', respondent_role: '', timepoint: '', completed_on: '', instrument: '' });
    expect(problems.map((p) => p.column)).toEqual(['respondent_id', 'respondent_role', 'timepoint', 'completed_on', 'instrument']);
    expect(problems.every((p) => p.line === 2 && /required/.test(p.message))).toBe(true);
  });

  it.each([
    ['15/01/2024', '"15/01/2024" is not a date in the form YYYY-MM-DD'],
    ['2024-1-5', '"2024-1-5" is not a date in the form YYYY-MM-DD'],
    ['2023-02-29', '"2023-02-29" is not a real date'],
    ['2024-13-01', '"2024-13-01" is not a real date'],
    ['2024-07-01', '2024-07-01 is in the future (today is 2024-06-30)'],
  ])('bad completed_on %s', (value, message) => {
    expect(withCells({ completed_on: value })).toEqual([{ line: 2, column: 'completed_on', message }]);
  });

  it('accepts 29 February in a leap year', () => {
    expect(withCells({ completed_on: '2024-02-29' })).toEqual([]);
  });

  it('item out of range', () => {
    expect(withCells({ item_6: '5' })).toEqual([{ line: 2, column: 'item_6', message: '5 is out of range (allowed 0–4)' }]);
    expect(withCells({ item_6: '-1' })).toEqual([{ line: 2, column: 'item_6', message: '-1 is out of range (allowed 0–4)' }]);
  });

  it('item not a whole number, or not a number', () => {
    expect(withCells({ item_2: '1.5' })).toEqual([{ line: 2, column: 'item_2', message: '1.5 is not a whole number' }]);
    expect(withCells({ item_3: 'often' })).toEqual([{ line: 2, column: 'item_3', message: '"often" is not a number' }]);
  });

  it("an answer in another instrument's item column", () => {
    const header = `${HEADER},item_R1`;
    const parsed = parseImportCsv(`${header}\n${GOOD},1\n`, { today: TODAY });
    expect(allProblems(parsed)).toEqual([{ line: 2, column: 'item_R1', message: 'has "1" but is not an item of core-10; leave it empty' }]);
  });

  it('child_id: required for a parent-rated SDQ, empty for a measure about the respondent', () => {
    const header = 'respondent_id,respondent_role,child_id,instrument,timepoint,completed_on';
    const parsed = parseImportCsv(`${header}\nP1,mother,,sdq-p4-17,pre,2024-01-01\nP1,mother,C1,core-10,pre,2024-01-01\n`, { today: TODAY });
    expect(allProblems(parsed)).toEqual([
      { line: 2, column: 'child_id', message: 'is required for sdq-p4-17 (the child the questionnaire is about)' },
      { line: 3, column: 'child_id', message: 'must be empty for core-10, which is not about a child' },
    ]);
  });

  it('labels longer than the stored columns allow', () => {
    expect(withCells({ respondent_id: 'x'.repeat(101) })).toEqual([
      { line: 2, column: 'respondent_id', message: 'is 101 characters long; at most 100 are allowed' },
    ]);
  });

  it('a row with the wrong number of fields', () => {
    expect(problemsOf('P1,mother,,F1')).toEqual([{ line: 2, column: '(row)', message: 'has 4 fields but the header has 20' }]);
  });

  it('a second row for the same administration', () => {
    expect(problemsOf(GOOD, GOOD.replace('2,1,3', '0,0,0'))).toEqual([
      { line: 3, column: '(row)', message: 'repeats line 2: same respondent_id, child_id, instrument, timepoint, programme and group' },
    ]);
  });

  it('lists every problem of every bad row, and keeps the good rows apart', () => {
    const parsed = parseRows(GOOD, withBad('P2', 'item_1', '7'), GOOD.replace('P1', 'P3'), withBad('P4', 'timepoint', 'later'));
    expect(parsed.rows.map((row) => row.respondentRef)).toEqual(['P1', 'P3']);
    expect(parsed.rejected.map((row) => row.line)).toEqual([3, 5]);
    expect(allProblems(parsed).map(formatProblem)).toEqual([
      'line 3, item_1: 7 is out of range (allowed 0–4)',
      'line 5, timepoint: "later" is not one of pre, post, followup',
    ]);
    // The rejected row keeps its cells as written, for the rejected-rows file.
    expect(parsed.rejected[0]?.cells[0]).toBe('P2');
  });
});

/** GOOD for another respondent, with one cell changed. */
const withBad = (respondent: string, column: string, value: string): string => {
  const names = HEADER.split(',');
  const cells = GOOD.replace('P1', respondent).split(',');
  cells[names.indexOf(column)] = value;
  return cells.join(',');
};

describe('parseImportCsv: problems with the file itself', () => {
  it('an empty file', () => {
    expect(allProblems(parseImportCsv('', { today: TODAY }))).toEqual([
      { line: 1, column: '(file)', message: 'is empty; expected a header row and at least one data row' },
    ]);
    expect(allProblems(parseImportCsv('\uFEFF', { today: TODAY }))[0]?.message).toMatch(/is empty/);
  });

  it('a header and no rows', () => {
    expect(allProblems(parseImportCsv(`${HEADER}\n`, { today: TODAY }))).toEqual([{ line: 2, column: '(file)', message: 'has a header but no data rows' }]);
  });

  it('required columns missing from the header', () => {
    const parsed = parseImportCsv('respondent_id,instrument,item_1\nP1,core-10,2\n', { today: TODAY });
    expect(parsed.fileProblems).toEqual([
      { line: 1, column: 'respondent_role', message: 'required column is missing from the header' },
      { line: 1, column: 'timepoint', message: 'required column is missing from the header' },
      { line: 1, column: 'completed_on', message: 'required column is missing from the header' },
    ]);
    expect(parsed.rows).toEqual([]);
  });

  it('a column twice in the header', () => {
    const parsed = parseImportCsv(`${HEADER},item_3\n${GOOD},3\n`, { today: TODAY });
    expect(parsed.fileProblems).toEqual([{ line: 1, column: 'item_3', message: 'appears twice in the header (columns 13 and 21)' }]);
  });

  it('an unknown column or an empty column name', () => {
    const parsed = parseImportCsv(`${HEADER},notes,\n${GOOD},x,\n`, { today: TODAY });
    expect(parsed.fileProblems.map((p) => p.column)).toEqual(['notes', 'column 22']);
    expect(parsed.fileProblems[0]?.message).toMatch(/not a column of the import format/);
  });

  it('CSV that cannot be parsed (an unclosed quote)', () => {
    const problems = allProblems(parseImportCsv(`${HEADER}\n${GOOD}\nP2,"mother,,\n`, { today: TODAY }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ column: '(file)', message: expect.stringMatching(/^is not valid CSV: Quote Not Closed/) as string });
  });

  it('bytes that are not UTF-8', () => {
    const latin1 = Buffer.concat([Buffer.from(`${HEADER}\n`), Buffer.from('P1,mother,,F1,M\xe1laga', 'latin1')]);
    expect(allProblems(parseImportCsv(latin1, { today: TODAY }))).toEqual([
      { line: 2, column: '(file)', message: 'is not UTF-8 text (save the file as "CSV UTF-8")' },
    ]);
  });
});
