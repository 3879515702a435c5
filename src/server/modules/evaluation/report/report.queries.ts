/**
 * The report's SQL. The database does the heavy lifting — filtering, the pre→post self-join and every sum — and
 * returns small, additive cells that report/assemble.ts pools into the figures.
 *
 * It reads outcome_score (migration 0011, docs/decisions/0006-outcome-scores-table.md), not administration: one
 * narrow row per administration, written by a trigger in the same transaction, with the scores as a float8 array,
 * the pairing key as one uuid and every breakdown as a small integer. Why (measured on 1,000,000 administrations,
 * bench/report-bench.ts): turning jsonb into numbers was half the cost of every pass, joining on five text
 * columns most of the rest, and hashing text keys doubled the cost of the aggregates.
 *
 * - An array's positions follow the keys of the administration's `scores` object (jsonb keeps them sorted); each
 *   distinct key list of an instrument is a "shape" with its own code, and the report maps positions to its
 *   slots (the instrument's reported scales, slot i of instrument X being plan.byInstrument[X][i]) per shape, so
 *   a score is never read from the wrong position even if an instrument's scales change between versions.
 * - The arrays are unnested in the select list (a ProjectSet, no per-row function scan), with per-position
 *   arrays of slots and clinical rules picked once per row by shape; positions that are not reported scales
 *   drop out.
 * - Cells are the finest breakdown the report shows (instrument × timepoint × role × site, plus group when groups
 *   are listed); "all", each role, each site and each group are pooled from them in Node. Means and SDs come
 *   back as (n, mean, M2) so pooling is exact (Chan et al.), and paired cells carry the difference itself in
 *   their key: a histogram of differences, which gives the mean change, SD of change, the Wilcoxon ranks and the
 *   reliable-change counts without ever sending one row per person.
 * - JIT compilation is off for these statements (compiling costs more than running them).
 * Every value spliced into the SQL is an integer code read from the database or a number from an instrument
 * definition, checked finite; labels and dates are bound parameters.
 */
import { sql, type RawBuilder } from 'kysely';
import type { ReportFilters } from '../../../../shared/contracts/evaluation.ts';
import type { Trx } from '../../../db.ts';
import type { ComparisonOp, MeasureRule } from './measure-rules.ts';

/**
 * The report's filters plus a scope callers inside the server may add: the administrations of these cases only
 * (a funder's return covers the families in the contract's places). Not offered over HTTP: case ids are not a
 * filter a person types, and the report never echoes them.
 */
export type ReportScope = ReportFilters & { readonly caseIds?: readonly string[]; readonly personIds?: readonly string[] };

/** Scales of each instrument in slot order (slot i of instrument X holds rules[X][i]). */
export type SlotPlan = { readonly byInstrument: ReadonlyMap<string, readonly MeasureRule[]>; readonly slots: number };

export const slotPlanOf = (rules: readonly MeasureRule[]): SlotPlan => {
  const byInstrument = new Map<string, MeasureRule[]>();
  for (const rule of rules) byInstrument.set(rule.instrument, [...(byInstrument.get(rule.instrument) ?? []), rule]);
  const slots = Math.max(0, ...[...byInstrument.values()].map((list) => list.length));
  return { byInstrument, slots };
};

/** The codes outcome_score uses for timepoints (0-based) and roles (1-based), as in migration 0011. */
const TIMEPOINTS = ['pre', 'post', 'followup'] as const;
const ROLES = ['mother', 'father', 'carer', 'child', 'teacher', 'other'] as const;
/** Clinical comparison codes used in the SQL CASE below. */
const OP_CODE: Record<ComparisonOp, number> = { gte: 1, gt: 2, lte: 3, lt: 4 };

/** One score shape of an instrument: which slot (if any) and which clinical rule each array position holds. */
type Shape = { readonly code: number; readonly instrument: string; readonly slots: readonly (number | null)[]; readonly rules: readonly (MeasureRule | null)[] };

/** What the statements need to know beyond the plan: the shapes present and the filters as codes. */
export type ReportLayout = {
  readonly shapes: readonly Shape[];
  /** Filter codes; null = not filtered; -1 = a label the organisation has never used (matches nothing). */
  readonly codes: { readonly site: number | null; readonly group: number | null; readonly programme: number | null };
};

const int = (value: number): RawBuilder<unknown> => {
  if (!Number.isSafeInteger(value)) throw new Error(`not an integer code: ${value}`);
  return sql.raw(String(value));
};
const num = (value: number): string => {
  if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
  return String(value);
};

/** The organisation's score shapes for the plan's instruments, and the filter labels as codes. */
export const loadLayout = async (trx: Trx, organisationId: string, filters: ReportScope, plan: SlotPlan): Promise<ReportLayout> => {
  const wanted: { kind: string; label: string }[] = [];
  if (filters.site !== undefined) wanted.push({ kind: 'site', label: filters.site });
  if (filters.group !== undefined) wanted.push({ kind: 'group', label: filters.group });
  if (filters.programme !== undefined) wanted.push({ kind: 'programme', label: filters.programme });
  const result = await sql<{ kind: string; label: string; code: number }>`
    SELECT kind, label, code FROM outcome_label
    WHERE organisation_id = ${organisationId}
      AND (kind = 'shape' ${sql.join(
        wanted.map((w) => sql`OR (kind = ${w.kind} AND label = ${w.label})`),
        sql` `,
      )})`.execute(trx);
  const codeOf = (kind: string, label: string | undefined): number | null =>
    label === undefined ? null : Number(result.rows.find((row) => row.kind === kind && row.label === label)?.code ?? -1);
  const shapes: Shape[] = [];
  for (const row of result.rows) {
    if (row.kind !== 'shape') continue;
    const colon = row.label.indexOf(':');
    const instrument = row.label.slice(0, colon);
    const rules = plan.byInstrument.get(instrument);
    if (!rules) continue;
    const keys = row.label.slice(colon + 1) === '' ? [] : row.label.slice(colon + 1).split(',');
    const slots = keys.map((key) => {
      const slot = rules.findIndex((rule) => rule.scale === key);
      return slot < 0 ? null : slot;
    });
    shapes.push({ code: Number(row.code), instrument, slots, rules: slots.map((slot) => (slot === null ? null : (rules[slot] ?? null))) });
  }
  return {
    shapes: shapes.filter((shape) => shape.slots.some((slot) => slot !== null)),
    codes: { site: codeOf('site', filters.site), group: codeOf('group', filters.group), programme: codeOf('programme', filters.programme) },
  };
};

/** Organisation, the filters, shapes and (optionally) validity on one outcome_score alias. */
const whereOf = (alias: string, organisationId: string, filters: ReportScope, layout: ReportLayout, validOnly: boolean): RawBuilder<unknown> => {
  const col = (name: string) => sql.ref(`${alias}.${name}`);
  const parts: RawBuilder<unknown>[] = [
    sql`${col('organisation_id')} = ${organisationId}`,
    sql`${col('shape')} IN (${sql.join(layout.shapes.map((shape) => int(shape.code)))})`,
  ];
  if (layout.codes.programme !== null) parts.push(sql`${col('programme')} = ${int(layout.codes.programme)}`);
  if (layout.codes.site !== null) parts.push(sql`${col('site')} = ${int(layout.codes.site)}`);
  if (layout.codes.group !== null) parts.push(sql`${col('grp')} = ${int(layout.codes.group)}`);
  if (filters.role !== undefined) parts.push(sql`${col('role')} = ${int(ROLES.indexOf(filters.role) + 1)}`);
  if (filters.from !== undefined) parts.push(sql`${col('completed_on')} >= ${filters.from}::date`);
  if (filters.to !== undefined) parts.push(sql`${col('completed_on')} <= ${filters.to}::date`);
  if (validOnly) parts.push(sql`${col('valid')}`);
  if (filters.caseIds !== undefined) {
    // administration_case_idx (migration 0008) finds the cases' administrations; an empty list matches nothing.
    parts.push(
      filters.caseIds.length === 0
        ? sql`false`
        : sql`${col('administration_id')} IN (SELECT a.id FROM administration a WHERE a.organisation_id = ${organisationId} AND a.case_id = ANY(${[...filters.caseIds]}::uuid[]))`,
    );
  }
  if (filters.personIds !== undefined) {
    // Respondents who are these people (the dose filter's completers); an empty list matches nothing.
    parts.push(
      filters.personIds.length === 0
        ? sql`false`
        : sql`${col('administration_id')} IN (SELECT a.id FROM administration a JOIN respondent r ON r.id = a.respondent_id WHERE a.organisation_id = ${organisationId} AND r.person_id = ANY(${[...filters.personIds]}::uuid[]))`,
    );
  }
  return sql.join(parts, sql` AND `);
};

/**
 * The reported scales of every shape as a constant table m(shape, pos, slot, op, c): joined on the shape, it turns
 * each administration (or pair) into one row per reported scale, with the array position to read, the slot it
 * fills and its clinical rule. A join rather than unnest keeps the statement parallel (partial aggregation under
 * Gather) and never produces rows for positions the report does not use.
 */
const positions = (layout: ReportLayout): RawBuilder<unknown> => {
  const rows: RawBuilder<unknown>[] = [];
  for (const shape of layout.shapes) {
    shape.slots.forEach((slot, p) => {
      if (slot === null) return;
      const clinicalRule = shape.rules[p]?.clinical;
      rows.push(
        sql`(${int(shape.code)}::bigint, ${int(p + 1)}, ${int(slot)}, ${clinicalRule ? int(OP_CODE[clinicalRule.op]) : sql`NULL`}::int, ${clinicalRule ? sql.raw(num(clinicalRule.value)) : sql`NULL`}::float8)`,
      );
    });
  }
  return sql`(VALUES ${sql.join(rows)}) AS m(shape, pos, slot, op, c)`;
};
/** Is `x` in the clinical range under (op, c)? Null where the scale has no clinical rule. */
const clinical = (x: RawBuilder<unknown>) => sql`CASE m.op WHEN 1 THEN ${x} >= m.c WHEN 2 THEN ${x} > m.c WHEN 3 THEN ${x} <= m.c WHEN 4 THEN ${x} < m.c END`;

const shapeInstrument = (layout: ReportLayout): Map<number, string> => new Map(layout.shapes.map((shape) => [shape.code, shape.instrument]));

/** Session settings for the report's statements (see the module comment on JIT). */
export const prepareReportSession = async (trx: Trx): Promise<void> => {
  await sql`SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true)`.execute(trx);
};

/** Which instruments the organisation has any administration of: a loose index scan, a few ms at any size. */
export const instrumentsPresent = async (trx: Trx, organisationId: string): Promise<string[]> => {
  const result = await sql<{ instrumentId: string | null }>`
    WITH RECURSIVE present AS (
      (SELECT instrument_id FROM administration WHERE organisation_id = ${organisationId} ORDER BY instrument_id LIMIT 1)
      UNION ALL
      SELECT (SELECT a.instrument_id FROM administration a
              WHERE a.organisation_id = ${organisationId} AND a.instrument_id > present.instrument_id
              ORDER BY a.instrument_id LIMIT 1)
      FROM present WHERE present.instrument_id IS NOT NULL
    )
    SELECT instrument_id FROM present WHERE instrument_id IS NOT NULL`.execute(trx);
  return result.rows.flatMap((row) => (row.instrumentId === null ? [] : [row.instrumentId]));
};

/** How many distinct groups the filtered data has (decides whether groups are listed). */
export const countGroups = async (trx: Trx, organisationId: string, filters: ReportScope, layout: ReportLayout): Promise<number> => {
  if (layout.shapes.length === 0) return 0;
  const result = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM (SELECT grp FROM outcome_score o WHERE ${whereOf('o', organisationId, filters, layout, false)} GROUP BY grp) g`.execute(trx);
  return Number(result.rows[0]?.n ?? 0);
};

/** Site and group labels of the codes the cells came back with. */
const labelsOf = async (trx: Trx, organisationId: string, codes: Iterable<number>): Promise<Map<number, string>> => {
  const list = [...new Set(codes)];
  if (list.length === 0) return new Map();
  const result = await sql<{ code: number; label: string }>`
    SELECT code, label FROM outcome_label WHERE organisation_id = ${organisationId} AND code = ANY(${list}::bigint[])`.execute(trx);
  return new Map(result.rows.map((row) => [Number(row.code), row.label]));
};

/** Result keys arrive camelCased (the Kysely CamelCasePlugin applies to raw SQL results too). */
export type TimepointRow = {
  instrumentId: string;
  timepoint: 'pre' | 'post' | 'followup';
  role: string;
  site: string;
  groupLabel: string;
  nInvalid: number;
  /** Per slot i: n<i>, mean<i>, m2<i>, nc<i> (number clinical). */
  [slot: string]: number | string | null;
};

type RawTimepointCell = { shape: number; timepoint: number; role: number; site: number; grp: number; slot: number; nInvalid: number; n: number; mean: number | null; m2: number | null; nc: number };

/** Per-timepoint cells: for each slot, n, mean, M2 and the number in the clinical range. */
export const timepointCells = async (
  trx: Trx,
  organisationId: string,
  filters: ReportScope,
  layout: ReportLayout,
  withGroups: boolean,
): Promise<TimepointRow[]> => {
  if (layout.shapes.length === 0) return [];
  const group = withGroups ? sql`o.grp` : sql`0`;
  // Invalid protocols stay in the scan only to be counted; their scores are blanked so no figure uses them.
  const x = sql`CASE WHEN o.valid THEN o.vals[m.pos] END`;
  const result = await sql<RawTimepointCell>`
    SELECT o.shape, o.timepoint, o.role, o.site, ${group} AS grp, m.slot,
      count(*) FILTER (WHERE NOT o.valid)::int AS n_invalid,
      count(${x})::int AS n, avg(${x}) AS mean, var_pop(${x}) * count(${x}) AS m2,
      count(*) FILTER (WHERE o.valid AND ${clinical(sql`o.vals[m.pos]`)})::int AS nc
    FROM outcome_score o JOIN ${positions(layout)} ON m.shape = o.shape
    WHERE ${whereOf('o', organisationId, filters, layout, false)}
    GROUP BY 1, 2, 3, 4, 5, 6`.execute(trx);
  const instruments = shapeInstrument(layout);
  const labels = await labelsOf(trx, organisationId, result.rows.flatMap((row) => [Number(row.site), Number(row.grp)]));
  const rows = new Map<string, TimepointRow>();
  for (const cell of result.rows) {
    const key = `${cell.shape}|${cell.timepoint}|${cell.role}|${cell.site}|${cell.grp}`;
    let row = rows.get(key);
    if (!row) {
      row = {
        instrumentId: instruments.get(Number(cell.shape)) ?? '',
        timepoint: TIMEPOINTS[Number(cell.timepoint)] ?? 'pre',
        role: ROLES[Number(cell.role) - 1] ?? 'other',
        site: labels.get(Number(cell.site)) ?? '',
        groupLabel: withGroups ? (labels.get(Number(cell.grp)) ?? '') : '',
        nInvalid: Number(cell.nInvalid),
      };
      rows.set(key, row);
    }
    row[`n${cell.slot}`] = cell.n;
    row[`mean${cell.slot}`] = cell.mean;
    row[`m2${cell.slot}`] = cell.m2;
    row[`nc${cell.slot}`] = cell.nc;
  }
  return [...rows.values()];
};

export type PairRow = {
  instrumentId: string;
  timepoint: 'post' | 'followup';
  role: string;
  site: string;
  groupLabel: string;
  slot: number;
  /** Later − pre, rounded to 1e-9 points so that equal changes tie (scores are sums or prorated means). */
  d: number;
  n: number;
  sumPre: number;
  sumPost: number;
  nClinicalPre: number;
  nClinicalPost: number;
  /** Clinical at pre, not at the later timepoint (McNemar b; also "recovered"). */
  b: number;
  /** Not clinical at pre, clinical later (McNemar c). */
  c: number;
};

/**
 * The pre→later self-join on the pairing key, unnested to one row per (pair, reported scale) with both scores.
 * Pairs are of the same shape (the same instrument scored with the same scales); the breakdown of a pair is its
 * pre's.
 */
const pairsOf = (organisationId: string, filters: ReportScope, layout: ReportLayout, laterTimepoints: RawBuilder<unknown>): RawBuilder<unknown> => sql`(
    SELECT pre.shape, later.timepoint, pre.role, pre.site, pre.grp, m.slot, pre.vals[m.pos] AS x, later.vals[m.pos] AS y,
      ${clinical(sql`pre.vals[m.pos]`)} AS cx, ${clinical(sql`later.vals[m.pos]`)} AS cy
    FROM outcome_score pre
    JOIN outcome_score later ON later.pair_key = pre.pair_key AND later.shape = pre.shape
    JOIN ${positions(layout)} ON m.shape = pre.shape
    WHERE ${whereOf('pre', organisationId, filters, layout, true)} AND pre.timepoint = 0
      AND ${whereOf('later', organisationId, filters, layout, true)} AND later.timepoint ${laterTimepoints}
      AND pre.vals[m.pos] IS NOT NULL AND later.vals[m.pos] IS NOT NULL
  )`;

type RawPairCell = Omit<PairRow, 'instrumentId' | 'timepoint' | 'role' | 'site' | 'groupLabel'> & { shape: number; timepoint: number; role: number; site: number; grp: number };

/**
 * Paired cells: pre with post and follow-up, one row per (cell, slot, difference).
 */
export const pairCells = async (
  trx: Trx,
  organisationId: string,
  filters: ReportScope,
  layout: ReportLayout,
  withGroups: boolean,
): Promise<PairRow[]> => {
  if (layout.shapes.length === 0) return [];
  const group = withGroups ? sql`grp` : sql`0`;
  // The planner cannot estimate the groups of the difference and would sort two million rows; hashing is what
  // this shape needs, on both engines. Nested loops are off too: right after a bulk import, before
  // autovacuum has analysed outcome_score, the planner would take the self-join for a few rows and loop.
  await sql`SELECT set_config('enable_sort', 'off', true), set_config('enable_nestloop', 'off', true)`.execute(trx);
  const result = await sql<RawPairCell>`
    SELECT shape, timepoint, role, site, ${group} AS grp, slot, round((y - x) * 1e9) / 1e9 AS d,
      count(*)::int AS n, sum(x) AS sum_pre, sum(y) AS sum_post,
      count(*) FILTER (WHERE cx)::int AS n_clinical_pre, count(*) FILTER (WHERE cy)::int AS n_clinical_post,
      count(*) FILTER (WHERE cx AND NOT cy)::int AS b, count(*) FILTER (WHERE NOT cx AND cy)::int AS c
    FROM ${pairsOf(organisationId, filters, layout, sql`> 0`)} AS p
    GROUP BY 1, 2, 3, 4, 5, 6, 7`.execute(trx);
  await sql`SELECT set_config('enable_sort', 'on', true), set_config('enable_nestloop', 'on', true)`.execute(trx);
  const instruments = shapeInstrument(layout);
  const labels = await labelsOf(trx, organisationId, result.rows.flatMap((row) => [Number(row.site), Number(row.grp)]));
  return result.rows.map(({ shape, timepoint, role, site, grp, ...numbers }) => ({
    ...numbers,
    instrumentId: instruments.get(Number(shape)) ?? '',
    timepoint: Number(timepoint) === 2 ? 'followup' : 'post',
    role: ROLES[Number(role) - 1] ?? 'other',
    site: labels.get(Number(site)) ?? '',
    groupLabel: withGroups ? (labels.get(Number(grp)) ?? '') : '',
  }));
};

export type ScatterRow = { instrumentId: string; slot: number; pre: number; post: number; n: number };

/**
 * Pre→post points for the Jacobson–Truax scatter, one row per distinct (pre, post) with its count: the chart
 * shows overlapping people as one larger point. Only for exports and the report page, not the JSON.
 */
export const scatterPoints = async (trx: Trx, organisationId: string, filters: ReportScope, layout: ReportLayout): Promise<ScatterRow[]> => {
  if (layout.shapes.length === 0) return [];
  await sql`SELECT set_config('enable_sort', 'off', true), set_config('enable_nestloop', 'off', true)`.execute(trx);
  const result = await sql<{ shape: number; slot: number; pre: number; post: number; n: number }>`
    SELECT shape, slot, x AS pre, y AS post, count(*)::int AS n
    FROM ${pairsOf(organisationId, filters, layout, sql`= 1`)} AS p
    GROUP BY 1, 2, 3, 4`.execute(trx);
  await sql`SELECT set_config('enable_sort', 'on', true), set_config('enable_nestloop', 'on', true)`.execute(trx);
  const instruments = shapeInstrument(layout);
  return result.rows.map((row) => ({ instrumentId: instruments.get(Number(row.shape)) ?? '', slot: Number(row.slot), pre: Number(row.pre), post: Number(row.post), n: Number(row.n) }));
};
