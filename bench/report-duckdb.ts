/*
 * The report benchmark's baseline (issue 8): DuckDB computing the report's figures from the same rows. DuckDB is
 * an in-memory columnar engine built for exactly this kind of aggregate, so it stands for the physical limit on
 * this machine. It gets the administrations read back from the engine under test, in the layout that suits it
 * best (one row per administration × reported scale, every key a small integer), and one SQL statement per part:
 * per-timepoint n, mean, SD and clinical count, and the paired pre → post / follow-up figures (n, means, mean
 * change, SD of change, clinical at pre, recovered, reliable improvement, deterioration and recovery), each
 * for all respondents and by role — the figures of `tandem report --json`. checkSameFigures compares them with
 * ours.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { sql } from 'kysely';
import type { Report } from '../src/shared/contracts/evaluation.ts';
import type { Db } from '../src/server/db.ts';
import { inScope } from '../src/server/platform/db/scope.ts';

/** The rule of one reported measure, as the report applies it (from the report's own measure list). */
type Measure = { instrument: string; scale: string; op: string | null; cutoff: number | null; rc: number | null; better: 'lower' | 'higher' };

export type DuckDbBaseline = {
  readonly connection: DuckDBConnection;
  readonly measures: readonly Measure[];
  readonly roles: readonly string[];
  /** Scores loaded (one per administration × reported scale). */
  readonly rows: number;
  readonly close: () => Promise<void>;
};

const TIMEPOINTS = ['pre', 'post', 'followup'];

/** The measures of a report (instrument, scale, rules) in report order. */
export const measuresOf = (report: Report): Measure[] =>
  report.measures.map((m) => ({
    instrument: m.instrument,
    scale: m.scale,
    op: m.clinical_rule?.op ?? null,
    cutoff: m.clinical_rule?.value ?? null,
    rc: m.reliable_change,
    better: m.better,
  }));

/**
 * Reads every administration of the organisation back from the engine under test, one instrument × timepoint at a
 * time, as CSV text made by the engine itself (one line per reported score: pairing key, measure, timepoint, role,
 * site, validity, score), and loads it into an in-memory DuckDB with the keys turned into small integers.
 */
export const loadDuckDb = async (db: Db, organisationId: string, report: Report): Promise<DuckDbBaseline> => {
  const measures = measuresOf(report);
  const instruments = [...new Set(measures.map((m) => m.instrument))];
  const dir = await mkdtemp(join(tmpdir(), 'tandem-duckdb-'));
  const file = join(dir, 'scores.csv');
  const out = createWriteStream(file);
  const measureTable = sql.join(measures.map((m, i) => sql`(${m.instrument}, ${m.scale}, ${i}::int)`));
  let rows = 0;
  for (const instrument of instruments) {
    for (const timepoint of TIMEPOINTS) {
      const chunk = await inScope(db, { organisationId, userId: null }, async (trx) => {
        await sql`SELECT set_config('jit', 'off', true)`.execute(trx);
        return sql<{ n: number; csv: string | null }>`
          SELECT count(*)::int AS n,
            string_agg(concat_ws(',', md5(concat_ws('|', a.respondent_id::text, a.subject_ref, a.instrument_id, a.programme, a.group_label)),
              m.i, ${TIMEPOINTS.indexOf(timepoint)}::int, a.respondent_role, '"' || replace(coalesce(a.site, ''), '"', '""') || '"',
              a.valid::int, a.scores ->> m.scale), E'\n') AS csv
          FROM administration a JOIN (VALUES ${measureTable}) AS m(instrument, scale, i) ON m.instrument = a.instrument_id
          WHERE a.organisation_id = ${organisationId} AND a.instrument_id = ${instrument} AND a.timepoint = ${timepoint}
            AND a.scores ->> m.scale IS NOT NULL`.execute(trx);
      });
      rows += Number(chunk.rows[0]?.n ?? 0);
      const csv = chunk.rows[0]?.csv;
      if (csv) out.write(`${csv}\n`);
    }
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(`CREATE TABLE raw AS SELECT * FROM read_csv('${file}', header = false,
    columns = {'unit': 'VARCHAR', 'measure': 'SMALLINT', 'tp': 'TINYINT', 'role': 'VARCHAR', 'site': 'VARCHAR', 'valid': 'BOOLEAN', 'x': 'DOUBLE'})`);
  const roles = (await connection.runAndReadAll('SELECT DISTINCT role FROM raw ORDER BY role')).getRowObjectsJS().map((row) => String(row.role));
  await connection.run(`CREATE TABLE s AS
    SELECT dense_rank() OVER (ORDER BY unit)::INTEGER AS unit, measure, tp,
      (list_position([${roles.map((r) => `'${r}'`).join(', ')}], role) - 1)::TINYINT AS role,
      dense_rank() OVER (ORDER BY site)::SMALLINT AS site, valid, x
    FROM raw`);
  await connection.run('DROP TABLE raw');
  const ruleRows = measures.map(
    (m, i) => `(${i}, ${m.op === null ? 'NULL' : `'${m.op}'`}, ${m.cutoff ?? 'NULL'}, ${m.rc ?? 'NULL'}, ${m.better === 'lower' ? -1 : 1})`,
  );
  await connection.run(`CREATE TABLE r AS SELECT * FROM (VALUES ${ruleRows.join(', ')}) AS v(measure, op, cutoff, rc, sign)`);
  await rm(dir, { recursive: true, force: true });
  return {
    connection,
    measures,
    roles,
    rows,
    close: async () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
};

const CLINICAL = (x: string) =>
  `CASE r.op WHEN 'gte' THEN ${x} >= r.cutoff WHEN 'gt' THEN ${x} > r.cutoff WHEN 'lte' THEN ${x} <= r.cutoff WHEN 'lt' THEN ${x} < r.cutoff END`;

const TIMEPOINT_SQL = `
  SELECT s.measure, s.tp, coalesce(s.role, -1) AS role, count(*) AS n, avg(s.x) AS mean, stddev_samp(s.x) AS sd,
    count(*) FILTER (WHERE ${CLINICAL('s.x')}) AS n_clinical
  FROM s JOIN r USING (measure) WHERE s.valid
  GROUP BY GROUPING SETS ((s.measure, s.tp), (s.measure, s.tp, s.role))`;

// The breakdown of a pair is its pre's; "improvement" is the change in the good direction.
const PAIRED_SQL = `
  WITH v AS (SELECT s.*, ${CLINICAL('s.x')} AS clinical, r.rc, r.sign FROM s JOIN r USING (measure) WHERE s.valid),
  p AS (
    SELECT pre.measure, later.tp, pre.role, pre.x, later.x AS y, later.x - pre.x AS d, pre.clinical AS cx, later.clinical AS cy,
      pre.rc, pre.sign * (later.x - pre.x) AS improvement
    FROM v AS pre JOIN v AS later ON later.unit = pre.unit AND later.measure = pre.measure AND later.tp > 0
    WHERE pre.tp = 0)
  SELECT measure, tp, coalesce(role, -1) AS role, count(*) AS n, avg(x) AS mean_pre, avg(y) AS mean_post, avg(d) AS mean_change,
    stddev_samp(d) AS sd_change, count(*) FILTER (WHERE cx) AS n_clinical_pre, count(*) FILTER (WHERE cx AND NOT cy) AS n_recovered,
    count(*) FILTER (WHERE improvement >= rc) AS n_reliable_improvement, count(*) FILTER (WHERE -improvement >= rc) AS n_reliable_deterioration,
    count(*) FILTER (WHERE cx AND NOT cy AND improvement >= rc) AS n_reliable_recovery
  FROM p GROUP BY GROUPING SETS ((measure, tp), (measure, tp, role))`;

export type DuckDbFigures = { timepoints: Record<string, unknown>[]; paired: Record<string, unknown>[] };

/** The figures: one statement after the other (DuckDB parallelises each over every core). */
export const duckDbReport = async (baseline: DuckDbBaseline): Promise<DuckDbFigures> => {
  const t = await baseline.connection.runAndReadAll(TIMEPOINT_SQL);
  const p = await baseline.connection.runAndReadAll(PAIRED_SQL);
  return { timepoints: t.getRowObjectsJS() as Record<string, unknown>[], paired: p.getRowObjectsJS() as Record<string, unknown>[] };
};

const close = (a: number | null | undefined, b: unknown): boolean => {
  const y = b === null || b === undefined ? null : Number(b);
  if (a === null || a === undefined || y === null) return (a ?? null) === y;
  return Math.abs(a - y) <= 1e-9 * Math.max(1, Math.abs(a));
};

/**
 * Every measure, every timepoint, "all" and each role: DuckDB's figures against the report's. Returns the
 * mismatches (empty when the two agree), each naming the figure.
 */
export const checkSameFigures = (report: Report, baseline: DuckDbBaseline, figures: DuckDbFigures): string[] => {
  const problems: string[] = [];
  const roleName = (code: unknown): string => (Number(code) === -1 ? 'all' : (baseline.roles[Number(code)] ?? '?'));
  const byKey = (rows: Record<string, unknown>[]) => new Map(rows.map((row) => [`${row.measure}|${row.tp}|${roleName(row.role)}`, row]));
  const timepoints = byKey(figures.timepoints);
  const paired = byKey(figures.paired);
  report.measures.forEach((measure, index) => {
    for (const [role, cell] of Object.entries(measure.by_role)) {
      TIMEPOINTS.forEach((tp, t) => {
        const ours = cell[tp as 'pre' | 'post' | 'followup'];
        const theirs = timepoints.get(`${index}|${t}|${role}`);
        const name = `${measure.instrument}/${measure.scale} ${role} ${tp}`;
        if (!theirs) {
          if ((ours.n ?? 0) > 0) problems.push(`${name}: missing in DuckDB`);
          return;
        }
        if (!close(ours.n, theirs.n)) problems.push(`${name} n: ${ours.n} vs ${theirs.n}`);
        if (!close(ours.mean, theirs.mean)) problems.push(`${name} mean: ${ours.mean} vs ${theirs.mean}`);
        if ((ours.n ?? 0) > 1 && !close(ours.sd, theirs.sd)) problems.push(`${name} sd: ${ours.sd} vs ${theirs.sd}`);
        if (ours.n_clinical !== null && !close(ours.n_clinical, theirs.n_clinical)) problems.push(`${name} n_clinical: ${ours.n_clinical} vs ${theirs.n_clinical}`);
      });
      for (const [key, t] of [['paired', 1], ['paired_followup', 2]] as const) {
        const ours = cell[key];
        const theirs = paired.get(`${index}|${t}|${role}`);
        const name = `${measure.instrument}/${measure.scale} ${role} ${key}`;
        if (!theirs) {
          if ((ours.n ?? 0) > 0) problems.push(`${name}: missing in DuckDB`);
          continue;
        }
        const expect = (field: string, a: number | null, b: unknown) => {
          if (!close(a, b)) problems.push(`${name} ${field}: ${a} vs ${String(b)}`);
        };
        expect('n', ours.n, theirs.n);
        expect('mean_pre', ours.mean_pre, theirs.mean_pre);
        expect('mean_post', ours.mean_post, theirs.mean_post);
        expect('mean_change', ours.mean_change, theirs.mean_change);
        expect('sd_change', ours.sd_change, theirs.sd_change);
        if (ours.n_clinical_pre !== null) {
          expect('n_clinical_pre', ours.n_clinical_pre, theirs.n_clinical_pre);
          expect('n_recovered', ours.n_recovered, theirs.n_recovered);
        }
        if (ours.n_reliable_improvement !== null) {
          expect('n_reliable_improvement', ours.n_reliable_improvement, theirs.n_reliable_improvement);
          expect('n_reliable_deterioration', ours.n_reliable_deterioration, theirs.n_reliable_deterioration);
        }
        if (ours.n_reliable_recovery !== null) expect('n_reliable_recovery', ours.n_reliable_recovery, theirs.n_reliable_recovery);
      }
    }
  });
  return problems;
};
