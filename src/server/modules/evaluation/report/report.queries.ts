/**
 * The report's SQL. The database does the heavy lifting — filtering, extracting the scores, the pre→post
 * self-join and every sum — and returns small, additive cells that report/assemble.ts pools into the figures.
 *
 * Why it is shaped like this (measured on 1,000,000 administrations, bench/report-bench.ts):
 * - Scores live in a jsonb object per administration. Unnesting it (jsonb_each) multiplies the rows by the
 *   number of scales and makes the hash aggregate the bottleneck. Instead each instrument's scales are mapped
 *   to numbered "slots" (v0, v1, …) with one CASE per slot, so each administration stays one row and the
 *   aggregate hashes four short keys.
 * - Cells are the finest breakdown the report shows (instrument × timepoint × role × site, plus group when
 *   groups are listed); "all", each role, each site and each group are pooled from them in Node. Means and SDs
 *   come back as (n, mean, M2) so pooling is exact (Chan et al.), and paired cells carry the difference itself in
 *   their key: a histogram of differences, which gives the mean change, SD of change, the Wilcoxon ranks and
 *   the reliable-change counts without ever sending one row per person.
 * - JIT compilation is switched off for these statements: PostgreSQL's cost model would JIT-compile the wide
 *   CASE expressions, which costs more than the query itself.
 * Identifiers and literals in the generated SQL come from instrument definitions, which the instrument schema
 * restricts to [a-z0-9-] ids and [A-Za-z0-9_] keys; they are still passed through sql.lit / escaped.
 */
import { sql, type RawBuilder } from 'kysely';
import type { ReportFilters } from '../../../../shared/contracts/evaluation.ts';
import type { Trx } from '../../../db.ts';
import type { ComparisonOp, MeasureRule } from './measure-rules.ts';

/** Scales of each instrument in slot order (slot i of instrument X holds rules[X][i]). */
export type SlotPlan = { readonly byInstrument: ReadonlyMap<string, readonly MeasureRule[]>; readonly slots: number };

export const slotPlanOf = (rules: readonly MeasureRule[]): SlotPlan => {
  const byInstrument = new Map<string, MeasureRule[]>();
  for (const rule of rules) byInstrument.set(rule.instrument, [...(byInstrument.get(rule.instrument) ?? []), rule]);
  const slots = Math.max(0, ...[...byInstrument.values()].map((list) => list.length));
  return { byInstrument, slots };
};

const SQL_OP: Record<ComparisonOp, string> = { gte: '>=', gt: '>', lte: '<=', lt: '<' };

const lit = (value: string): RawBuilder<unknown> => sql.lit(value);

/** Organisation, the filters, and validity: the WHERE shared by every query. */
const whereOf = (organisationId: string, filters: ReportFilters, validOnly: boolean, plan?: SlotPlan): RawBuilder<unknown> => {
  const parts: RawBuilder<unknown>[] = [sql`organisation_id = ${organisationId}`];
  if (plan) parts.push(sql`instrument_id IN (${sql.join([...plan.byInstrument.keys()].map((id) => sql`${id}`))})`);
  if (filters.programme !== undefined) parts.push(sql`programme = ${filters.programme}`);
  if (filters.site !== undefined) parts.push(sql`site = ${filters.site}`);
  if (filters.group !== undefined) parts.push(sql`group_label = ${filters.group}`);
  if (filters.role !== undefined) parts.push(sql`respondent_role = ${filters.role}`);
  if (filters.from !== undefined) parts.push(sql`completed_on >= ${filters.from}::date`);
  if (filters.to !== undefined) parts.push(sql`completed_on <= ${filters.to}::date`);
  if (validOnly) parts.push(sql`valid`);
  return sql.join(parts, sql` AND `);
};

/**
 * Per slot: the score v<i> (float8; null when missing or unscorable). Evaluated once per administration: the
 * subquery that selects these must not be flattened into its parent (OFFSET 0), or PostgreSQL would repeat the
 * CASE and the jsonb lookup for every aggregate that mentions the slot — measured at 10× the cost.
 */
const slotValues = (plan: SlotPlan): RawBuilder<unknown>[] => {
  const columns: RawBuilder<unknown>[] = [];
  const [only, ...others] = [...plan.byInstrument.values()];
  // A single instrument needs no CASE, just its scales.
  if (only && others.length === 0) {
    return only.map((rule, i) => sql`(scores ->> ${lit(rule.scale)})::float8 AS ${sql.ref(`v${i}`)}`);
  }
  for (let i = 0; i < plan.slots; i += 1) {
    const cases: RawBuilder<unknown>[] = [];
    for (const [instrument, rules] of plan.byInstrument) {
      const rule = rules[i];
      // jsonb ->> gives text; a JSON null gives SQL NULL, so missing scores stay missing.
      if (rule) cases.push(sql`WHEN ${lit(instrument)} THEN (scores ->> ${lit(rule.scale)})::float8`);
    }
    columns.push(cases.length > 0 ? sql`CASE instrument_id ${sql.join(cases, sql` `)} END AS ${sql.ref(`v${i}`)}` : sql`NULL::float8 AS ${sql.ref(`v${i}`)}`);
  }
  return columns;
};

/** Clinical status of slot i's score (`alias`.v<i>) under each instrument's rule; null without a rule. */
const slotClinical = (plan: SlotPlan, i: number, alias: string): RawBuilder<unknown> => {
  const cases: RawBuilder<unknown>[] = [];
  const value = sql.ref(`${alias}.v${i}`);
  const [only, ...others] = [...plan.byInstrument.values()];
  if (only && others.length === 0) {
    const clinical = only[i]?.clinical;
    return clinical ? sql`${value} ${sql.raw(SQL_OP[clinical.op])} ${sql.lit(clinical.value)}` : sql`NULL::boolean`;
  }
  for (const [instrument, rules] of plan.byInstrument) {
    const clinical = rules[i]?.clinical;
    if (clinical) cases.push(sql`WHEN ${lit(instrument)} THEN ${value} ${sql.raw(SQL_OP[clinical.op])} ${sql.lit(clinical.value)}`);
  }
  return cases.length > 0 ? sql`CASE ${sql.ref(`${alias}.instrument_id`)} ${sql.join(cases, sql` `)} END` : sql`NULL::boolean`;
};

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
export const countGroups = async (trx: Trx, organisationId: string, filters: ReportFilters): Promise<number> => {
  const result = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM (SELECT group_label FROM administration WHERE ${whereOf(organisationId, filters, false)} GROUP BY group_label) g`.execute(trx);
  return Number(result.rows[0]?.n ?? 0);
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

/** Per-timepoint cells: for each slot, n, mean, M2 and the number in the clinical range. */
export const timepointCells = async (
  trx: Trx,
  organisationId: string,
  filters: ReportFilters,
  plan: SlotPlan,
  withGroups: boolean,
): Promise<TimepointRow[]> => {
  if (plan.slots === 0) return [];
  const aggregates: RawBuilder<unknown>[] = [];
  for (let i = 0; i < plan.slots; i += 1) {
    const v = sql.ref(`scored.v${i}`);
    aggregates.push(
      sql`count(${v})::int AS ${sql.ref(`n${i}`)}, avg(${v}) AS ${sql.ref(`mean${i}`)}, var_pop(${v}) * count(${v}) AS ${sql.ref(`m2${i}`)}, count(*) FILTER (WHERE ${slotClinical(plan, i, 'scored')})::int AS ${sql.ref(`nc${i}`)}`,
    );
  }
  const group = withGroups ? sql`group_label` : sql`''::text`;
  // Invalid protocols are kept in the scan only to be counted; their scores are blanked so no figure uses them.
  const result = await sql<TimepointRow>`
    SELECT instrument_id, timepoint, respondent_role AS role, coalesce(site, '') AS site, ${group} AS group_label,
      count(*) FILTER (WHERE NOT valid)::int AS n_invalid, ${sql.join(aggregates, sql`, `)}
    FROM (
      SELECT instrument_id, timepoint, respondent_role, site, group_label, valid, ${sql.join(slotValues(plan), sql`, `)}
      FROM (SELECT instrument_id, timepoint, respondent_role, site, group_label, valid,
                   CASE WHEN valid THEN scores ELSE '{}'::jsonb END AS scores
            FROM administration WHERE ${whereOf(organisationId, filters, false, plan)}) AS filtered
      OFFSET 0
    ) AS scored
    GROUP BY 1, 2, 3, 4, 5`.execute(trx);
  return result.rows;
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

const pairingKeyMatch = sql`later.respondent_id = pre.respondent_id AND later.subject_ref = pre.subject_ref
  AND later.instrument_id = pre.instrument_id AND later.programme = pre.programme AND later.group_label = pre.group_label`;

/**
 * Per administration, its instrument's scores as one array (slot order) and their clinical flags as another:
 * exactly as many elements as the instrument has scales, so unnesting a pair yields no empty slots to discard
 * (VALUES over every slot measured 2× slower on a mix of 1- and 9-scale instruments).
 */
const slotArrays = (plan: SlotPlan): RawBuilder<unknown> => {
  const values: RawBuilder<unknown>[] = [];
  const flags: RawBuilder<unknown>[] = [];
  for (const [instrument, rules] of plan.byInstrument) {
    const score = (scale: string) => sql`(scores ->> ${lit(scale)})::float8`;
    values.push(sql`WHEN ${lit(instrument)} THEN ARRAY[${sql.join(rules.map((rule) => score(rule.scale)))}]::float8[]`);
    flags.push(
      sql`WHEN ${lit(instrument)} THEN ARRAY[${sql.join(
        rules.map((rule) => (rule.clinical ? sql`${score(rule.scale)} ${sql.raw(SQL_OP[rule.clinical.op])} ${sql.lit(rule.clinical.value)}` : sql`NULL::boolean`)),
      )}]::boolean[]`,
    );
  }
  return sql`CASE instrument_id ${sql.join(values, sql` `)} END AS vals, CASE instrument_id ${sql.join(flags, sql` `)} END AS flags`;
};

/** One side of the pre→later self-join: filtered, valid administrations at the given timepoints, scores as arrays. */
const pairSide = (organisationId: string, filters: ReportFilters, plan: SlotPlan, timepoints: RawBuilder<unknown>): RawBuilder<unknown> => sql`(
    SELECT respondent_id, subject_ref, instrument_id, programme, group_label, timepoint, respondent_role, coalesce(site, '') AS site,
      ${slotArrays(plan)}
    FROM administration WHERE ${whereOf(organisationId, filters, true, plan)} AND timepoint ${timepoints}
    OFFSET 0
  )`;

/**
 * Paired cells: the self-join of pre with post and follow-up on the pairing key (respondent, subject,
 * instrument, programme, group), one row per (cell, slot, difference). The breakdown of a pair is its pre's.
 */
export const pairCells = async (
  trx: Trx,
  organisationId: string,
  filters: ReportFilters,
  plan: SlotPlan,
  withGroups: boolean,
): Promise<PairRow[]> => {
  if (plan.slots === 0) return [];
  const group = withGroups ? sql`pre.group_label` : sql`''::text`;
  // The planner underestimates the five-column join badly (it assumes the columns independent) and would sort
  // two million rows to group them; hashing is what this shape needs, on both engines.
  await sql`SELECT set_config('enable_sort', 'off', true)`.execute(trx);
  const result = await sql<PairRow>`
    SELECT pre.instrument_id, later.timepoint, pre.respondent_role AS role, pre.site, ${group} AS group_label, (s.slot - 1)::int AS slot,
      round((s.y - s.x) * 1e9) / 1e9 AS d,
      count(*)::int AS n, sum(s.x) AS sum_pre, sum(s.y) AS sum_post,
      count(*) FILTER (WHERE s.cx)::int AS n_clinical_pre, count(*) FILTER (WHERE s.cy)::int AS n_clinical_post,
      count(*) FILTER (WHERE s.cx AND NOT s.cy)::int AS b, count(*) FILTER (WHERE NOT s.cx AND s.cy)::int AS c
    FROM ${pairSide(organisationId, filters, plan, sql`= 'pre'`)} AS pre
    JOIN ${pairSide(organisationId, filters, plan, sql`<> 'pre'`)} AS later ON ${pairingKeyMatch}
    CROSS JOIN LATERAL unnest(pre.vals, later.vals, pre.flags, later.flags) WITH ORDINALITY AS s(x, y, cx, cy, slot)
    WHERE s.x IS NOT NULL AND s.y IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7`.execute(trx);
  await sql`SELECT set_config('enable_sort', 'on', true)`.execute(trx);
  return result.rows;
};

export type ScatterRow = { instrumentId: string; slot: number; pre: number; post: number; n: number };

/**
 * Pre→post points for the Jacobson–Truax scatter, one row per distinct (pre, post) with its count: the chart
 * shows overlapping people as one larger point. Only for exports and the report page, not the JSON.
 */
export const scatterPoints = async (trx: Trx, organisationId: string, filters: ReportFilters, plan: SlotPlan): Promise<ScatterRow[]> => {
  if (plan.slots === 0) return [];
  await sql`SELECT set_config('enable_sort', 'off', true)`.execute(trx);
  const result = await sql<ScatterRow>`
    SELECT pre.instrument_id, (s.slot - 1)::int AS slot, s.x AS pre, s.y AS post, count(*)::int AS n
    FROM ${pairSide(organisationId, filters, plan, sql`= 'pre'`)} AS pre
    JOIN ${pairSide(organisationId, filters, plan, sql`= 'post'`)} AS later ON ${pairingKeyMatch}
    CROSS JOIN LATERAL unnest(pre.vals, later.vals) WITH ORDINALITY AS s(x, y, slot)
    WHERE s.x IS NOT NULL AND s.y IS NOT NULL
    GROUP BY 1, 2, 3, 4`.execute(trx);
  await sql`SELECT set_config('enable_sort', 'on', true)`.execute(trx);
  return result.rows;
};
