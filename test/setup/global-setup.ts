import type { TestProject } from 'vitest/node';
import { WEB_DIST } from '../../src/server/app.ts';
import { ensureWebBuilt } from '../../src/server/platform/web-build.ts';
import setupDatabase from './global-db.ts';

/**
 * Browser tests serve the built web app, and the command-line tests start the real server, which would build it:
 * build it once here (when its sources changed), then prepare the database.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await ensureWebBuilt(WEB_DIST, (line) => process.stdout.write(line));
  return setupDatabase(project);
}
