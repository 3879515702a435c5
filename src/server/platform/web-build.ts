import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const WEB_SRC = new URL('../../web/', import.meta.url).pathname;
const SHARED_SRC = new URL('../../shared/', import.meta.url).pathname;
const CONFIG = new URL('../../../vite.config.ts', import.meta.url).pathname;

const newestMtime = (dir: string): number => {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
};

/**
 * `npm ci && npm start` must serve the web app with no separate build step, so start builds it when the built
 * copy is missing or older than its sources. A deployment image would run `npm run build` once instead.
 */
export const ensureWebBuilt = async (distDir: string, log: (line: string) => void): Promise<void> => {
  const index = join(distDir, 'index.html');
  if (!existsSync(CONFIG) || !existsSync(join(WEB_SRC, 'index.html'))) return;
  const built = existsSync(index) ? statSync(index).mtimeMs : 0;
  const sources = Math.max(newestMtime(WEB_SRC), newestMtime(SHARED_SRC), statSync(CONFIG).mtimeMs);
  if (built >= sources) return;
  log('Building the web app (first start or sources changed)...\n');
  const { build } = await import('vite');
  // Build beside the target and swap it in, so a server already serving the old copy never sees a half-empty folder.
  const target = resolve(distDir);
  const staging = `${target}.building-${process.pid}`;
  await build({ configFile: CONFIG, logLevel: 'warn', build: { outDir: staging, emptyOutDir: true } });
  const previous = `${target}.previous-${process.pid}`;
  if (existsSync(target)) renameSync(target, previous);
  renameSync(staging, target);
  rmSync(previous, { recursive: true, force: true });
};
