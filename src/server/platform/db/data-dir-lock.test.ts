import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirInUseError, LOCK_FILE, lockDataDir } from './data-dir-lock.ts';

// The lock must refuse a second opener while the holder runs, and must never strand an operator after a crash.

const dirs: string[] = [];
const aDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-lock-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const writeLock = (dir: string, holder: Record<string, unknown>) => writeFileSync(join(dir, LOCK_FILE), JSON.stringify(holder));
const bootId = () => (existsSync('/proc/sys/kernel/random/boot_id') ? readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() : null);

describe('data directory lock', () => {
  it('is held until released, refuses a second opener in this process, and is gone after release', () => {
    const dir = aDir();
    const release = lockDataDir(dir);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
    expect(() => lockDataDir(dir)).toThrow(DataDirInUseError);
    release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    lockDataDir(dir)();
  });

  it('refuses while another live process holds it', async () => {
    const dir = aDir();
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      await new Promise((done) => child.once('spawn', done));
      writeLock(dir, { pid: child.pid, host: hostname(), bootId: bootId(), started: null });
      expect(() => lockDataDir(dir)).toThrow(/in use by another Tandem process \(pid \d+/);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('takes over a lock whose process is gone (a SIGKILLed server)', async () => {
    const dir = aDir();
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    await new Promise((done) => child.once('spawn', done));
    writeLock(dir, { pid: child.pid, host: hostname(), bootId: bootId(), started: null });
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGKILL');
    await exited;
    const release = lockDataDir(dir);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    release();
  });

  it('takes over a lock naming a pid that now belongs to another process, or this one (a restarted container), or an earlier boot', () => {
    const dir = aDir();
    // Our parent runs, but started at another time than the lock says: the pid was reused.
    writeLock(dir, { pid: process.ppid, host: hostname(), bootId: bootId(), started: '1' });
    if (existsSync(`/proc/${process.ppid}/stat`)) lockDataDir(dir)();
    // Our own pid, though we never took it: a server restarted as pid 1.
    writeLock(dir, { pid: process.pid, host: hostname(), bootId: bootId(), started: null });
    lockDataDir(dir)();
    // Written before a reboot.
    writeLock(dir, { pid: process.ppid, host: hostname(), bootId: 'another-boot', started: null });
    if (bootId()) lockDataDir(dir)();
  });

  it('takes over an unreadable lock, and a lock of another host once it has not been touched for a minute', () => {
    const dir = aDir();
    writeFileSync(join(dir, LOCK_FILE), '{"pid": 12');
    lockDataDir(dir)();
    writeLock(dir, { pid: 1, host: 'elsewhere', bootId: null, started: null });
    expect(() => lockDataDir(dir)).toThrow(DataDirInUseError);
    const old = new Date(Date.now() - 120_000);
    utimesSync(join(dir, LOCK_FILE), old, old);
    lockDataDir(dir)();
  });
});
