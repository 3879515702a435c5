import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { CamelCasePlugin, Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
import pg from 'pg';
import { lockDataDir } from './data-dir-lock.ts';

/** The two engines speak one SQL dialect; `engine` is only for messages and a few admin tasks (backups). */
export type Engine = 'pglite' | 'postgres';

export type DatabaseHandle<DB> = {
  db: Kysely<DB>;
  engine: Engine;
  /** Runs a multi-statement SQL script in one transaction (migrations). */
  runScript: (script: string) => Promise<void>;
  close: () => Promise<void>;
  /** PGlite only: the underlying instance (for dumps in tests and backups). */
  pglite?: PGlite;
  /** PGlite only: a gzipped tar of the data directory taken while no transaction is open (a consistent backup). */
  snapshot?: () => Promise<Blob>;
};

const INT8 = 20;
const DATE = 1082;
const NUMERIC = 1700;

// Counts come back as int8; both engines must hand the application the same JS types.
// Dates of birth stay 'YYYY-MM-DD' strings: turning them into Date objects at local midnight shifts them by a day
// in some time zones.
const parsers = {
  [INT8]: (value: string) => Number(value),
  [DATE]: (value: string) => value,
  [NUMERIC]: (value: string) => Number(value),
};

const pgTypes = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') => {
    const parser = parsers[oid as keyof typeof parsers];
    if (parser) return parser;
    return pg.types.getTypeParser(oid, format);
  },
};

const commandOf = (sqlText: string): string => sqlText.trimStart().split(/\s/, 1)[0]?.toUpperCase() ?? '';

/**
 * PGlite is one connection. Kysely expects a pool, so this pool hands out that one connection to one caller at a
 * time: a transaction holds it until it releases, and the others queue in arrival order.
 */
const pglitePool = (pglite: PGlite): PostgresPool => {
  let tail: Promise<void> = Promise.resolve();
  const client = (release: () => void): PostgresPoolClient =>
    ({
      query: async (sqlText: string, parameters: readonly unknown[]) => {
        const result = await pglite.query(sqlText, parameters as unknown[]);
        return { command: commandOf(sqlText), rowCount: result.affectedRows ?? result.rows.length, rows: result.rows };
      },
      release,
    }) as unknown as PostgresPoolClient;
  return {
    connect: async () => {
      let release!: () => void;
      const mine = new Promise<void>((resolve) => {
        release = resolve;
      });
      const previous = tail;
      tail = previous.then(() => mine);
      await previous;
      return client(release);
    },
    end: async () => {
      await tail;
    },
  };
};

// Column names are snake_case in SQL and camelCase in TypeScript; the keys inside jsonb values are data (a scale
// called risk_min stays risk_min), so the plugin must leave nested objects alone.
export const openPglite = async <DB>(dataDir: string | undefined, loadDataDir?: Blob): Promise<DatabaseHandle<DB>> => {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // One process per data directory (see data-dir-lock.ts); in-memory databases need no lock.
  const unlock = dataDir ? lockDataDir(dataDir) : () => undefined;
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({ dataDir, parsers, ...(loadDataDir ? { loadDataDir } : {}) });
  } catch (error) {
    unlock();
    throw error;
  }
  const pool = pglitePool(pglite);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), plugins: [new CamelCasePlugin({ maintainNestedObjectKeys: true })] });
  return {
    db,
    snapshot: async () => {
      // Holding the one connection means every transaction before this one has committed or rolled back and the
      // next waits: the dump is a state between transactions, never one half-way through.
      const connection = await pool.connect();
      try {
        return await pglite.dumpDataDir('gzip');
      } finally {
        connection.release();
      }
    },
    engine: 'pglite',
    pglite,
    runScript: async (script) => {
      await pglite.transaction(async (tx) => {
        await tx.exec(script);
      });
    },
    close: async () => {
      try {
        await db.destroy();
        await pglite.close();
      } finally {
        unlock();
      }
    },
  };
};

export const openPostgres = async <DB>(connectionString: string, maxConnections = 10): Promise<DatabaseHandle<DB>> => {
  const pool = new pg.Pool({ connectionString, max: maxConnections, types: pgTypes });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), plugins: [new CamelCasePlugin({ maintainNestedObjectKeys: true })] });
  return {
    db,
    engine: 'postgres',
    runScript: async (script) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        // Without parameters pg uses the simple query protocol, which accepts several statements at once.
        await client.query(script);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
    },
    close: async () => {
      await db.destroy();
    },
  };
};

export const openDatabase = async <DB>(options: { databaseUrl?: string; dataDir: string }): Promise<DatabaseHandle<DB>> =>
  options.databaseUrl ? openPostgres<DB>(options.databaseUrl) : openPglite<DB>(options.dataDir);
