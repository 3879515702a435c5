import { linkSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';

/*
 * An embedded (PGlite) data directory may be open in one process only: PGlite is PostgreSQL in single-user mode with
 * no shared memory between processes, so a second process writing the same files (a `tandem import` or `tandem
 * backup` next to a running server) would corrupt them. Whoever opens the directory holds this lock file; it is
 * removed on close.
 *
 * A lock must never strand an operator after a crash, so a lock file is only honoured while its holder provably
 * runs. On the same host the holder is checked by process id AND by the process's start time and the kernel's boot
 * id (Linux /proc): a killed server's pid reused by an unrelated process, a reboot, or a container restarted as
 * pid 1 again all count as stale. A holder on another host (a container recreated with a new hostname, a shared
 * volume) cannot be checked that way, so holders touch the file every HEARTBEAT_MS and a foreign lock not touched
 * for FOREIGN_STALE_MS is taken over.
 */

export const LOCK_FILE = 'tandem.lock';
const HEARTBEAT_MS = 10_000;
const FOREIGN_STALE_MS = 60_000;

export type Holder = { pid: number; host: string; bootId: string | null; started: string | null; backups?: boolean };

export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: Holder,
  ) {
    super(
      `The data directory ${dataDir} is in use by another Tandem process (pid ${holder.pid} on ${holder.host}). ` +
        'Stop it first (the embedded database can be opened by one process at a time).',
    );
  }
}

/** Directories this process holds: opening one twice in one process would corrupt it just the same. */
const heldHere = new Set<string>();

const readOr = (path: string): string | null => {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
};

const bootId = (): string | null => readOr('/proc/sys/kernel/random/boot_id');

/** The process's start time in clock ticks since boot (Linux), which tells a reused pid from the original. */
const startTimeOf = (pid: number): string | null => {
  const stat = readOr(`/proc/${pid}/stat`);
  if (!stat) return null;
  // Fields after the command name (which may contain spaces, hence the last ')'); starttime is field 22.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
};

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

const me = (): Holder => ({ pid: process.pid, host: hostname(), bootId: bootId(), started: startTimeOf(process.pid) });

const holderOf = (path: string): Holder | null => {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<Holder>;
    if (typeof parsed.pid !== 'number' || typeof parsed.host !== 'string') return null;
    return { pid: parsed.pid, host: parsed.host, bootId: parsed.bootId ?? null, started: parsed.started ?? null, backups: parsed.backups === true };
  } catch {
    return null; // unreadable, or half-written by a process killed mid-write: nobody holds it
  }
};

/** Whether the lock's holder is still running (and so the directory must not be opened). */
export const holderIsAlive = (path: string, holder: Holder | null, dataDir: string): boolean => {
  if (!holder) return false;
  if (holder.host !== hostname()) {
    try {
      return Date.now() - statSync(path).mtimeMs < FOREIGN_STALE_MS;
    } catch {
      return false;
    }
  }
  const boot = bootId();
  if (holder.bootId && boot && holder.bootId !== boot) return false; // written before a reboot
  if (holder.pid === process.pid) return heldHere.has(dataDir); // our own pid, but not ours: a restarted pid 1
  if (!isRunning(holder.pid)) return false;
  const started = startTimeOf(holder.pid);
  return !(holder.started && started && holder.started !== started); // same pid, another process
};

/** Takes the lock or throws DataDirInUseError; returns the release function. */
export const lockDataDir = (directory: string): (() => void) => {
  const dataDir = resolve(directory);
  const path = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      // Written whole to a file of our own, then linked into place: link fails if the lock exists, so the test and
      // the claim are one step, and no one ever reads a half-written lock of a live process.
      const mine = `${path}.${process.pid}.new`;
      writeFileSync(mine, JSON.stringify({ ...me(), since: new Date().toISOString() }));
      try {
        linkSync(mine, path);
      } finally {
        rmSync(mine, { force: true });
      }
      heldHere.add(dataDir);
      const heartbeat = setInterval(() => {
        try {
          const now = new Date();
          utimesSync(path, now, now);
        } catch {
          // The directory went away; nothing to keep fresh.
        }
      }, HEARTBEAT_MS);
      heartbeat.unref();
      let released = false;
      return () => {
        if (released) return;
        released = true;
        clearInterval(heartbeat);
        heldHere.delete(dataDir);
        if (holderOf(path)?.pid === process.pid) rmSync(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const judged = readOr(path);
      const holder = holderOf(path);
      if (holderIsAlive(path, holder, dataDir)) throw new DataDirInUseError(dataDir, holder ?? me());
      // Stale: its process is gone. Moved aside and compared rather than deleted, so of two processes racing to take
      // it over, one that moved a lock the other had meanwhile taken puts it back and finds it in use next time round.
      const aside = `${path}.stale-${process.pid}`;
      try {
        renameSync(path, aside);
      } catch (renameError) {
        if ((renameError as NodeJS.ErrnoException).code !== 'ENOENT') throw renameError;
        continue;
      }
      if (readOr(aside) !== judged) {
        try {
          linkSync(aside, path);
        } catch {
          // Someone has taken it since; theirs stands.
        }
      }
      rmSync(aside, { force: true });
    }
  }
  throw new DataDirInUseError(dataDir, holderOf(path) ?? me());
};

/**
 * A running server says in its lock that it answers backup requests (SIGUSR2; see backup.ts). Only then may
 * `tandem backup` signal the holder: SIGUSR2 would end any other Node process, such as a `tandem import`.
 */
export const announceBackups = (directory: string): void => {
  const dataDir = resolve(directory);
  const path = join(dataDir, LOCK_FILE);
  const holder = holderOf(path);
  if (!heldHere.has(dataDir) || holder?.pid !== process.pid) return;
  const next = `${path}.${process.pid}.new`;
  writeFileSync(next, JSON.stringify({ ...holder, backups: true, since: new Date().toISOString() }));
  renameSync(next, path);
};

/** The process holding the directory, if one runs; null when it is free (or its lock is stale). */
export const liveHolder = (directory: string): Holder | null => {
  const dataDir = resolve(directory);
  const path = join(dataDir, LOCK_FILE);
  const holder = holderOf(path);
  return holderIsAlive(path, holder, dataDir) ? holder : null;
};
