import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/*
 * The real server as operators run it: `node bin/tandem.js start` in its own process, so a test can SIGKILL it
 * mid-write and start it again on the same data (the crash test, the benchmarks' start-up timing).
 */

export const BIN = new URL('../../bin/tandem.js', import.meta.url).pathname;

export type RunningServer = {
  url: string;
  child: ChildProcess;
  /** Milliseconds from spawn to the "running" line. */
  startedInMs: number;
  output: () => string;
  /** SIGKILL: no shutdown hooks, no flush, nothing. */
  kill: () => Promise<void>;
  /** SIGTERM: the orderly stop. */
  stop: () => Promise<void>;
};

/*
 * `tandem start` builds the web app when its sources are newer than the built copy. These servers answer the API
 * only, so they get a placeholder web folder dated in the future: no build (which would take a minute and share
 * dist/web with whoever else is building), and every start does the same work.
 */
const placeholderWeb = (): string => {
  const dir = join(tmpdir(), `tandem-web-placeholder-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const index = join(dir, 'index.html');
  writeFileSync(index, '<!doctype html><title>Tandem API</title>');
  const future = new Date('2100-01-01T00:00:00Z');
  utimesSync(index, future, future);
  return dir;
};

export const startTandem = (env: Record<string, string>, timeoutMs = 120_000): Promise<RunningServer> =>
  new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [BIN, 'start'], {
      env: { ...process.env, DATABASE_URL: '', TANDEM_DATA_DIR: '', LOG_LEVEL: 'silent', TANDEM_WEB_DIST: placeholderWeb(), ...env, PORT: '0', HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let ready = false;
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    const signal = (name: NodeJS.Signals) => async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill(name);
      await exited;
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start in ${timeoutMs} ms: ${output}`));
    }, timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running on http:\/\/localhost:(\d+)/.exec(output);
      if (match?.[1] && !ready) {
        ready = true;
        clearTimeout(timer);
        resolve({
          url: `http://127.0.0.1:${match[1]}`,
          child,
          startedInMs: performance.now() - started,
          output: () => output,
          kill: signal('SIGKILL'),
          stop: signal('SIGTERM'),
        });
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code, sig) => {
      clearTimeout(timer);
      if (!ready) reject(new Error(`server exited (${code ?? sig}) before it was ready: ${output}`));
    });
  });

/** A signed-in HTTP client of a running server (fetch, cookie and CSRF token kept). */
export type Client = {
  request: (method: string, path: string, body?: unknown, contentType?: string) => Promise<{ status: number; json: () => unknown; text: string }>;
  /** The same session against another server on the same data (a restarted one): sessions live in the database. */
  at: (url: string) => Client;
};

const clientOf = (url: string, cookie: string, csrfToken: string): Client => ({
  request: async (method, path, body, contentType) => {
    const headers: Record<string, string> = { cookie, 'x-csrf-token': csrfToken };
    if (body !== undefined) headers['content-type'] = contentType ?? 'application/json';
    const r = await fetch(`${url}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await r.text();
    return { status: r.status, text, json: () => JSON.parse(text) as unknown };
  },
  at: (other) => clientOf(other, cookie, csrfToken),
});

export const signInTo = async (url: string, email: string, password: string): Promise<Client> => {
  const res = await fetch(`${url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (res.status !== 200) throw new Error(`sign-in ${res.status}: ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { session } = (await res.json()) as { session: { csrfToken: string } };
  return clientOf(url, cookie, session.csrfToken);
};
