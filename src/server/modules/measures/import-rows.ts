import { parse } from 'csv-parse/sync';
import { builtInInstruments, getBuiltInInstrument, type InstrumentDefinition } from './instruments/index.ts';
import type { RespondentRole, Timepoint } from './measures.tables.ts';
import { validateResponses } from './scoring/index.ts';

/*
 * The CSV import format of issue 4 item 8, checked without I/O: the whole file is parsed and every row
 * validated before anything is written, so a caller can list every problem or import only the good rows.
 * The file format is documented in docs/measures.md ("CSV import"); keep the two in step.
 */

export const respondentRoles = ['mother', 'father', 'carer', 'child', 'teacher', 'other'] as const satisfies readonly RespondentRole[];
export const timepoints = ['pre', 'post', 'followup'] as const satisfies readonly Timepoint[];

/** The fixed columns, in the order the format lists them; `item_<key>` columns follow. */
export const fixedColumns = [
  'respondent_id',
  'respondent_role',
  'child_id',
  'family_id',
  'site',
  'group',
  'programme',
  'instrument',
  'timepoint',
  'completed_on',
] as const;
type FixedColumn = (typeof fixedColumns)[number];

/** Labels may be left out of the header altogether; these may not. */
export const requiredColumns: readonly FixedColumn[] = ['respondent_id', 'respondent_role', 'instrument', 'timepoint', 'completed_on'];

/** The column the rejected-rows file adds; accepted and ignored on input, so a corrected rejected file imports as it is. */
export const REASON_COLUMN = 'reason';

const ITEM_PREFIX = 'item_';

/** One thing wrong, where it is: `line` is the file's line (the header is line 1), `column` a header name or "(row)"/"(file)". */
export type ImportProblem = { line: number; column: string; message: string };

/** A row that passed every check: references trimmed, labels '' when absent, every item of its instrument present (null = missing). */
export type ImportRow = {
  line: number;
  respondentRef: string;
  respondentRole: RespondentRole;
  subjectRef: string;
  familyRef: string | null;
  site: string | null;
  groupLabel: string;
  programme: string;
  instrument: InstrumentDefinition;
  timepoint: Timepoint;
  completedOn: string;
  responses: Record<string, number | null>;
};

export type RejectedRow = { line: number; cells: string[]; problems: ImportProblem[] };

export type ParsedImport = {
  /** The header as written (after the BOM), for writing rejected rows back out in the same shape. */
  header: string[];
  /** Data rows in the file, blank lines not counted. */
  rowsTotal: number;
  rows: ImportRow[];
  rejected: RejectedRow[];
  /** Problems that make the whole file unusable (unreadable CSV, bad header, no rows); nothing can be imported. */
  fileProblems: ImportProblem[];
};

export type ParseOptions = {
  /** Today's date, YYYY-MM-DD: completed_on may not be later. Passed in so the checks stay pure and testable. */
  today: string;
};

/** All problems, in file order: the file's own first, then each rejected row's. */
export const allProblems = (parsed: ParsedImport): ImportProblem[] => [
  ...parsed.fileProblems,
  ...parsed.rejected.flatMap((row) => row.problems),
];

export const formatProblem = (problem: ImportProblem): string => `line ${problem.line}, ${problem.column}: ${problem.message}`;

const LIMITS: Partial<Record<FixedColumn, number>> = {
  respondent_id: 100,
  child_id: 100,
  family_id: 100,
  site: 200,
  group: 200,
  programme: 200,
};
const LIMIT_ENTRIES = Object.entries(LIMITS) as [FixedColumn, number][];

/*
 * SDQ forms completed by a parent or a teacher are about a child: without child_id, two children's
 * questionnaires from one mother would share an identity key and overwrite each other. Every other built-in
 * instrument is about its respondent, so child_id must be empty there (it is part of the identity key, and a
 * stray value would split one administration into several).
 */
const isAboutAChild = (instrument: InstrumentDefinition): boolean =>
  instrument.id.startsWith('sdq-') && (instrument.respondent === 'parent' || instrument.respondent === 'teacher');

/** Per instrument, worked out once rather than per row: item key → the option values it accepts. */
const factsCache = new WeakMap<InstrumentDefinition, { allowed: Map<string, Set<number>> }>();
const facts = (instrument: InstrumentDefinition): { allowed: Map<string, Set<number>> } => {
  let known = factsCache.get(instrument);
  if (!known) {
    known = { allowed: new Map(instrument.items.map((item) => [item.key, new Set(item.options.map((option) => option.value))])) };
    factsCache.set(instrument, known);
  }
  return known;
};

const DATE_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;
const NUMBER_SHAPE = /^[+-]?\d+(\.\d+)?$/;

/** A real calendar date: 2023-02-30 has the right shape but no such day. */
const isRealDate = (text: string): boolean => {
  const match = DATE_SHAPE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};

type Header = {
  /** Index of each fixed column present in the header. */
  fixed: Partial<Record<FixedColumn, number>>;
  /** item key → column index, for every item_<key> column. */
  items: Map<string, number>;
  width: number;
};

const readHeader = (cells: string[], problems: ImportProblem[]): Header | null => {
  const fixed: Partial<Record<FixedColumn, number>> = {};
  const items = new Map<string, number>();
  const seen = new Map<string, number>();
  const known = new Set<string>(fixedColumns);
  cells.forEach((raw, index) => {
    const name = raw.trim();
    const position = `column ${index + 1}`;
    if (name === '') {
      problems.push({ line: 1, column: position, message: 'the header has an empty column name' });
      return;
    }
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      problems.push({ line: 1, column: name, message: `appears twice in the header (columns ${earlier + 1} and ${index + 1})` });
      return;
    }
    seen.set(name, index);
    if (known.has(name)) {
      fixed[name as FixedColumn] = index;
    } else if (name.startsWith(ITEM_PREFIX) && name.length > ITEM_PREFIX.length) {
      items.set(name.slice(ITEM_PREFIX.length), index);
    } else if (name !== REASON_COLUMN) {
      problems.push({
        line: 1,
        column: name,
        message: `not a column of the import format (expected ${fixedColumns.join(', ')}, or item_<key> such as item_1)`,
      });
    }
  });
  for (const column of requiredColumns) {
    if (fixed[column] === undefined) problems.push({ line: 1, column, message: 'required column is missing from the header' });
  }
  return problems.length > 0 ? null : { fixed, items, width: cells.length };
};

const enumValue = <T extends string>(allowed: readonly T[], value: string): T | undefined =>
  allowed.find((candidate) => candidate === value.toLowerCase());

type RowOutcome = { row: ImportRow; problems: [] } | { row: null; problems: ImportProblem[] };

const checkRow = (cells: string[], line: number, header: Header, options: ParseOptions): RowOutcome => {
  const problems: ImportProblem[] = [];
  const problem = (column: string, message: string) => problems.push({ line, column, message });
  const cell = (column: FixedColumn): string => {
    const index = header.fixed[column];
    return index === undefined ? '' : (cells[index] ?? '').trim();
  };

  if (cells.length !== header.width) {
    return {
      row: null,
      problems: [{ line, column: '(row)', message: `has ${cells.length} fields but the header has ${header.width}` }],
    };
  }

  for (const [column, limit] of LIMIT_ENTRIES) {
    const text = cell(column);
    if (text.length > limit) problem(column, `is ${text.length} characters long; at most ${limit} are allowed`);
    // PostgreSQL text cannot hold U+0000: refused here rather than failing the whole import in the database.
    if (text.includes('\u0000')) problem(column, 'contains a NUL character (U+0000), which cannot be stored');
  }

  const respondentRef = cell('respondent_id');
  if (respondentRef === '') problem('respondent_id', 'is required');

  const roleText = cell('respondent_role');
  const respondentRole = enumValue(respondentRoles, roleText);
  if (!respondentRole) {
    problem('respondent_role', roleText === '' ? `is required (one of ${respondentRoles.join(', ')})` : `"${roleText}" is not one of ${respondentRoles.join(', ')}`);
  }

  const timepointText = cell('timepoint');
  const timepoint = enumValue(timepoints, timepointText);
  if (!timepoint) {
    problem('timepoint', timepointText === '' ? `is required (one of ${timepoints.join(', ')})` : `"${timepointText}" is not one of ${timepoints.join(', ')}`);
  }

  const completedOn = cell('completed_on');
  if (completedOn === '') problem('completed_on', 'is required (a date YYYY-MM-DD)');
  else if (!DATE_SHAPE.test(completedOn)) problem('completed_on', `"${completedOn}" is not a date in the form YYYY-MM-DD`);
  else if (!isRealDate(completedOn)) problem('completed_on', `"${completedOn}" is not a real date`);
  // ISO dates compare correctly as strings.
  else if (completedOn > options.today) problem('completed_on', `${completedOn} is in the future (today is ${options.today})`);

  const instrumentText = cell('instrument');
  const instrument = getBuiltInInstrument(instrumentText.toLowerCase());
  if (!instrument) {
    problem('instrument', instrumentText === '' ? 'is required' : `"${instrumentText}" is not a known instrument (one of ${builtInInstruments.map((known) => known.id).join(', ')})`);
  }

  const subjectRef = cell('child_id');
  const responses: Record<string, number | null> = {};
  if (instrument) {
    if (isAboutAChild(instrument) && subjectRef === '') problem('child_id', `is required for ${instrument.id} (the child the questionnaire is about)`);
    if (!isAboutAChild(instrument) && subjectRef !== '') {
      problem('child_id', `must be empty for ${instrument.id}, which is not about a child`);
    }
    const { allowed } = facts(instrument);
    const doubtful: Record<string, number> = {};
    for (const [key, index] of header.items) {
      const raw = cells[index] ?? '';
      // Most item cells are empty or one digit: those are decided without trimming or a regular expression.
      if (raw === '') continue;
      const code = raw.length === 1 ? raw.charCodeAt(0) : -1;
      const text = code === -1 ? raw.trim() : raw;
      if (text === '') continue;
      const options = allowed.get(key);
      if (!options) {
        problem(`${ITEM_PREFIX}${key}`, `has "${text}" but is not an item of ${instrument.id}; leave it empty`);
        continue;
      }
      const digit = code >= 48 && code <= 57;
      if (!digit && !NUMBER_SHAPE.test(text)) {
        problem(`${ITEM_PREFIX}${key}`, `"${text}" is not a number`);
        continue;
      }
      const value = digit ? code - 48 : Number(text);
      if (options.has(value)) responses[key] = value;
      else doubtful[key] = value;
    }
    // Only answers that are not plainly one of the options go through the engine's own checks, for its wording.
    const doubts = Object.keys(doubtful).length > 0 ? validateResponses(instrument, doubtful) : [];
    for (const found of doubts) {
      const value = doubtful[found.item];
      const column = `${ITEM_PREFIX}${found.item}`;
      if (found.code === 'not_integer') problem(column, `${String(value)} is not a whole number`);
      else problem(column, found.message.replace(`item "${found.item}": `, ''));
    }
    for (const item of instrument.items) responses[item.key] ??= null;
  }

  if (problems.length > 0 || !instrument || !respondentRole || !timepoint) return { row: null, problems };
  const label = (column: FixedColumn): string | null => cell(column) || null;
  return {
    row: {
      line,
      respondentRef,
      respondentRole,
      subjectRef,
      familyRef: label('family_id'),
      site: label('site'),
      groupLabel: cell('group'),
      programme: cell('programme'),
      instrument,
      timepoint,
      completedOn,
      responses,
    },
    problems: [],
  };
};

/** The identity key of issue 4: respondent, subject, instrument, timepoint and programme/group (the unique index's columns). */
export const identityOf = (row: ImportRow): string =>
  JSON.stringify([row.respondentRef, row.subjectRef, row.instrument.id, row.timepoint, row.programme, row.groupLabel]);

/**
 * A checked row written back as cells under the file's header, for a row refused after the checks (the import finds
 * some problems only in the database). The cells hold what was read: trimmed, names in lower case, empty items empty.
 */
export const cellsOf = (header: readonly string[], row: ImportRow): string[] => {
  const fixed: Record<FixedColumn, string> = {
    respondent_id: row.respondentRef,
    respondent_role: row.respondentRole,
    child_id: row.subjectRef,
    family_id: row.familyRef ?? '',
    site: row.site ?? '',
    group: row.groupLabel,
    programme: row.programme,
    instrument: row.instrument.id,
    timepoint: row.timepoint,
    completed_on: row.completedOn,
  };
  return header.map((raw) => {
    const name = raw.trim();
    if (Object.hasOwn(fixed, name)) return fixed[name as FixedColumn];
    if (!name.startsWith(ITEM_PREFIX)) return '';
    const value = row.responses[name.slice(ITEM_PREFIX.length)];
    return value === null || value === undefined ? '' : String(value);
  });
};

type ParsedRecord = { record: string[]; info: { lines: number; empty_lines: number } };
type NumberedRecord = { cells: string[]; line: number };
/**
 * The file's records, read one at a time: on the fast path a line is split into cells only when its row is checked,
 * so the cells of 100,000 rows are never all alive at once (the garbage collector's work grew with them).
 */
type Records = { size: number; at: (index: number) => NumberedRecord };

/**
 * The lines of a file with no double quote, when every line ends the same way (LF, or CRLF throughout); else null and
 * csv-parse decides (it takes the first line ending it meets as the one for the whole file, so a lone CR or LF after
 * that is data, not a new record). Splitting on commas is then exactly RFC 4180 and several times faster than a
 * general parser on 100,000 rows.
 */
const plainLines = (text: string): string[] | null => {
  if (!text.includes('\r')) return text.split('\n');
  const lines = text.split('\r\n');
  return lines.some((line) => line.includes('\r') || line.includes('\n')) ? null : lines;
};

/**
 * Records with the line each starts on. Without a double quote in the file no record can span lines, so record n
 * is line n (see plainLines); empty lines come through as records of one empty cell and are skipped with the
 * all-empty rows. With quotes, csv-parse
 * reports the line a record ends on, and the row starts after the previous one (and any skipped empty lines).
 */
const readRecords = (text: string): Records => {
  const plain = text.includes('"') ? null : plainLines(text.startsWith('\uFEFF') ? text.slice(1) : text);
  if (plain) return { size: plain.length, at: (index) => ({ cells: (plain[index] ?? '').split(','), line: index + 1 }) };
  const records = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true }) as unknown as ParsedRecord[];
  let previousEnd = 0;
  let previousEmpty = 0;
  const numbered = records.map((entry) => {
    const line = previousEnd + 1 + (entry.info.empty_lines - previousEmpty);
    previousEnd = entry.info.lines;
    previousEmpty = entry.info.empty_lines;
    return { cells: entry.record, line };
  });
  return { size: numbered.length, at: (index) => numbered[index] ?? { cells: [], line: 0 } };
};

/**
 * Parses and checks a whole import file. RFC 4180 CSV in UTF-8; a byte-order mark is dropped (spreadsheets
 * add one); cells are trimmed; lines with no content at all are skipped, as are rows whose cells are all
 * empty (spreadsheets leave trailing ",,,," rows). Never throws on bad input: every problem is returned.
 */
export const parseImportCsv = (input: string | Buffer, options: ParseOptions): ParsedImport => {
  const text = typeof input === 'string' ? input : input.toString('utf8');
  const empty: ParsedImport = { header: [], rowsTotal: 0, rows: [], rejected: [], fileProblems: [] };
  if (text.includes('\uFFFD')) {
    // TextDecoder replaced bytes that are not UTF-8; say so rather than import mangled labels.
    const line = text.slice(0, text.indexOf('\uFFFD')).split('\n').length;
    return { ...empty, fileProblems: [{ line, column: '(file)', message: 'is not UTF-8 text (save the file as "CSV UTF-8")' }] };
  }

  let records: Records;
  try {
    records = readRecords(text);
  } catch (error) {
    const where = error instanceof Error && 'lines' in error && typeof error.lines === 'number' ? error.lines : 1;
    const reason = error instanceof Error ? error.message : String(error);
    return { ...empty, fileProblems: [{ line: where, column: '(file)', message: `is not valid CSV: ${reason}` }] };
  }

  let firstIndex = 0;
  let first: NumberedRecord | undefined;
  for (; firstIndex < records.size && !first; firstIndex += 1) {
    const entry = records.at(firstIndex);
    if (!entry.cells.every((value) => value.trim() === '')) first = entry;
  }
  if (!first) return { ...empty, fileProblems: [{ line: 1, column: '(file)', message: 'is empty; expected a header row and at least one data row' }] };
  const fileProblems: ImportProblem[] = [];
  const header = readHeader(first.cells, fileProblems);
  if (!header) return { ...empty, header: first.cells, fileProblems };

  const rows: ImportRow[] = [];
  const rejected: RejectedRow[] = [];
  const firstLineOf = new Map<string, number>();
  let rowsTotal = 0;
  for (let index = firstIndex; index < records.size; index += 1) {
    const { cells, line } = records.at(index);
    if (cells.every((value) => value.trim() === '')) continue;
    rowsTotal += 1;
    const outcome = checkRow(cells, line, header, options);
    if (!outcome.row) {
      rejected.push({ line, cells, problems: outcome.problems });
      continue;
    }
    // Two rows for one administration cannot both be right, and one INSERT … ON CONFLICT may not touch a row twice.
    const key = identityOf(outcome.row);
    const earlier = firstLineOf.get(key);
    if (earlier !== undefined) {
      rejected.push({
        line,
        cells,
        problems: [
          {
            line,
            column: '(row)',
            message: `repeats line ${earlier}: same respondent_id, child_id, instrument, timepoint, programme and group`,
          },
        ],
      });
      continue;
    }
    firstLineOf.set(key, line);
    rows.push(outcome.row);
  }
  if (rowsTotal === 0) fileProblems.push({ line: 2, column: '(file)', message: 'has a header but no data rows' });
  return { header: first.cells, rowsTotal, rows, rejected, fileProblems };
};
