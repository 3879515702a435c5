import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { DatabaseHandle } from './connect.ts';

export const MIGRATIONS_DIR = new URL('../../../../db/migrations/', import.meta.url).pathname;

const MIGRATION_NAME = /^\d{4}_[a-z0-9_]+\.sql$/;

export type MigrationResult = { applied: string[]; alreadyApplied: number };

/**
 * Forward-only migrations: numbered .sql files applied in order, each in its own transaction together with its
 * bookkeeping row, so a failed migration leaves nothing behind and running twice applies nothing twice.
 * An advisory lock keeps two instances starting at once from racing.
 */
export const migrate = async <DB>(handle: DatabaseHandle<DB>, dir = MIGRATIONS_DIR): Promise<MigrationResult> => {
  const files = readdirSync(dir).filter((f) => MIGRATION_NAME.test(f)).sort();
  await handle.runScript(
    'CREATE TABLE IF NOT EXISTS schema_migration (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());',
  );
  const applied: string[] = [];
  let alreadyApplied = 0;
  for (const name of files) {
    const body = readFileSync(join(dir, name), 'utf8');
    const quoted = name.replaceAll("'", "''");
    const { rows } = await sql<{ name: string }>`SELECT name FROM schema_migration WHERE name = ${name}`.execute(handle.db);
    if (rows.length > 0) {
      alreadyApplied += 1;
      continue;
    }
    // The lock and the re-check run inside the migration's own transaction: a second instance waits, then skips.
    await handle.runScript(
      `SELECT pg_advisory_xact_lock(7331001);
       DO $$ BEGIN IF EXISTS (SELECT 1 FROM schema_migration WHERE name = '${quoted}') THEN RAISE EXCEPTION 'tandem:already-applied'; END IF; END $$;
       ${body}
       ;INSERT INTO schema_migration (name) VALUES ('${quoted}');`,
    ).then(
      () => applied.push(name),
      (error: unknown) => {
        if (error instanceof Error && error.message.includes('tandem:already-applied')) {
          alreadyApplied += 1;
          return;
        }
        throw new Error(`Migration ${name} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      },
    );
  }
  return { applied, alreadyApplied };
};
