import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { checkImportFile, getBuiltInInstrument, importAdministrations, scoreAdministration, type ImportContext } from '../../src/server/modules/measures/index.ts';
import { inScope } from '../../src/server/platform/db/scope.ts';
import { engineName } from '../setup/engines.ts';
import { createOrgWithStaff, signIn, startTestApp, type Session, type TestContext, type TestOrg } from '../setup/harness.ts';
import { importHeader, syntheticRows, toCsv, type CsvRow } from '../setup/import-csv.ts';

const TODAY = '2024-06-30';
const options = { skipInvalid: false, dryRun: false } as const;

describe(`CSV import of administrations on ${engineName()}`, () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await startTestApp();
  });
  afterAll(async () => ctx?.close());

  const contextFor = (org: TestOrg): ImportContext => ({ organisationId: org.id, userId: null, ip: null, via: 'command line' });
  const fileOf = (rows: readonly CsvRow[], name = 'test.csv') => checkImportFile(name, toCsv(rows), TODAY);

  /*
   * jsonb columns are read as text and parsed here: Kysely's CamelCasePlugin also renames keys inside jsonb values
   * on the way out (risk_min → riskMin, total_4band → total4band), which would hide what is really stored.
   */
  const json = <T>(column: string) => sql<T>`${sql.ref(column)}::text`;
  type JsonColumns = { responses: string; scores: string; bands: string };
  const parseJson = <T extends JsonColumns>(row: T) => ({
    ...row,
    responses: JSON.parse(row.responses) as Record<string, number | null>,
    scores: JSON.parse(row.scores) as Record<string, number | null>,
    bands: JSON.parse(row.bands) as Record<string, string>,
  });

  /** What is stored for an organisation: administrations (by respondent reference), respondents, batches, audit rows. */
  const stored = async (org: TestOrg) =>
    inScope(ctx.db.db, { organisationId: org.id, userId: null }, async (trx) => ({
      administrations: (await trx
        .selectFrom('administration')
        .innerJoin('respondent', 'respondent.id', 'administration.respondentId')
        .select([
          'respondent.externalRef',
          'administration.subjectRef',
          'administration.instrumentId',
          'administration.timepoint',
          'administration.completedOn',
          json<string>('administration.responses').as('responses'),
          'administration.status',
          json<string>('administration.scores').as('scores'),
          json<string>('administration.bands').as('bands'),
          'administration.flags',
          'administration.valid',
          'administration.version',
          'administration.source',
          'administration.updatedAt',
        ])
        .orderBy('respondent.externalRef')
        .orderBy('administration.instrumentId')
        .orderBy('administration.timepoint')
        .execute()).map(parseJson),
      respondents: (await trx.selectFrom('respondent').select(['externalRef']).execute()).length,
      batches: await trx.selectFrom('importBatch').selectAll().orderBy('createdAt').execute(),
      audit: await trx.selectFrom('auditEvent').select(['action', 'entityType', 'entityId', 'detail']).where('action', '=', 'import:administration').execute(),
    }));

  it('imports a good file and stores the scores the engine gives for each row', async () => {
    const org = await createOrgWithStaff(ctx, 'Import good');
    const rows = syntheticRows(48);
    const outcome = await importAdministrations(ctx.db.db, contextFor(org), fileOf(rows), options);
    expect(outcome).toMatchObject({ status: 'imported', rowsTotal: 48, inserted: 48, updated: 0, unchanged: 0, rejected: 0, problems: [] });

    const after = await stored(org);
    expect(after.administrations).toHaveLength(48);
    expect(after.respondents).toBe(new Set(rows.map((row) => row.respondent_id)).size);
    for (const row of rows) {
      const found = after.administrations.find(
        (a) => a.externalRef === row.respondent_id && a.instrumentId === row.instrument && a.timepoint === row.timepoint,
      );
      const instrument = getBuiltInInstrument(row.instrument ?? '');
      if (!found || !instrument) throw new Error(`not stored: ${JSON.stringify(row)}`);
      const expected = scoreAdministration(instrument, found.responses);
      expect(found).toMatchObject({
        status: expected.status,
        scores: expected.scores,
        bands: expected.bands,
        flags: expected.flags,
        valid: expected.valid,
        version: 1,
        source: 'import',
        subjectRef: row.child_id ?? '',
        completedOn: row.completed_on,
      });
      // Every item of the instrument is stored, null where the cell was empty.
      expect(found.responses).toEqual(Object.fromEntries(instrument.items.map((item) => [item.key, row.items?.[item.key] ?? null])));
    }
    expect(after.batches).toHaveLength(1);
    expect(after.batches[0]).toMatchObject({ rowsTotal: 48, rowsImported: 48, rowsUnchanged: 0, rowsRejected: 0, fileName: 'test.csv' });
    expect(after.audit).toEqual([
      {
        action: 'import:administration',
        entityType: 'import_batch',
        entityId: outcome.batchId,
        detail: expect.objectContaining({ rowsTotal: 48, inserted: 48, updated: 0, unchanged: 0, rejected: 0, via: 'command line' }) as object,
      },
    ]);
  });

  it('changes nothing when the same file is imported again, and updates (version + 1) only a row whose answers changed', async () => {
    const org = await createOrgWithStaff(ctx, 'Import twice');
    const rows = syntheticRows(30);
    await importAdministrations(ctx.db.db, contextFor(org), fileOf(rows), options);
    const first = await stored(org);

    const again = await importAdministrations(ctx.db.db, contextFor(org), fileOf(rows), options);
    expect(again).toMatchObject({ status: 'imported', inserted: 0, updated: 0, unchanged: 30 });
    const second = await stored(org);
    expect(second.administrations).toEqual(first.administrations);
    expect(second.respondents).toBe(first.respondents);

    const changed = rows.map((row, index) => (index === 0 ? { ...row, items: { ...row.items, 1: row.items?.[1] === 1 ? 0 : 1 } } : row));
    const third = await importAdministrations(ctx.db.db, contextFor(org), fileOf(changed), options);
    expect(third).toMatchObject({ inserted: 0, updated: 1, unchanged: 29 });
    const after = await stored(org);
    const row = changed[0];
    const updated = after.administrations.find((a) => a.externalRef === row?.respondent_id && a.instrumentId === row?.instrument && a.timepoint === row?.timepoint);
    expect(updated?.version).toBe(2);
    expect(updated?.responses['1']).toBe(row?.items?.[1]);
    expect(after.administrations.filter((a) => a.version === 1)).toHaveLength(29);
    // Each import is its own batch and its own audit row, even when it changed nothing.
    expect(after.batches.map((b) => [b.rowsImported, b.rowsUnchanged])).toEqual([
      [30, 0],
      [0, 30],
      [1, 29],
    ]);
    expect(after.audit).toHaveLength(3);
  });

  it('writes the outcome_score and outcome_label rows the triggers would have derived, for new and for changed rows', async () => {
    const org = await createOrgWithStaff(ctx, 'Import outcome rows');
    const rows = syntheticRows(60).map((row, index) => (index === 3 ? { ...row, site: 'Café, "upstairs"', group: '' } : index === 7 ? { ...row, programme: '' } : row));
    await importAdministrations(ctx.db.db, contextFor(org), fileOf(rows), options);
    // Changed answers for two rows: they are updated, and so must their outcome rows be.
    const changed = rows.map((row, index) => (index < 2 ? { ...row, items: Object.fromEntries(Object.entries(row.items ?? {}).map(([key]) => [key, null])) } : row));
    const again = await importAdministrations(ctx.db.db, contextFor(org), fileOf(changed), options);
    expect(again).toMatchObject({ updated: 2, unchanged: 58 });

    const compared = await inScope(ctx.db.db, { organisationId: org.id, userId: null }, async (trx) => {
      // Migration 0011's derivation, run over the stored administrations.
      const derived = sql`
        SELECT id AS administration_id, organisation_id,
          md5(concat_ws(chr(31), respondent_id::text, subject_ref, instrument_id, programme, group_label))::uuid AS pair_key,
          outcome_code(outcome_shape(instrument_id, scores)) AS shape, outcome_code(coalesce(site, '')) AS site,
          outcome_code(group_label) AS grp, outcome_code(programme) AS programme, completed_on,
          (array_position(ARRAY['pre', 'post', 'followup'], timepoint) - 1)::smallint AS timepoint,
          array_position(ARRAY['mother', 'father', 'carer', 'child', 'teacher', 'other'], respondent_role)::smallint AS role,
          valid, ARRAY(SELECT e.value::float8 FROM jsonb_each_text(scores) AS e) AS vals
        FROM administration`;
      const stored = sql`SELECT administration_id, organisation_id, pair_key, shape, site, grp, programme, completed_on, timepoint, role, valid, vals FROM outcome_score`;
      const missing = await sql<{ n: number }>`SELECT count(*)::int AS n FROM (${derived} EXCEPT ${stored}) d`.execute(trx);
      const extra = await sql<{ n: number }>`SELECT count(*)::int AS n FROM (${stored} EXCEPT ${derived}) d`.execute(trx);
      const labels = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM (
          SELECT DISTINCT kind, label, outcome_code(label) AS code FROM administration,
            LATERAL (VALUES ('site', coalesce(site, '')), ('group', group_label), ('programme', programme),
              ('shape', outcome_shape(instrument_id, scores))) AS l(kind, label)
          EXCEPT SELECT kind, label, code FROM outcome_label) m`.execute(trx);
      const scored = await sql<{ n: number }>`SELECT count(*)::int AS n FROM outcome_score`.execute(trx);
      return { missing: missing.rows[0]?.n, extra: extra.rows[0]?.n, labelsMissing: labels.rows[0]?.n, scored: scored.rows[0]?.n };
    });
    expect(compared).toEqual({ missing: 0, extra: 0, labelsMissing: 0, scored: 60 });
  });

  it('refuses a file with bad rows: writes nothing, and lists every bad row with its line and column', async () => {
    const org = await createOrgWithStaff(ctx, 'Import bad');
    const rows: CsvRow[] = syntheticRows(10);
    const bad = rows.map((row, index) => {
      if (index === 2) return { ...row, timepoint: 'mid' };
      if (index === 5) return { ...row, instrument: 'core-99' };
      if (index === 7) return { ...row, completed_on: '2024-02-30' };
      return row;
    });
    const outcome = await importAdministrations(ctx.db.db, contextFor(org), fileOf(bad), options);
    expect(outcome.status).toBe('refused');
    expect(outcome.problems.map((p) => [p.line, p.column])).toEqual([
      [4, 'timepoint'],
      [7, 'instrument'],
      [9, 'completed_on'],
    ]);
    const after = await stored(org);
    expect(after).toMatchObject({ administrations: [], respondents: 0, batches: [], audit: [] });
  });

  it('with skipInvalid, imports the good rows and reports the rejected ones', async () => {
    const org = await createOrgWithStaff(ctx, 'Import skip');
    const rows = syntheticRows(10).map((row, index) => (index === 1 ? { ...row, items: { ...row.items, 2: 9 } } : row));
    const outcome = await importAdministrations(ctx.db.db, contextFor(org), fileOf(rows), { skipInvalid: true, dryRun: false });
    expect(outcome).toMatchObject({ status: 'imported', rowsTotal: 10, inserted: 9, rejected: 1 });
    expect(outcome.rejectedRows.map((row) => row.line)).toEqual([3]);
    expect(outcome.problems).toEqual([{ line: 3, column: 'item_2', message: expect.stringMatching(/^9 is out of range/) as string }]);
    const after = await stored(org);
    expect(after.administrations).toHaveLength(9);
    expect(after.batches[0]).toMatchObject({ rowsTotal: 10, rowsImported: 9, rowsRejected: 1 });
  });

  it('leaves nothing behind when the transaction fails part-way', async () => {
    const org = await createOrgWithStaff(ctx, 'Import crash');
    const file = fileOf(syntheticRows(30));
    let batches = 0;
    const crash = importAdministrations(ctx.db.db, contextFor(org), file, {
      ...options,
      batchSize: 10,
      onProgress: () => {
        batches += 1;
        if (batches === 2) throw new Error('simulated crash after two statements');
      },
    });
    await expect(crash).rejects.toThrow(/simulated crash/);
    expect(await stored(org)).toMatchObject({ administrations: [], respondents: 0, batches: [], audit: [] });
  });

  it('does not duplicate when two imports of one file run at once', async () => {
    const org = await createOrgWithStaff(ctx, 'Import race');
    const rows = syntheticRows(200);
    const results = await Promise.all([
      importAdministrations(ctx.db.db, contextFor(org), fileOf(rows, 'a.csv'), { ...options, batchSize: 50 }),
      importAdministrations(ctx.db.db, contextFor(org), fileOf(rows, 'b.csv'), { ...options, batchSize: 50 }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['imported', 'imported']);
    // Between them every row was inserted exactly once; the other import found it already there.
    expect(results.reduce((sum, r) => sum + r.inserted, 0)).toBe(200);
    expect(results.reduce((sum, r) => sum + r.unchanged, 0)).toBe(200);
    const after = await stored(org);
    expect(after.administrations).toHaveLength(200);
    expect(after.respondents).toBe(new Set(rows.map((row) => row.respondent_id)).size);
    const keys = after.administrations.map((a) => `${a.externalRef}|${a.subjectRef}|${a.instrumentId}|${a.timepoint}`);
    expect(new Set(keys).size).toBe(200);
  });

  it('never replaces an administration entered in the app: the colliding row is refused with its line, or left out with skipInvalid', async () => {
    const org = await createOrgWithStaff(ctx, 'Import vs app');
    const rows = syntheticRows(6);
    const paperRow = rows[1];
    if (!paperRow) throw new Error('no row');
    const instrument = getBuiltInInstrument(paperRow.instrument ?? '');
    if (!instrument) throw new Error('no instrument');
    // What storeAdministration writes for a paper form: the same identity key as line 3 of the file.
    const responses = Object.fromEntries(instrument.items.map((item) => [item.key, item.options[0]?.value ?? null]));
    const result = scoreAdministration(instrument, responses);
    await inScope(ctx.db.db, { organisationId: org.id, userId: null }, async (trx) => {
      const respondent = await trx.insertInto('respondent').values({ organisationId: org.id, externalRef: paperRow.respondent_id ?? '' }).returning('id').executeTakeFirstOrThrow();
      await trx
        .insertInto('administration')
        .values({
          organisationId: org.id,
          respondentId: respondent.id,
          respondentRole: 'mother',
          subjectRef: paperRow.child_id ?? '',
          programme: paperRow.programme ?? '',
          groupLabel: paperRow.group ?? '',
          instrumentId: instrument.id,
          instrumentVersion: 1,
          timepoint: 'pre',
          completedOn: '2023-01-01',
          source: 'paper',
          responses: JSON.stringify(responses),
          status: result.status,
          scores: JSON.stringify(result.scores),
          bands: JSON.stringify(result.bands),
          flags: result.flags,
          valid: result.valid,
        })
        .execute();
    });
    const before = await stored(org);

    const refused = await importAdministrations(ctx.db.db, contextFor(org), fileOf(rows), options);
    expect(refused).toMatchObject({ status: 'refused', batchId: null, rejected: 1, inserted: 0 });
    expect(refused.problems).toEqual([
      {
        line: 3,
        column: '(row)',
        message: expect.stringMatching(new RegExp(`^${instrument.id} at pre for ${paperRow.respondent_id}.*already entered in Tandem from a paper form.*leave this row out$`)) as string,
      },
    ]);
    expect(await stored(org)).toEqual(before);

    const preview = await importAdministrations(ctx.db.db, contextFor(org), fileOf(rows), { skipInvalid: false, dryRun: true });
    expect(preview).toMatchObject({ status: 'preview', inserted: 5, rejected: 1 });
    expect(await stored(org)).toEqual(before);

    const skipped = await importAdministrations(ctx.db.db, contextFor(org), fileOf(rows), { skipInvalid: true, dryRun: false });
    expect(skipped).toMatchObject({ status: 'imported', inserted: 5, updated: 0, unchanged: 0, rejected: 1 });
    // The rejected row comes back as cells under the file's header, so a rejected-rows file can be corrected and re-imported.
    expect(skipped.rejectedRows).toHaveLength(1);
    expect(skipped.rejectedRows[0]?.cells.slice(0, 3)).toEqual([paperRow.respondent_id, paperRow.respondent_role, paperRow.child_id]);
    const after = await stored(org);
    const paper = after.administrations.filter((a) => a.source === 'paper');
    expect(paper).toEqual(before.administrations);
    expect(after.administrations.filter((a) => a.source === 'import')).toHaveLength(5);
    expect(after.batches[0]).toMatchObject({ rowsTotal: 6, rowsImported: 5, rowsRejected: 1 });
  });

  it('stores labels with commas, quotes, tabs and line breaks exactly, and re-importing them changes nothing', async () => {
    const org = await createOrgWithStaff(ctx, 'Import labels');
    const rows = syntheticRows(8).map((row, index) =>
      index === 2 ? { ...row, group: 'Tuesday\tgroup "B"', site: 'North,\nupstairs' } : index === 5 ? { ...row, family_id: 'F\\1' } : row,
    );
    const first = await importAdministrations(ctx.db.db, contextFor(org), fileOf(rows), options);
    expect(first).toMatchObject({ status: 'imported', inserted: 8 });
    const labels = await inScope(ctx.db.db, { organisationId: org.id, userId: null }, (trx) =>
      trx.selectFrom('administration').select(['site', 'groupLabel', 'familyRef']).where('groupLabel', 'like', 'Tuesday%').execute(),
    );
    expect(labels).toEqual([{ site: 'North,\nupstairs', groupLabel: 'Tuesday\tgroup "B"', familyRef: rows[2]?.family_id }]);
    const again = await importAdministrations(ctx.db.db, contextFor(org), fileOf(rows), options);
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 8 });
  });

  describe('POST /api/measures/imports', () => {
    let org: TestOrg;
    let session: Session;
    beforeAll(async () => {
      org = await createOrgWithStaff(ctx, 'Import web');
      session = await signIn(ctx.app, org.users.service_manager.email);
    });
    const upload = (csv: string, query = '') =>
      ctx.app.inject({
        method: 'POST',
        url: `/api/measures/imports${query}`,
        headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, 'content-type': 'text/csv' },
        payload: csv,
      });

    it('previews a dry run with counts and problems, writing nothing', async () => {
      const rows = syntheticRows(12).map((row, index) => (index === 4 ? { ...row, respondent_role: 'uncle' } : row));
      const res = await upload(toCsv(rows), '?dryRun=true');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({
        status: 'preview',
        batchId: null,
        rowsTotal: 12,
        inserted: 11,
        updated: 0,
        unchanged: 0,
        rejected: 1,
        problems: [{ line: 6, column: 'respondent_role', message: '"uncle" is not one of mother, father, carer, child, teacher, other' }],
      });
      expect(await stored(org)).toMatchObject({ administrations: [], respondents: 0, batches: [], audit: [] });
    });

    it('refuses a bad file with 400 and every problem as a field', async () => {
      const rows = syntheticRows(6).map((row, index) => (index === 0 || index === 3 ? { ...row, completed_on: '2999-01-01' } : row));
      const res = await upload(toCsv(rows));
      expect(res.statusCode).toBe(400);
      const body = res.json() as { error: { message: string; fields: { path: string; message: string }[] } };
      expect(body.error.message).toMatch(/Nothing was imported: 2 lines have problems/);
      expect(body.error.fields.map((f) => f.path)).toEqual(['line 2, completed_on', 'line 5, completed_on']);
      expect((await stored(org)).administrations).toEqual([]);
    });

    it('imports, recording one audit row for the batch with who and the counts', async () => {
      const res = await upload(toCsv(syntheticRows(12)), '?fileName=spring.csv');
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as { status: string; batchId: string; inserted: number };
      expect(body).toMatchObject({ status: 'imported', inserted: 12 });
      const after = await stored(org);
      expect(after.administrations).toHaveLength(12);
      expect(after.batches).toMatchObject([{ id: body.batchId, fileName: 'spring.csv', importedBy: org.users.service_manager.id }]);
      const audit = await inScope(ctx.db.db, { organisationId: org.id, userId: null }, (trx) =>
        trx.selectFrom('auditEvent').selectAll().where('action', '=', 'import:administration').execute(),
      );
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({
        actorUserId: org.users.service_manager.id,
        entityType: 'import_batch',
        entityId: body.batchId,
        detail: expect.objectContaining({ via: 'web', inserted: 12, rowsTotal: 12, fileName: 'spring.csv' }) as object,
      });
    });

    it('asks for a CSV body', async () => {
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/api/measures/imports',
        headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, 'content-type': 'application/json' },
        payload: { rows: [] },
      });
      expect(res.statusCode).toBe(400);
      const empty = await upload('');
      expect(empty.statusCode).toBe(400);
      const headerOnly = await upload(`${importHeader().join(',')}\n`, '?dryRun=true');
      expect(headerOnly.json()).toMatchObject({ status: 'preview', problems: [{ line: 2, column: '(file)', message: 'has a header but no data rows' }] });
    });
  });

  it('keeps each organisation to its own administrations (row-level security on the stored rows)', async () => {
    const a = await createOrgWithStaff(ctx, 'Import tenant A');
    const b = await createOrgWithStaff(ctx, 'Import tenant B');
    const rows = syntheticRows(5);
    await importAdministrations(ctx.db.db, contextFor(a), fileOf(rows), options);
    const second = await importAdministrations(ctx.db.db, contextFor(b), fileOf(rows), options);
    // Same references in another organisation are other people: inserted again, not "unchanged".
    expect(second.inserted).toBe(5);
    const seenByB = await inScope(ctx.db.db, { organisationId: b.id, userId: null }, (trx) =>
      sql<{ n: number }>`SELECT count(*)::int AS n FROM administration`.execute(trx),
    );
    expect(seenByB.rows[0]?.n).toBe(5);
  });
});
