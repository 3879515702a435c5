import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/*
 * An embedded (PGlite) data directory may be open in one process only: PGlite is PostgreSQL in single-user mode with
 * no shared memory between processes, so a second process writing the same files (a `tandem import` or `tandem
 * backup` next to a running server) would corrupt them. Whoever opens the directory holds this lock file, with its
 * process id; it is removed on close. A lock left by a process that was killed (its pid no longer runs) is taken over.
 */

export const LOCK_FILE = 'tandem.lock';

export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `The data directory ${dataDir} is in use by another Tandem process (pid ${pid} on ${hostname()}). ` +
        'Stop it first (the embedded database can be opened by one process at a time).',
    );
  }
}

const isRunning = (pid: number): boolean => {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else — still running.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const holderOf = (path: string): number => {
  try {
    return Number((JSON.parse(readFileSync(path, 'utf8')) as { pid?: unknown }).pid);
  } catch {
    return 0; // unreadable or half-written by a process killed mid-write: nobody holds it
  }
};

/** Takes the lock or throws DataDirInUseError; returns the release function. */
export const lockDataDir = (dataDir: string): (() => void) => {
  const path = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      // 'wx': create, failing if it exists — the test and the claim are one step.
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        if (holderOf(path) === process.pid) rmSync(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = holderOf(path);
      if (pid === process.pid || isRunning(pid)) throw new DataDirInUseError(dataDir, pid);
      rmSync(path, { force: true }); // stale: its process is gone
    }
  }
  throw new DataDirInUseError(dataDir, holderOf(path));
};
