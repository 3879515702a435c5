import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase, engineName, TEST_DATABASE_URL } from '../setup/engines.ts';

const BIN = new URL('../../bin/tandem.js', import.meta.url).pathname;

const tandem = (args: string[], env: Record<string, string>, input?: string) =>
  spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, DATABASE_URL: '', TANDEM_DATA_DIR: '', ...env, LOG_LEVEL: 'silent' },
    input,
    encoding: 'utf8',
    timeout: 120_000,
  });

/** Starts `tandem start` on a free port and waits for its "running" line. */
const startServer = (env: Record<string, string>) =>
  new Promise<{ url: string; output: () => string; stop: () => Promise<void> }>((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'start'], {
      env: { ...process.env, DATABASE_URL: '', TANDEM_DATA_DIR: '', ...env, PORT: '0', LOG_LEVEL: 'silent' },
    });
    let output = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), 90_000);
    const stop = () =>
      new Promise<void>((done) => {
        child.once('exit', () => done());
        child.kill('SIGTERM');
      });
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running on (http:\/\/localhost:\d+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ url: match[1], output: () => output, stop });
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${output}`));
    });
  });

describe(`the tandem command on ${engineName()}`, () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  beforeAll(async () => {
    scratch = await createScratchDatabase();
  });
  afterAll(async () => scratch?.drop());

  it('prints help for every command', () => {
    const help = tandem(['--help'], scratch.env);
    expect(help.status).toBe(0);
    for (const command of ['start', 'migrate', 'demo', 'users', 'score']) {
      expect(help.stdout).toContain(command);
      const sub = tandem([command, '--help'], scratch.env);
      expect(sub.status, command).toBe(0);
      expect(sub.stdout).toContain('Usage: tandem');
    }
  });

  it('rejects unknown commands and options with exit 2 and a one-line reason', () => {
    const unknown = tandem(['frobnicate'], scratch.env);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"/);
    const badOption = tandem(['migrate', '--colour'], scratch.env);
    expect(badOption.status).toBe(2);
    expect(badOption.stderr.trim().split('\n')).toHaveLength(1);
    const badPort = tandem(['start', '--port', 'eighty'], scratch.env);
    expect(badPort.status).toBe(2);
    expect(badPort.stderr).toMatch(/--port/);
  });

  it('migrates, and migrating again is harmless', () => {
    expect(tandem(['migrate'], scratch.env).status).toBe(0);
    const again = tandem(['migrate'], scratch.env);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/up to date/);
  });

  it('re-sends questionnaire links on demand: needs the public address the emails carry', () => {
    const without = tandem(['remind'], { ...scratch.env, TANDEM_PUBLIC_URL: '' });
    expect(without.status).toBe(2);
    expect(without.stderr).toMatch(/TANDEM_PUBLIC_URL/);
    const run = tandem(['remind'], { ...scratch.env, TANDEM_PUBLIC_URL: 'https://tandem.example' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Reminders queued: \d+$/m);
  });

  it('creates the first administrator, validating every argument', () => {
    const bad = tandem(['users', 'create', '--email', 'not-an-email', '--name', 'A', '--organisation', 'Acme', '--password', 'long-enough-password'], scratch.env);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--email: must be an email address/);
    const shortPassword = tandem(['users', 'create', '--email', 'a@acme.example', '--name', 'A', '--organisation', 'Acme', '--password', 'short'], scratch.env);
    expect(shortPassword.status).toBe(2);
    expect(shortPassword.stderr).toMatch(/--password: must be at least 12 characters/);
    const badRole = tandem(['users', 'create', '--email', 'a@acme.example', '--name', 'A', '--organisation', 'Acme', '--role', 'king', '--password', 'long-enough-password'], scratch.env);
    expect(badRole.status).toBe(2);
    expect(badRole.stderr).toMatch(/--role/);
    const ok = tandem(['users', 'create', '--email', 'First.Admin@acme.example', '--name', 'First Admin', '--organisation', 'Acme Family Services'], {
      ...scratch.env,
      TANDEM_NEW_USER_PASSWORD: 'a-long-admin-password',
    });
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/Created first.admin@acme.example \(org_admin\) in Acme Family Services \(new organisation\)/);
    const twice = tandem(['users', 'create', '--email', 'first.admin@acme.example', '--name', 'First Admin', '--organisation', 'Acme Family Services', '--password', 'a-long-admin-password'], scratch.env);
    expect(twice.status).toBe(2);
    expect(twice.stderr).toMatch(/already a member/);
  });

  it('starts on a new database, with the demo on the embedded engine only, and keeps data across restarts', async () => {
    const fresh = await createScratchDatabase();
    try {
      const server = await startServer(fresh.env);
      const health = await fetch(`${server.url}/api/health`);
      expect(await health.json()).toEqual({ status: 'ok' });
      let password: string;
      if (TEST_DATABASE_URL) {
        // A PostgreSQL deployment starts empty; `tandem demo` adds the demo on request, once.
        expect(server.output()).not.toMatch(/synthetic/);
        const demo = tandem(['demo', '--password', 'demo-password-for-tests'], fresh.env);
        expect(demo.status, demo.stderr).toBe(0);
        expect(demo.stdout).toMatch(/admin@northgate.example/);
        expect(tandem(['demo'], fresh.env).status).toBe(1);
        password = 'demo-password-for-tests';
      } else {
        expect(server.output()).toMatch(/synthetic/);
        password = /password for every demo account: (\S+)/.exec(server.output())?.[1] ?? '';
        expect(password).not.toBe('');
      }
      const signInTo = (url: string) =>
        fetch(`${url}/api/auth/sign-in`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'manager@northgate.example', password }),
        });
      expect((await signInTo(server.url)).status).toBe(200);
      await server.stop();
      const again = await startServer(fresh.env);
      expect(again.output()).not.toMatch(/synthetic/);
      expect((await signInTo(again.url)).status).toBe(200);
      await again.stop();
    } finally {
      await fresh.drop();
    }
  }, 180_000);
});
