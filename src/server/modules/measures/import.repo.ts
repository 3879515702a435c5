import { sql } from 'kysely';
import type { Trx } from '../../db.ts';
import type { RespondentRole, Timepoint } from './measures.tables.ts';

/* Queries for the CSV import: rows in, rows out, no rules. All of them run in the import's one transaction. */

export type BatchCounts = { rowsTotal: number; rowsImported: number; rowsUnchanged: number; rowsRejected: number };

export const insertImportBatch = async (
  trx: Trx,
  values: { organisationId: string; fileName: string; fileSha256: string; importedBy: string | null } & BatchCounts,
): Promise<string> => {
  const row = await trx.insertInto('importBatch').values(values).returning(['id']).executeTakeFirstOrThrow();
  return row.id;
};

export const finishImportBatch = async (trx: Trx, id: string, counts: BatchCounts): Promise<void> => {
  await trx.updateTable('importBatch').set(counts).where('id', '=', id).execute();
};

/**
 * Makes sure every reference has a respondent and returns reference → id. New ones are inserted with ON CONFLICT
 * DO NOTHING (a concurrent import adding the same person waits on the unique index, then skips), and the ids are
 * read back afterwards: at READ COMMITTED that second statement sees the other import's committed rows.
 */
export const upsertRespondents = async (trx: Trx, organisationId: string, refs: readonly string[], chunk = 20_000): Promise<Map<string, string>> => {
  const ids = new Map<string, string>();
  for (let start = 0; start < refs.length; start += chunk) {
    const part = refs.slice(start, start + chunk);
    await sql`INSERT INTO respondent (organisation_id, external_ref)
              SELECT ${organisationId}::uuid, ref FROM unnest(${part}::text[]) AS ref
              ON CONFLICT (organisation_id, external_ref) DO NOTHING`.execute(trx);
    const found = await trx
      .selectFrom('respondent')
      .select(['id', 'externalRef'])
      .where('organisationId', '=', organisationId)
      .where(sql<boolean>`external_ref = ANY(${part}::text[])`)
      .execute();
    for (const row of found) ids.set(row.externalRef, row.id);
  }
  return ids;
};

/** An administration entered in the app (a parent's link or a paper form) whose respondent appears in the file. */
export type AppEnteredAdministration = {
  externalRef: string;
  subjectRef: string;
  instrumentId: string;
  timepoint: string;
  programme: string;
  groupLabel: string;
  source: 'link' | 'paper';
  completedOn: string;
};

/**
 * The organisation's administrations that did not come from an import, for the respondents named in the file. Only
 * these can collide with an imported row and must not be replaced by one; the partial index of migration 0014 holds
 * just them, so this stays cheap however many imported administrations there are.
 */
export const appEnteredAdministrations = async (trx: Trx, organisationId: string, refs: readonly string[]): Promise<AppEnteredAdministration[]> => {
  const { rows } = await sql<AppEnteredAdministration>`
    SELECT r.external_ref, a.subject_ref, a.instrument_id, a.timepoint, a.programme, a.group_label, a.source, a.completed_on
    FROM administration a JOIN respondent r ON r.id = a.respondent_id
    WHERE a.organisation_id = ${organisationId}::uuid AND a.source <> 'import' AND r.external_ref = ANY(${refs}::text[])`.execute(trx);
  return rows;
};

/** What one staged line carries: an administration ready to store, its respondent already resolved to an id. */
export type StagedAdministration = {
  respondentId: string;
  respondentRole: RespondentRole;
  subjectRef: string;
  familyRef: string | null;
  site: string | null;
  groupLabel: string;
  programme: string;
  instrumentId: string;
  instrumentVersion: number;
  timepoint: Timepoint;
  completedOn: string;
  responses: Record<string, number | null>;
  status: 'scored' | 'not_scorable';
  scores: Record<string, number | null>;
  bands: Record<string, string>;
  flags: string[];
  valid: boolean;
  /** Its outcome_score row's values that do not come from the stored row itself (import-outcome.ts). */
  outcome: { pairKey: string; shape: number; site: number; group: number; programme: number; vals: string };
};

export type OutcomeLabelKind = 'site' | 'group' | 'programme' | 'shape';

/**
 * Stores the outcome_label rows of an import's distinct labels (those already there are kept) and returns each
 * label's code, "kind:label" → code. The codes are outcome_code(label), the function the triggers use, computed once
 * per distinct label instead of once per row; they are 53-bit integers, exact as JS numbers.
 */
export const storeOutcomeLabels = async (
  trx: Trx,
  organisationId: string,
  labels: readonly { kind: OutcomeLabelKind; label: string }[],
): Promise<Map<string, number>> => {
  const { rows } = await sql<{ kind: string; label: string; code: number }>`
    WITH wanted AS (SELECT w.kind, w.label, outcome_code(w.label) AS code
                    FROM unnest(${labels.map((l) => l.kind)}::text[], ${labels.map((l) => l.label)}::text[]) AS w(kind, label)),
    stored AS (INSERT INTO outcome_label (organisation_id, kind, label, code)
               SELECT ${organisationId}::uuid, kind, label, code FROM wanted ON CONFLICT DO NOTHING)
    SELECT kind, label, code FROM wanted`.execute(trx);
  return new Map(rows.map((row) => [`${row.kind}:${row.label}`, Number(row.code)]));
};

/**
 * While on, migration 0026's trigger function leaves outcome_label and outcome_score to the statement that wrote the
 * administrations. Transaction-local: a rollback or the end of the transaction clears it whatever happens here; the
 * import turns it off again before it writes anything other than its chunks.
 */
export const setOutcomeWrittenByStatement = async (trx: Trx, on: boolean): Promise<void> => {
  await sql`SELECT set_config('tandem.outcome_written_by_statement', ${on ? 'on' : ''}, true)`.execute(trx);
};

/*
 * The staging format: one line per administration, fields separated by a tab, NULL written as U+0001. The server
 * splits it with string_to_table / string_to_array, which both engines do in C, far faster than binding one array
 * per column (measured on PostgreSQL: 100,000 rows in ~1.5 s split vs ~15 s through unnest of 17 bound arrays).
 * The JSON texts have their control characters escaped by JSON.stringify and the other fields are from known sets
 * of values; only a reference or label can hold a tab, a line break or U+0001 (a quoted cell may), and such a row
 * travels instead as a JSON array of its fields, which costs more to read but needs no escaping scheme of our own.
 */
const FIELD = '\t';
const NULL_FIELD = '\u0001';
const NEEDS_ESCAPING = /[\t\n\u0001]/;

/** Rows ready for one upsertAdministrations statement. */
export type StagedChunk = { lines: string[]; escaped: (string | null)[][] };

export const newChunk = (): StagedChunk => ({ lines: [], escaped: [] });

/** A text[] literal; flag keys are plain words, quoted anyway so a definition can never break the literal. */
const textArray = (values: readonly string[]): string =>
  values.length === 0 ? '{}' : `{${values.map((value) => `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;

export const stage = (chunk: StagedChunk, a: StagedAdministration): void => {
  const fields = [
    a.respondentId,
    a.respondentRole,
    a.subjectRef,
    a.familyRef,
    a.site,
    a.groupLabel,
    a.programme,
    a.instrumentId,
    String(a.instrumentVersion),
    a.timepoint,
    a.completedOn,
    JSON.stringify(a.responses),
    a.status,
    JSON.stringify(a.scores),
    JSON.stringify(a.bands),
    textArray(a.flags),
    a.valid ? 't' : 'f',
    a.outcome.pairKey,
    String(a.outcome.shape),
    String(a.outcome.site),
    String(a.outcome.group),
    String(a.outcome.programme),
    a.outcome.vals,
  ];
  const escape =
    NEEDS_ESCAPING.test(a.subjectRef) ||
    NEEDS_ESCAPING.test(a.familyRef ?? '') ||
    NEEDS_ESCAPING.test(a.site ?? '') ||
    NEEDS_ESCAPING.test(a.groupLabel) ||
    NEEDS_ESCAPING.test(a.programme);
  if (escape) chunk.escaped.push(fields);
  else chunk.lines.push(fields.map((field) => field ?? NULL_FIELD).join(FIELD));
};

/**
 * One INSERT … ON CONFLICT for a whole chunk of staged lines (see stage), on the identity key (the unique index
 * administration_identity_key). The lines are split on the server, so the statement has five parameters however
 * many rows it carries.
 *
 * A row that matches a stored administration in everything the file carries (and in the scores, so a scoring
 * fix is picked up by re-importing) is left alone: the WHERE of DO UPDATE is false, so it is neither written nor
 * returned. A row that differs replaces the stored content and bumps version. An administration entered in the app
 * (source link or paper) is never replaced: the service refuses such rows before this runs, and the source test in
 * the WHERE keeps one submitted in the meantime safe too. Inserted rows come back with version 1, updated ones with
 * a higher version, and only their counts leave the server; whatever is not returned was unchanged.
 *
 * The OFFSET 0 keeps the planner from pulling the split up into the select above it: pulled up, every s.f[n] repeats
 * string_to_array over the whole line, one split per field instead of one per row (about a tenth of the scan's CPU
 * on PGlite, measured A/B on 10,000 rows).
 *
 * The same statement writes each written row's outcome_score (the report's copy, ADR 0006) from the values staged
 * with it, joined back on the identity key, while migration 0026 has the triggers step aside (see
 * setOutcomeWrittenByStatement): the triggers would derive the same values again from the stored jsonb, row by row.
 * Rows left unchanged are not returned, so their outcome rows are not touched either.
 *
 * Rows are inserted in the order they were staged (a function scan keeps it; the rare escaped rows come last):
 * callers stage them sorted by identity key, so two imports touching the same administrations lock them in the same
 * order and wait for each other instead of deadlocking.
 */
export const upsertAdministrations = async (
  trx: Trx,
  batch: { organisationId: string; importBatchId: string; createdBy: string | null },
  chunk: StagedChunk,
): Promise<{ inserted: number; updated: number }> => {
  if (chunk.lines.length === 0 && chunk.escaped.length === 0) return { inserted: 0, updated: 0 };
  // A null text makes string_to_table return no rows; '' would be one empty row.
  const lines = chunk.lines.length === 0 ? null : chunk.lines.join('\n');
  const { rows: counted } = await sql<{ inserted: number; written: number }>`
    WITH staged AS MATERIALIZED (
      SELECT s.f[1]::uuid AS respondent_id, s.f[2] AS respondent_role, s.f[3] AS subject_ref, s.f[4] AS family_ref,
             s.f[5] AS site, s.f[6] AS group_label, s.f[7] AS programme, s.f[8] AS instrument_id,
             s.f[9]::integer AS instrument_version, s.f[10] AS timepoint, s.f[11]::date AS completed_on,
             s.f[12]::jsonb AS responses, s.f[13] AS status, s.f[14]::jsonb AS scores, s.f[15]::jsonb AS bands,
             s.f[16]::text[] AS flags, s.f[17]::boolean AS valid, s.f[18]::uuid AS pair_key, s.f[19]::bigint AS shape_code,
             s.f[20]::bigint AS site_code, s.f[21]::bigint AS group_code, s.f[22]::bigint AS programme_code,
             s.f[23]::float8[] AS vals
      FROM (SELECT * FROM (
              SELECT string_to_array(l.line, ${FIELD}::text, ${NULL_FIELD}::text) AS f FROM string_to_table(${lines}::text, E'\n') AS l(line)
              UNION ALL
              SELECT ARRAY(SELECT json_array_elements_text(e.row)) FROM json_array_elements(${JSON.stringify(chunk.escaped)}::json) AS e(row)) AS u
            OFFSET 0) AS s),
    written AS (
      INSERT INTO administration AS a (
        organisation_id, respondent_id, respondent_role, subject_ref, family_ref, site, group_label, programme,
        instrument_id, instrument_version, timepoint, completed_on, source, responses, status, scores, bands, flags,
        valid, import_batch_id, created_by)
      SELECT ${batch.organisationId}::uuid, respondent_id, respondent_role, subject_ref, family_ref, site, group_label, programme,
             instrument_id, instrument_version, timepoint, completed_on, 'import', responses, status, scores, bands, flags,
             valid, ${batch.importBatchId}::uuid, ${batch.createdBy}::uuid
      FROM staged
      ON CONFLICT (organisation_id, respondent_id, subject_ref, instrument_id, timepoint, programme, group_label)
      DO UPDATE SET
        respondent_role = excluded.respondent_role, family_ref = excluded.family_ref, site = excluded.site,
        completed_on = excluded.completed_on, instrument_version = excluded.instrument_version,
        responses = excluded.responses, status = excluded.status, scores = excluded.scores, bands = excluded.bands,
        flags = excluded.flags, valid = excluded.valid, import_batch_id = excluded.import_batch_id,
        version = a.version + 1, updated_at = now()
      WHERE a.source = 'import'
        AND (a.respondent_role, a.family_ref, a.site, a.completed_on, a.instrument_version, a.responses, a.status,
             a.scores, a.bands, a.flags, a.valid)
            IS DISTINCT FROM
            (excluded.respondent_role, excluded.family_ref, excluded.site, excluded.completed_on, excluded.instrument_version,
             excluded.responses, excluded.status, excluded.scores, excluded.bands, excluded.flags, excluded.valid)
      RETURNING a.id, a.version, a.respondent_id, a.subject_ref, a.instrument_id, a.timepoint, a.programme, a.group_label,
                a.completed_on, a.respondent_role, a.valid),
    derived AS (
      -- What migration 0011's outcome_score_write() would derive from the written rows (it steps aside meanwhile).
      INSERT INTO outcome_score AS o (administration_id, organisation_id, pair_key, shape, site, grp, programme,
        completed_on, timepoint, role, valid, vals)
      SELECT w.id, ${batch.organisationId}::uuid, s.pair_key, s.shape_code, s.site_code, s.group_code, s.programme_code, w.completed_on,
        array_position(ARRAY['pre', 'post', 'followup'], w.timepoint) - 1,
        array_position(ARRAY['mother', 'father', 'carer', 'child', 'teacher', 'other'], w.respondent_role),
        w.valid, s.vals
      FROM written w JOIN staged s
        ON s.respondent_id = w.respondent_id AND s.subject_ref = w.subject_ref AND s.instrument_id = w.instrument_id
       AND s.timepoint = w.timepoint AND s.programme = w.programme AND s.group_label = w.group_label
      ON CONFLICT (administration_id) DO UPDATE SET
        pair_key = excluded.pair_key, shape = excluded.shape, site = excluded.site, grp = excluded.grp,
        programme = excluded.programme, completed_on = excluded.completed_on, timepoint = excluded.timepoint,
        role = excluded.role, valid = excluded.valid, vals = excluded.vals)
    SELECT count(*) FILTER (WHERE version = 1) AS inserted, count(*) AS written FROM written`.execute(trx);
  const inserted = Number(counted[0]?.inserted ?? 0);
  return { inserted, updated: Number(counted[0]?.written ?? 0) - inserted };
};
