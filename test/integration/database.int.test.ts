import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/server/platform/db/migrate.ts';
import { tenancyProblems } from '../../src/server/platform/db/rls-check.ts';
import { inScope } from '../../src/server/platform/db/scope.ts';
import { engineName } from '../setup/engines.ts';
import { createOrgWithStaff, startTestApp, type TestContext, type TestOrg } from '../setup/harness.ts';

describe(`database foundation on ${engineName()}`, () => {
  let ctx: TestContext;
  let a: TestOrg;
  let b: TestOrg;

  beforeAll(async () => {
    ctx = await startTestApp();
    a = await createOrgWithStaff(ctx, 'Alpha');
    b = await createOrgWithStaff(ctx, 'Beta');
  });
  afterAll(async () => ctx?.close());

  it('applies migrations once: running them again changes nothing', async () => {
    const before = await sql<{ name: string }>`SELECT name FROM schema_migration ORDER BY name`.execute(ctx.db.db);
    const result = await migrate(ctx.db);
    expect(result.applied).toEqual([]);
    expect(result.alreadyApplied).toBe(before.rows.length);
    const after = await sql<{ name: string }>`SELECT name FROM schema_migration ORDER BY name`.execute(ctx.db.db);
    expect(after.rows).toEqual(before.rows);
  });

  it('a failing migration leaves nothing behind', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'tandem-mig-'));
    writeFileSync(join(dir, '9001_half.sql'), 'CREATE TABLE half_written (id int); SELECT no_such_function();');
    await expect(migrate(ctx.db, dir)).rejects.toThrow(/9001_half\.sql failed/);
    const exists = await sql<{ t: string | null }>`SELECT to_regclass('public.half_written')::text AS t`.execute(ctx.db.db);
    expect(exists.rows[0]?.t).toBeNull();
    const recorded = await sql`SELECT 1 FROM schema_migration WHERE name = '9001_half.sql'`.execute(ctx.db.db);
    expect(recorded.rows).toHaveLength(0);
  });

  it('row-level security hides other organisations even when the query forgets its filter', async () => {
    // Deliberately no WHERE on organisation_id: only the database stands between the two tenants here.
    const seenByA = await inScope(ctx.db.db, { organisationId: a.id, userId: null }, (trx) =>
      trx.selectFrom('membership').select(['organisationId']).execute(),
    );
    expect(seenByA.length).toBe(6);
    expect(new Set(seenByA.map((r) => r.organisationId))).toEqual(new Set([a.id]));

    const auditSeenByB = await inScope(ctx.db.db, { organisationId: b.id, userId: null }, (trx) =>
      trx.selectFrom('auditEvent').select(['organisationId']).execute(),
    );
    expect(auditSeenByB.length).toBeGreaterThan(0);
    expect(auditSeenByB.every((r) => r.organisationId === b.id)).toBe(true);

    const seenByNobody = await inScope(ctx.db.db, { organisationId: null, userId: null }, (trx) =>
      trx.selectFrom('membership').select(['organisationId']).execute(),
    );
    expect(seenByNobody).toEqual([]);
  });

  it('row-level security refuses writes into another organisation', async () => {
    await expect(
      inScope(ctx.db.db, { organisationId: a.id, userId: null }, (trx) =>
        trx.insertInto('membership').values({ organisationId: b.id, userId: a.users.case_worker.id, role: 'case_worker' }).execute(),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('the application role cannot bypass RLS and every tenant table has RLS enabled and forced', async () => {
    expect(await tenancyProblems(ctx.db.db)).toEqual([]);
    const role = await inScope(ctx.db.db, { organisationId: null, userId: null }, (trx) =>
      sql<{ u: string }>`SELECT current_user AS u`.execute(trx),
    );
    expect(role.rows[0]?.u).toBe('tandem_app');
  });

  it('a new table with organisation_id but without forced RLS is reported, so the server would refuse to start', async () => {
    await sql`CREATE TABLE leaky_notes (id int, organisation_id uuid)`.execute(ctx.db.db);
    try {
      expect(await tenancyProblems(ctx.db.db)).toContain(
        'table leaky_notes has organisation_id but row-level security is not enabled and forced',
      );
      await sql`ALTER TABLE leaky_notes ENABLE ROW LEVEL SECURITY`.execute(ctx.db.db);
      expect((await tenancyProblems(ctx.db.db)).some((p) => p.includes('leaky_notes'))).toBe(true);
      await sql`ALTER TABLE leaky_notes FORCE ROW LEVEL SECURITY`.execute(ctx.db.db);
      expect((await tenancyProblems(ctx.db.db)).some((p) => p.includes('leaky_notes'))).toBe(false);
    } finally {
      await sql`DROP TABLE leaky_notes`.execute(ctx.db.db);
    }
  });

  it('the audit trail is append-only, for the application and for the owner alike', async () => {
    await expect(
      inScope(ctx.db.db, { organisationId: a.id, userId: null }, (trx) => trx.deleteFrom('auditEvent').execute()),
    ).rejects.toThrow(/permission denied|append-only/);
    await expect(
      inScope(ctx.db.db, { organisationId: a.id, userId: null }, (trx) => sql`UPDATE audit_event SET action = 'x'`.execute(trx)),
    ).rejects.toThrow(/permission denied|append-only/);
    // Even the owner connection (migrations, operators) is stopped by the trigger.
    await expect(sql`DELETE FROM audit_event`.execute(ctx.db.db)).rejects.toThrow(/append-only/);
    await expect(sql`UPDATE audit_event SET action = 'x'`.execute(ctx.db.db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit_event`.execute(ctx.db.db)).rejects.toThrow(/append-only/);
  });
});
