/**
 * Deterministic synthetic administrations for the report benchmark, generated inside the database over
 * generate_series (no rows cross the wire), with their outcome_score rows written in bulk beside them
 * (derivedSql) instead of by the write path's triggers, which spend most of a million-row load on per-row work
 * the generator knows in advance; a sample is then checked equal to what the real write path writes
 * (writePathCheckSql). Randomness comes from hashint8 of the row's coordinates, not random(): the same
 * family count gives the same rows on every engine and every run, whatever plan the database picks.
 *
 * Shape (per family f): two respondents (mother; father, or carer in every tenth family), each answering four
 * instruments — CORE-10 (CORE-OM in the couple-therapy programme), QMI, SDQ P4-17 about the family's child,
 * BCAP — at pre (97 %), post (80 %) and follow-up (55 %). Twelve families make a group; groups rotate through
 * six sites and three programmes. Scores improve from pre to post with person-level noise, so pairing, the
 * clinical shift and reliable change all have realistic, non-degenerate values; ~2 % of questionnaires are
 * not scorable and ~8 % of BCAP protocols are invalid (lie or random responding).
 */

/** Families needed for about `target` administrations: 2 respondents × 4 instruments × 2.32 timepoints. */
export const familiesFor = (target: number): number => Math.ceil(target / (2 * 4 * 2.32));

// A uniform draw in [0, 1) from a row's coordinates; `salt` separates independent draws for the same row.
const u = (key: string, salt: number): string => `((hashint8((${key}) * 64 + ${salt}) & 2147483647)::float8 / 2147483648.0)`;
// Approximately standard normal (Irwin–Hall with four uniforms, rescaled): enough for synthetic scores.
const z = (key: string, salt: number): string =>
  `((${u(key, salt)} + ${u(key, salt + 1)} + ${u(key, salt + 2)} + ${u(key, salt + 3)} - 2.0) * 1.7320508)`;
const clamp = (expr: string, lo: number, hi: number): string => `least(${hi}, greatest(${lo}, round(${expr})))`;

export const respondentsSql = (organisationId: string, families: number): string => `
INSERT INTO respondent (id, organisation_id, external_ref)
SELECT md5('bench-respondent-' || r)::uuid, '${organisationId}', 'R' || r
FROM generate_series(1, ${2 * families}) AS r`;

/**
 * The generated administrations, into a temporary table (dropped at commit) with their ids: both the
 * administrations and their outcome_score rows are written from it (see loadReportData). Columns computed in
 * layers: unit (respondent × instrument) → timepoint → scores. `limit` trims the total to an exact count (rows
 * come out in generate_series order, so the trim is stable).
 */
export const generatedSql = (organisationId: string, families: number, limit: number): string => `
CREATE TEMP TABLE bench_administration ON COMMIT DROP AS
WITH unit AS (
  SELECT r, k, (r + 1) / 2 AS f, ((r + 1) / 2 - 1) / 12 + 1 AS g, r * 4 + k AS id
  FROM generate_series(1, ${2 * families}) AS r, generate_series(0, 3) AS k
), unit2 AS (
  SELECT unit.*,
    CASE WHEN r % 2 = 1 THEN 'mother' WHEN f % 10 = 0 THEN 'carer' ELSE 'father' END AS role,
    'Site ' || (g % 6 + 1) AS site,
    'G' || lpad(g::text, 5, '0') AS grp,
    (ARRAY['Parents as Partners', 'Parenting Together', 'Couple therapy'])[g % 3 + 1] AS programme,
    CASE k WHEN 0 THEN CASE WHEN g % 3 = 2 THEN 'core-om' ELSE 'core-10' END WHEN 1 THEN 'qmi' WHEN 2 THEN 'sdq-p4-17' ELSE 'bcap' END AS instrument,
    ${z('r * 4 + k', 1)} AS base,          -- the person's severity at pre
    0.3 + 0.9 * ${u('r * 4 + k', 5)} AS gain  -- how much of the typical improvement they make
  FROM unit
), adm AS MATERIALIZED (
  SELECT unit2.*, t,
    (ARRAY['pre', 'post', 'followup'])[t + 1] AS timepoint,
    CASE t WHEN 0 THEN 0.0 WHEN 1 THEN gain ELSE 0.8 * gain END AS effect,
    ${z('id * 3 + t', 9)} AS noise,
    ${u('id * 3 + t', 13)} AS q
  FROM unit2, generate_series(0, 2) AS t
  WHERE ${u('id * 3 + t', 17)} < (ARRAY[0.97, 0.80, 0.55])[t + 1]
), scored AS MATERIALIZED (
  SELECT adm.*,
    CASE instrument
      WHEN 'core-10' THEN jsonb_build_object('total', ${clamp('14 + 7 * base - 5 * effect + 3.5 * noise', 0, 40)})
      WHEN 'core-om' THEN jsonb_build_object(
        'total', ${clamp('13 + 6 * base - 4 * effect + 3 * noise', 0, 40)},
        'non_risk', ${clamp('15 + 6 * base - 4 * effect + 3 * noise', 0, 40)},
        'wellbeing', ${clamp('18 + 7 * base - 5 * effect + 4 * noise', 0, 40)},
        'problems', ${clamp('16 + 7 * base - 4 * effect + 4 * noise', 0, 40)},
        'functioning', ${clamp('14 + 6 * base - 3 * effect + 4 * noise', 0, 40)},
        'risk', ${clamp('2 + 2 * base - 1 * effect + 2 * noise', 0, 40)})
      WHEN 'qmi' THEN jsonb_build_object('total', ${clamp('29 - 7 * base + 4 * effect + 3 * noise', 6, 45)})
      WHEN 'sdq-p4-17' THEN jsonb_build_object(
        'emotional', ${clamp('3.5 + 2.2 * base - 1.0 * effect + 1.2 * noise', 0, 10)},
        'conduct', ${clamp('3 + 2 * base - 0.9 * effect + 1.1 * noise', 0, 10)},
        'hyperactivity', ${clamp('5 + 2.3 * base - 0.8 * effect + 1.3 * noise', 0, 10)},
        'peer', ${clamp('2.5 + 1.8 * base - 0.6 * effect + 1.1 * noise', 0, 10)},
        'prosocial', ${clamp('7 - 1.5 * base + 0.5 * effect + 1.0 * noise', 0, 10)},
        'impact', ${clamp('2.5 + 2 * base - 1.0 * effect + 1.2 * noise', 0, 10)})
      ELSE jsonb_build_object(
        'risk', ${clamp('9 + 5 * base - 3 * effect + 2.5 * noise', 0, 24)},
        'lie', ${clamp('1.5 + 1.3 * noise', 0, 6)},
        'random', ${clamp('0.3 + 0.6 * abs(noise)', 0, 3)})
    END AS s
  FROM adm
), complete AS MATERIALIZED (
  SELECT scored.*,
    CASE WHEN instrument = 'sdq-p4-17'
      THEN s || jsonb_build_object(
        'total', (s->>'emotional')::int + (s->>'conduct')::int + (s->>'hyperactivity')::int + (s->>'peer')::int,
        'externalising', (s->>'conduct')::int + (s->>'hyperactivity')::int,
        'internalising', (s->>'emotional')::int + (s->>'peer')::int)
      ELSE s END AS full_scores
  FROM scored
)
SELECT md5('bench-administration-' || (id * 3 + t))::uuid AS id, '${organisationId}'::uuid AS organisation_id,
  md5('bench-respondent-' || r)::uuid AS respondent_id, role,
  CASE WHEN instrument = 'sdq-p4-17' THEN 'C' || f ELSE '' END AS subject_ref, site, grp, programme, instrument, t, timepoint,
  date '2022-01-01' + (g % 900) + t * 91 AS completed_on,
  CASE WHEN q < 0.02 THEN 'not_scorable' ELSE 'scored' END AS status,
  -- An unscorable questionnaire keeps its keys with null scores, as the scoring engine writes them.
  CASE WHEN q < 0.02 THEN (SELECT jsonb_object_agg(key, null) FROM jsonb_object_keys(full_scores) AS key) ELSE full_scores END AS scores,
  NOT (instrument = 'bcap' AND ((full_scores->>'lie')::int >= 4 OR (full_scores->>'random')::int >= 2)) AS valid
FROM complete
ORDER BY r, k, t
LIMIT ${limit}`;

/** The administrations themselves, from the generated table. */
export const administrationsSql = (): string => `
INSERT INTO administration (id, organisation_id, respondent_id, respondent_role, subject_ref, site, group_label, programme,
  instrument_id, instrument_version, timepoint, completed_on, source, responses, status, scores, bands, flags, valid)
SELECT id, organisation_id, respondent_id, role, subject_ref, site, grp, programme, instrument, 1, timepoint, completed_on,
  'import', '{}'::jsonb, status, scores, '{}'::jsonb, '{}'::text[], valid
FROM bench_administration`;

/**
 * The score shape of each generated instrument (every administration of an instrument has the same keys, null
 * scores included), computed by the database's own outcome_shape over one generated row each.
 */
export const shapesSql = (): string => `
SELECT i.instrument, outcome_shape(i.instrument, (SELECT scores FROM bench_administration b WHERE b.instrument = i.instrument LIMIT 1)) AS shape
FROM (SELECT DISTINCT instrument FROM bench_administration) AS i`;

/**
 * outcome_label and outcome_score in bulk, doing what the write path's triggers (migration 0011) do per statement
 * but with the per-row work lifted out: the shape (and so the key order of the values) is one per instrument,
 * and the labels are inserted once each, not once per row. `shapes` maps each instrument to its shape label
 * ("instrument:key,key,…", from shapesSql). The result is checked equal to the real write path on a sample
 * (checkAgainstWritePathSql).
 */
export const derivedSql = (organisationId: string, shapes: ReadonlyMap<string, string>): string[] => {
  const quote = (text: string): string => `'${text.replace(/'/g, "''")}'`;
  const instruments = [...shapes.keys()];
  const vals = instruments
    .map((instrument) => {
      const label = shapes.get(instrument) ?? '';
      const keys = label.slice(label.indexOf(':') + 1).split(',').filter((key) => key !== '');
      return `WHEN ${quote(instrument)} THEN ARRAY[${keys.map((key) => `(scores ->> ${quote(key)})::float8`).join(', ')}]::float8[]`;
    })
    .join('\n      ');
  const shapeRows = instruments.map((instrument) => `(${quote(instrument)}, ${quote(shapes.get(instrument) ?? '')})`).join(', ');
  return [
    `INSERT INTO outcome_label (organisation_id, kind, label, code)
SELECT '${organisationId}', kind, label, outcome_code(label)
FROM (
  SELECT DISTINCT kind, label FROM (
    SELECT DISTINCT site, grp, programme FROM bench_administration) AS d,
    LATERAL (VALUES ('site', coalesce(site, '')), ('group', grp), ('programme', programme)) AS l(kind, label)
  UNION SELECT 'shape', shape FROM (VALUES ${shapeRows}) AS s(instrument, shape)
) AS labels
ON CONFLICT DO NOTHING`,
    `INSERT INTO outcome_score (administration_id, organisation_id, pair_key, shape, site, grp, programme,
  completed_on, timepoint, role, valid, vals)
SELECT b.id, b.organisation_id,
  md5(concat_ws(chr(31), b.respondent_id::text, b.subject_ref, b.instrument, b.programme, b.grp))::uuid,
  s.code, outcome_code(coalesce(b.site, '')), outcome_code(b.grp), outcome_code(b.programme), b.completed_on, b.t,
  array_position(ARRAY['mother', 'father', 'carer', 'child', 'teacher', 'other'], b.role),
  b.valid,
  CASE b.instrument
      ${vals}
  END
FROM bench_administration b
JOIN (SELECT instrument, outcome_code(shape) AS code FROM (VALUES ${shapeRows}) AS v(instrument, shape)) AS s ON s.instrument = b.instrument`,
  ];
};

/**
 * The check that the bulk derivation equals the real write path: a sample of the generated administrations (by
 * id, which is an md5, so a spread of instruments, timepoints and groups) is deleted — its outcome_score rows go
 * with it — and inserted again as it was, through the ordinary INSERT and its triggers; the outcome_score rows
 * the write path produced must equal the ones derived in bulk, and the labels must not change. Run with the
 * triggers on. The statements leave the sample as the write path wrote it. The last statement returns the
 * differences (rows in one set and not the other) and the label counts.
 */
export const writePathCheckSql = (organisationId: string, sample: number): string[] => [
  `CREATE TEMP TABLE bench_sample ON COMMIT DROP AS
   SELECT * FROM administration WHERE organisation_id = '${organisationId}' ORDER BY id LIMIT ${sample}`,
  `CREATE TEMP TABLE bench_sample_bulk ON COMMIT DROP AS
   SELECT o.* FROM outcome_score o WHERE o.administration_id IN (SELECT id FROM bench_sample)`,
  `CREATE TEMP TABLE bench_labels_bulk ON COMMIT DROP AS
   SELECT kind, label, code FROM outcome_label WHERE organisation_id = '${organisationId}'`,
  `DELETE FROM administration WHERE id IN (SELECT id FROM bench_sample)`,
  `INSERT INTO administration SELECT * FROM bench_sample`,
  `SELECT
     (SELECT count(*) FROM bench_sample)::int AS sampled,
     (SELECT count(*) FROM bench_sample_bulk)::int AS bulk_rows,
     (SELECT count(*) FROM (SELECT * FROM bench_sample_bulk EXCEPT ALL
        SELECT o.* FROM outcome_score o WHERE o.administration_id IN (SELECT id FROM bench_sample)) AS d)::int AS only_bulk,
     (SELECT count(*) FROM (SELECT o.* FROM outcome_score o WHERE o.administration_id IN (SELECT id FROM bench_sample) EXCEPT ALL
        SELECT * FROM bench_sample_bulk) AS d)::int AS only_write_path,
     (SELECT count(*) FROM (SELECT kind, label, code FROM outcome_label WHERE organisation_id = '${organisationId}' EXCEPT ALL
        SELECT * FROM bench_labels_bulk) AS d)::int AS labels_added`,
];
