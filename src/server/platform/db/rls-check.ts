import { sql, type Kysely } from 'kysely';
import { APP_ROLE } from './scope.ts';

/**
 * The promise of tenancy rests on three facts the database can confirm: the application's role is not a
 * superuser and cannot bypass row-level security, it owns no table (owners skip RLS unless it is forced), and
 * every table with an organisation_id has RLS enabled and forced. Any breach is a reason not to start.
 */
export const tenancyProblems = async <DB>(db: Kysely<DB>): Promise<string[]> => {
  const problems: string[] = [];
  const role = await sql<{ rolsuper: boolean; rolbypassrls: boolean }>`
    SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = ${APP_ROLE}`.execute(db);
  const r = role.rows[0];
  if (!r) problems.push(`role ${APP_ROLE} does not exist`);
  else {
    if (r.rolsuper) problems.push(`role ${APP_ROLE} is a superuser`);
    if (r.rolbypassrls) problems.push(`role ${APP_ROLE} has BYPASSRLS`);
  }
  const owned = await sql<{ relname: string }>`
    SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND pg_get_userbyid(c.relowner) = ${APP_ROLE}`.execute(db);
  for (const t of owned.rows) problems.push(`table ${t.relname} is owned by ${APP_ROLE}`);
  const unprotected = await sql<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>`
    SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
      AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'organisation_id' AND NOT a.attisdropped)
      AND NOT (c.relrowsecurity AND c.relforcerowsecurity)`.execute(db);
  for (const t of unprotected.rows) problems.push(`table ${t.relname} has organisation_id but row-level security is not enabled and forced`);
  return problems;
};

export const assertTenancyEnforced = async <DB>(db: Kysely<DB>): Promise<void> => {
  const problems = await tenancyProblems(db);
  if (problems.length > 0) {
    throw new Error(`Refusing to start: tenant isolation would not be enforced by the database (${problems.join('; ')})`);
  }
};
