import { resolve } from 'node:path';
import { readConfig, type Config } from './config.ts';
import { buildApp, WEB_DIST } from './app.ts';
import type { Database, Db } from './db.ts';
import { sendQuestionnaireReminders } from './modules/measures/index.ts';
import { formatSignIns, seedDemo } from './demo/demo.ts';
import { answerBackupRequests } from './platform/db/backup.ts';
import { openDatabase, type DatabaseHandle } from './platform/db/connect.ts';
import { announceBackups } from './platform/db/data-dir-lock.ts';
import { migrate } from './platform/db/migrate.ts';
import { assertTenancyEnforced } from './platform/db/rls-check.ts';
import { ensureWebBuilt } from './platform/web-build.ts';

export type Log = (line: string) => void;

/** `tandem backup` beside a running embedded server asks the server for the snapshot (platform/db/backup.ts). */
const answerBackups = (dataDir: string, handle: DatabaseHandle<Database>, log: Log): void => {
  let busy: Promise<void> = Promise.resolve();
  process.on('SIGUSR2', () => {
    busy = busy.then(() => answerBackupRequests(dataDir, handle)).catch((error: unknown) => log(`Backup request failed: ${String(error)}\n`));
  });
  announceBackups(dataDir);
};

/** Opens the configured engine, brings its schema up to date and checks that tenancy is enforced. */
export const openReadyDatabase = async (config: Config): Promise<{ handle: DatabaseHandle<Database>; fresh: boolean }> => {
  const handle = await openDatabase<Database>({ databaseUrl: config.databaseUrl, dataDir: resolve(config.dataDir) });
  try {
    await migrate(handle);
    await assertTenancyEnforced(handle.db);
    const organisations = await handle.db.selectFrom('organisation').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return { handle, fresh: Number(organisations.n) === 0 };
  } catch (error) {
    await handle.close();
    throw error;
  }
};

/**
 * Re-sends parents' unanswered questionnaire links every `reminderHours` (never at start-up, so a restart loop cannot
 * flood anyone). Several instances may run it: each link's reminder is claimed by a compare-and-set on its count
 * (measures/reminders.ts), so a parent gets it once.
 */
const scheduleReminders = (db: Db, config: Config, localUrl: string, log: Log): NodeJS.Timeout | null => {
  if (config.reminderHours === 0) return null;
  const timer = setInterval(() => {
    sendQuestionnaireReminders(db, { baseUrl: config.publicUrl ?? localUrl })
      .then((sent) => {
        if (sent.length > 0) log(`Questionnaire reminders queued: ${sent.length}\n`);
      })
      .catch((error: unknown) => log(`Questionnaire reminders failed: ${error instanceof Error ? error.message : String(error)}\n`));
  }, config.reminderHours * 3_600_000);
  timer.unref();
  return timer;
};

export const startServer = async (config: Config = readConfig(), log: Log = (l) => process.stdout.write(l)) => {
  const startedAt = performance.now();
  await ensureWebBuilt(WEB_DIST, log);
  const { handle, fresh } = await openReadyDatabase(config);
  // Only a brand-new embedded database gets the demo; a PostgreSQL deployment starts empty (`tandem demo` adds it).
  if (fresh && handle.engine === 'pglite') {
    const signIns = await seedDemo(handle.db);
    log(formatSignIns(signIns));
  }
  const app = await buildApp({ db: handle.db, config, logger: config.logLevel !== 'silent' });
  const address = await app.listen({ port: config.port, host: config.host });
  const engine = handle.engine === 'pglite' ? `embedded database in ${resolve(config.dataDir)}` : 'PostgreSQL';
  const port = new URL(address).port;
  // Before the "running" line, so anything waiting for that line can already ask for a backup.
  if (handle.engine === 'pglite') answerBackups(resolve(config.dataDir), handle, log);
  log(`Tandem is running on http://localhost:${port} (${engine}; ready in ${Math.round(performance.now() - startedAt)} ms)\n`);
  const reminders = scheduleReminders(handle.db, config, `http://localhost:${port}`, log);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    if (reminders) clearInterval(reminders);
    await app.close();
    await handle.close();
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(0)));
  process.once('SIGTERM', () => void stop().then(() => process.exit(0)));
  return { app, handle, stop };
};
