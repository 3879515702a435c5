import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { WEB_DIST } from '../../src/server/app.ts';
import { buildApp } from '../../src/server/app.ts';
import { readConfig } from '../../src/server/config.ts';
import { openTestDatabase } from './engines.ts';
import { TEST_PASSWORD, type TestContext } from './harness.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, headless, with the flags this closed network needs (no background connections). */
export const launchBrowser = (): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });

/** The real server (API + built web app) on a free loopback port, over a fresh test database. */
export const startWebServer = async (): Promise<TestContext & { url: string }> => {
  const db = await openTestDatabase();
  const config = readConfig({ LOG_LEVEL: 'silent', TANDEM_AUTH_RATE_PER_MINUTE: '10000' });
  const app = await buildApp({ db: db.db, config, webDir: WEB_DIST });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    db,
    app,
    config,
    url: address,
    close: async () => {
      await app.close();
      await db.close();
    },
  };
};

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] };

/** Runs axe-core in the page against WCAG 2.0–2.2 A and AA rules and fails on any violation. */
export const expectAccessible = async (page: Page, label: string): Promise<void> => {
  // Evaluated through the DevTools protocol, which the page's strict Content-Security-Policy does not block
  // (the app itself runs under that policy in these tests).
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: unknown[] }> } }).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return result.violations;
  });
  const summary = (violations as AxeViolation[]).map((v) => `${v.id} (${v.impact ?? '?'}): ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`);
  expect(summary, `accessibility of ${label}`).toEqual([]);
};

/**
 * Signs `email` in through the sign-in page, in a browser context of its own (so several people can be signed in at
 * once), and waits for their My work page. The context is added to `contexts` for the caller's afterAll to close.
 */
export const signInAs = async (
  browser: Browser,
  url: string,
  contexts: BrowserContext[],
  email: string,
  options: Parameters<Browser['newContext']>[0] = {},
): Promise<Page> => {
  const context = await browser.newContext(options);
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${url}/`);
  await page.getByRole('heading', { name: 'Sign in to Tandem' }).waitFor();
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'My work', level: 1 }).waitFor();
  return page;
};
