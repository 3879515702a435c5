import { sql, type Kysely, type Transaction } from 'kysely';

/** Whose behalf a transaction runs on. An unset organisation sees no tenant rows at all. */
export type Scope = { organisationId: string | null; userId: string | null };

export const APP_ROLE = 'tandem_app';

/**
 * Every application query runs inside one of these: the role drops to tandem_app (not superuser, not owner, so
 * row-level security applies), and the organisation and user are set for this transaction only.
 */
export const inScope = async <DB, T>(db: Kysely<DB>, scope: Scope, work: (trx: Transaction<DB>) => Promise<T>): Promise<T> =>
  db.transaction().execute(async (trx) => {
    await sql`SELECT set_config('role', ${APP_ROLE}, true), set_config('app.org_id', ${scope.organisationId ?? ''}, true), set_config('app.user_id', ${scope.userId ?? ''}, true)`.execute(
      trx,
    );
    return work(trx);
  });

export const systemScope: Scope = { organisationId: null, userId: null };
