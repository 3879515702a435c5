import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineName } from '../setup/engines.ts';
import { expectAccessible, launchBrowser, startWebServer } from '../setup/browser.ts';
import { createOrgWithStaff, TEST_PASSWORD, type TestOrg } from '../setup/harness.ts';

describe(`the web app in Chromium on ${engineName()}`, () => {
  let server: Awaited<ReturnType<typeof startWebServer>>;
  let browser: Browser;
  let org: TestOrg;

  beforeAll(async () => {
    server = await startWebServer();
    org = await createOrgWithStaff(server, 'Browser Org');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const signInAs = async (page: Page, email: string, password = TEST_PASSWORD) => {
    await page.goto(`${server.url}/`);
    await page.getByRole('heading', { name: 'Sign in to Tandem' }).waitFor();
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };

  it('an admin signs in, invites a user, and finds that action in the audit search; every page passes axe', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    await page.getByRole('heading', { name: 'Sign in to Tandem' }).waitFor();
    await expectAccessible(page, 'sign-in page');

    // A wrong password gets a clear message and no session.
    await page.getByLabel('Email address').fill(org.users.org_admin.email);
    await page.getByLabel('Password').fill('not-my-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByText('Email or password is incorrect').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await expectAccessible(page, 'sign-in page with an error');

    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(org.name).first().waitFor();
    await expectAccessible(page, 'home page');

    await page.getByRole('link', { name: 'Users' }).first().click();
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    await expect.poll(() => page.getByText(org.users.case_worker.email).count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await expectAccessible(page, 'users page');

    await page.getByRole('link', { name: 'Invite a user' }).click();
    await page.getByRole('heading', { name: 'Invite a user' }).waitFor();
    await expectAccessible(page, 'invite page');
    // Bad input: the error summary names each field, and nothing is created.
    await page.getByLabel('Email address').fill('not an email');
    await page.getByRole('button', { name: 'Invite user' }).click();
    await page.getByText('There is a problem').waitFor();
    await expectAccessible(page, 'invite page with errors');

    await page.getByLabel('Full name').fill('Jess Newcomer');
    await page.getByLabel('Email address').fill('jess.newcomer@browser.example');
    await page.getByLabel('Case worker').check();
    await page.getByRole('button', { name: 'Invite user' }).click();
    await page.getByRole('heading', { name: 'Invitation created' }).waitFor();
    const invitationUrl = await page.getByLabel('Invitation link').inputValue();
    expect(invitationUrl).toContain('/accept-invitation?token=');
    await expectAccessible(page, 'invitation created page');

    await page.getByRole('link', { name: 'Audit trail' }).first().click();
    await page.getByRole('heading', { name: 'Audit trail', level: 1 }).waitFor();
    await expectAccessible(page, 'audit page');
    await page.getByLabel('Action').fill('create:user');
    await page.getByRole('button', { name: 'Search' }).click();
    // Newest first: the invitation just made, by this admin.
    const row = page.getByRole('row').filter({ hasText: 'create:user' }).first();
    await row.waitFor();
    expect(await row.textContent()).toContain(org.users.org_admin.name);
    await expectAccessible(page, 'audit page with results');

    await page.getByRole('link', { name: 'Account security' }).first().click();
    await page.getByRole('heading', { level: 1 }).waitFor();
    await expectAccessible(page, 'account security page');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Tandem' }).waitFor();
    await context.close();

    // The invited person opens their link, chooses a password and signs in as a case worker.
    const invitee = await browser.newContext();
    const p2 = await invitee.newPage();
    await p2.goto(invitationUrl.replace(/^https?:\/\/[^/]+/, server.url));
    await p2.getByRole('heading', { level: 1 }).waitFor();
    await expectAccessible(p2, 'accept invitation page');
    const passwordFields = p2.locator('input[type="password"]');
    await passwordFields.nth(0).fill('jess-chose-this-password');
    await passwordFields.nth(1).fill('jess-chose-this-password');
    await p2.getByRole('button').filter({ hasText: /password|account|continue|save/i }).first().click();
    await p2.getByText(/ready/i).first().waitFor();
    await signInAs(p2, 'jess.newcomer@browser.example', 'jess-chose-this-password');
    await p2.getByText('Case worker').first().waitFor();
    // A case worker is not offered the users or audit pages.
    expect(await p2.getByRole('link', { name: 'Audit trail' }).count()).toBe(0);
    await invitee.close();
  });

  it('the reset-password page and page-not-found pass axe, and nobody signed out sees the users page', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInAs(page, org.users.facilitator.email);
    await page.getByText(org.name).first().waitFor();
    await page.goto(`${server.url}/no-such-page`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/not found/i);
    await expectAccessible(page, 'page not found');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Tandem' }).waitFor();
    await page.goto(`${server.url}/reset-password`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await expectAccessible(page, 'reset password page');
    await page.goto(`${server.url}/users`);
    await page.getByRole('heading', { name: 'Sign in to Tandem' }).waitFor();
    await context.close();
  });

  it('works on a phone-sized screen', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 720 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await signInAs(page, org.users.case_worker.email);
    await page.getByText(org.name).first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expectAccessible(page, 'home page on a phone');
    await context.close();
  });
});
