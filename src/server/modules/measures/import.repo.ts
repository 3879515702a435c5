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
export const upsertRespondents = async (trx: Trx, organisationId: string, refs: readonly string[], chunk = 5000): Promise<Map<string, string>> => {
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

export type AdministrationValues = {
  organisationId: string;
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
  importBatchId: string;
  createdBy: string | null;
};

/**
 * One INSERT … ON CONFLICT per batch on the identity key (the unique index administration_identity_key). The rows
 * travel as one array per column and are unnested on the server: 21 parameters per statement however many rows,
 * which costs far less to build and bind than a VALUES list of 21 parameters per row (measured on PGlite: the
 * VALUES form spent as long in JavaScript as in the database).
 *
 * A row that matches a stored administration in everything the file carries (and in the scores, so a scoring
 * fix is picked up by re-importing) is left alone: the WHERE of DO UPDATE is false, so it is neither written nor
 * returned. A row that differs replaces the stored content and bumps version. Inserted rows come back with
 * version 1, updated ones with a higher version, and only their counts leave the server; whatever is not returned
 * was unchanged.
 */
export const upsertAdministrations = async (trx: Trx, rows: readonly AdministrationValues[]): Promise<{ inserted: number; updated: number }> => {
  if (rows.length === 0) return { inserted: 0, updated: 0 };
  // Short keys: the batch is one JSON text (parsed by the server in one go), and 21 long names × 1000 rows add up.
  const payload = JSON.stringify(
    rows.map((row) => ({
      p: row.respondentId,
      r: row.respondentRole,
      s: row.subjectRef,
      f: row.familyRef,
      t: row.site,
      g: row.groupLabel,
      m: row.programme,
      i: row.instrumentId,
      v: row.instrumentVersion,
      w: row.timepoint,
      d: row.completedOn,
      a: row.responses,
      u: row.status,
      c: row.scores,
      b: row.bands,
      l: row.flags,
      k: row.valid,
    })),
  );
  const { rows: counted } = await sql<{ inserted: number; written: number }>`
    WITH written AS (
    INSERT INTO administration AS a (
      organisation_id, respondent_id, respondent_role, subject_ref, family_ref, site, group_label, programme,
      instrument_id, instrument_version, timepoint, completed_on, source, responses, status, scores, bands, flags,
      valid, import_batch_id, created_by)
    SELECT ${rows[0]?.organisationId}::uuid, p, r, s, f, t, g, m, i, v, w, d, 'import', a, u, c, b, l, k,
           ${rows[0]?.importBatchId}::uuid, ${rows[0]?.createdBy ?? null}::uuid
    FROM json_to_recordset(${payload}::json)
      AS x(p uuid, r text, s text, f text, t text, g text, m text, i text, v integer, w text, d date,
           a jsonb, u text, c jsonb, b jsonb, l text[], k boolean)
    ON CONFLICT (organisation_id, respondent_id, subject_ref, instrument_id, timepoint, programme, group_label)
    DO UPDATE SET
      respondent_role = excluded.respondent_role, family_ref = excluded.family_ref, site = excluded.site,
      completed_on = excluded.completed_on, instrument_version = excluded.instrument_version,
      responses = excluded.responses, status = excluded.status, scores = excluded.scores, bands = excluded.bands,
      flags = excluded.flags, valid = excluded.valid, import_batch_id = excluded.import_batch_id,
      version = a.version + 1, updated_at = now()
    WHERE (a.respondent_role, a.family_ref, a.site, a.completed_on, a.instrument_version, a.responses, a.status,
           a.scores, a.bands, a.flags, a.valid)
          IS DISTINCT FROM
          (excluded.respondent_role, excluded.family_ref, excluded.site, excluded.completed_on, excluded.instrument_version,
           excluded.responses, excluded.status, excluded.scores, excluded.bands, excluded.flags, excluded.valid)
    RETURNING a.version)
    SELECT count(*) FILTER (WHERE version = 1) AS inserted, count(*) AS written FROM written`.execute(trx);
  const inserted = Number(counted[0]?.inserted ?? 0);
  return { inserted, updated: Number(counted[0]?.written ?? 0) - inserted };
};
