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

  /*
   * tenancyProblems() catches a table with organisation_id and no forced RLS. Personal data could also land in a
   * table with no organisation_id at all; this catches that: any table with a column that holds personal data
   * must have RLS enabled and forced, or be one of the deployment-wide tables named here with the reason.
   */
  const PERSONAL_COLUMN = /(^|_)(name|email|email_key|phone|address|to_address|date_of_birth|notes|body|disclosure|submission|responses|scores|ip|user_agent|external_ref|person_id)$/;
  const DEPLOYMENT_WIDE: Record<string, string> = {
    organisation: "its name is the organisation's, not a person's",
    app_user: 'staff accounts span organisations; what an organisation sees of them goes through membership, which has RLS',
    user_session: "a person's own sessions, found only by the hash of their cookie",
    sign_in_throttle: 'the address typed at sign-in, read only by sign-in itself',
    email_outbox: 'invitation and reset mails waiting to be sent; no route reads them',
    schema_migration: 'its name column holds migration file names',
  };
  const personalDataProblems = async (): Promise<string[]> => {
    const columns = await sql<{ relname: string; attname: string; protected: boolean }>`
      SELECT c.relname, a.attname, (c.relrowsecurity AND c.relforcerowsecurity) AS protected
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')`.execute(ctx.db.db);
    const problems = new Set<string>();
    for (const { relname, attname, protected: isProtected } of columns.rows) {
      if (isProtected || relname in DEPLOYMENT_WIDE || !PERSONAL_COLUMN.test(attname)) continue;
      problems.add(`table ${relname} holds personal data (${attname}) without row-level security enabled and forced`);
    }
    return [...problems];
  };

  it('every table holding personal data has row-level security enabled and forced, or is a named deployment-wide table', async () => {
    expect(await personalDataProblems()).toEqual([]);
    // The check is not vacuous: the tables it exempts really hold such columns, and the family tables are covered by RLS.
    const person = await sql<{ f: boolean }>`SELECT relforcerowsecurity AS f FROM pg_class WHERE relname = 'person'`.execute(ctx.db.db);
    expect(person.rows[0]?.f).toBe(true);
    await sql`CREATE TABLE leaky_contacts (id int, given_name text, date_of_birth date)`.execute(ctx.db.db);
    try {
      // No organisation_id, so the start-up check does not see it; this one does.
      expect((await tenancyProblems(ctx.db.db)).some((p) => p.includes('leaky_contacts'))).toBe(false);
      expect(await personalDataProblems()).toContain('table leaky_contacts holds personal data (date_of_birth) without row-level security enabled and forced');
      await sql`ALTER TABLE leaky_contacts ENABLE ROW LEVEL SECURITY`.execute(ctx.db.db);
      expect((await personalDataProblems()).some((p) => p.includes('leaky_contacts'))).toBe(true);
      await sql`ALTER TABLE leaky_contacts FORCE ROW LEVEL SECURITY`.execute(ctx.db.db);
      expect(await personalDataProblems()).toEqual([]);
    } finally {
      await sql`DROP TABLE leaky_contacts`.execute(ctx.db.db);
    }
  });

  it('in every tenant table the application role sees nothing without an organisation, and only its own with one', async () => {
    const tables = (
      await sql<{ relname: string }>`
        SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
          AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'organisation_id' AND NOT a.attisdropped)
        ORDER BY 1`.execute(ctx.db.db)
    ).rows.map((r) => r.relname);
    expect(tables).toEqual(expect.arrayContaining(['person', 'family_case', 'risk_assessment', 'private_disclosure', 'administration']));
    for (const table of tables) {
      const unscoped = await inScope(ctx.db.db, { organisationId: null, userId: null }, (trx) =>
        sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(trx),
      );
      expect(unscoped.rows[0]?.n, `${table} without an organisation`).toBe(0);
      const foreign = await inScope(ctx.db.db, { organisationId: a.id, userId: null }, (trx) =>
        sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE organisation_id <> ${a.id}`.execute(trx),
      );
      expect(foreign.rows[0]?.n, `${table} rows of other organisations seen by one`).toBe(0);
    }
    // Both organisations do have rows (memberships, audit), so the zeros above come from the policies.
    const owner = await sql<{ n: number }>`SELECT count(DISTINCT organisation_id)::int AS n FROM membership WHERE organisation_id IN (${a.id}, ${b.id})`.execute(ctx.db.db);
    expect(owner.rows[0]?.n).toBe(2);
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
