import { sql } from 'kysely';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineName } from '../setup/engines.ts';
import { expectAccessible, launchBrowser, startWebServer } from '../setup/browser.ts';
import { createOrgWithStaff, TEST_PASSWORD, type TestOrg } from '../setup/harness.ts';

/* Issue 4 item 8 in the web app: choose a CSV file, see its problems by line and column, then confirm the import. */

const header = 'respondent_id,respondent_role,child_id,instrument,timepoint,completed_on,item_1,item_2,item_3,item_4,item_5,item_6,item_7,item_8,item_9,item_10';
const good = (ref: string) => `${ref},mother,,core-10,pre,2024-01-15,2,1,3,1,0,0,2,1,2,1`;
const csv = [header, good('F001-M'), good('F002-M'), 'F003-M,mother,,core-10,pre,2024-01-15,2,1,3,1,0,5,2,1,2,1'].join('\n');

describe(`the CSV import page in Chromium on ${engineName()}`, () => {
  let server: Awaited<ReturnType<typeof startWebServer>>;
  let browser: Browser;
  let org: TestOrg;

  beforeAll(async () => {
    server = await startWebServer();
    org = await createOrgWithStaff(server, 'Import Browser Org');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const signInAs = async (email: string): Promise<Page> => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}/`);
    await page.getByRole('heading', { name: 'Sign in to Tandem' }).waitFor();
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'My work', level: 1 }).waitFor();
    return page;
  };
  const count = async (): Promise<number> =>
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM administration WHERE organisation_id = ${org.id}`.execute(server.db.db)).rows[0]?.n ?? 0;

  it('shows every problem with its line and column, previews the counts, and imports only on confirmation', async () => {
    const page = await signInAs(org.users.service_manager.email);
    await page.getByRole('link', { name: 'Import questionnaires' }).first().click();
    await page.getByRole('heading', { name: 'Import questionnaires', level: 1 }).waitFor();
    await expectAccessible(page, 'import page');

    // No file chosen.
    await page.getByRole('button', { name: 'Check the file' }).click();
    await page.getByText('Choose a CSV file to check').first().waitFor();
    await expectAccessible(page, 'import page without a file');

    await page.getByLabel('CSV file').setInputFiles({ name: 'spring.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Check the file' }).click();
    await page.getByRole('heading', { name: 'spring.csv cannot be imported as it is' }).waitFor();
    await page.getByText('Nothing would be imported: 1 line has problems').first().waitFor();
    const row = page.getByRole('row').filter({ hasText: 'item_6' });
    await expect(row.getByRole('cell').nth(0).textContent()).resolves.toBe('4');
    await expect(row.textContent()).resolves.toContain('5 is out of range (allowed 0–4)');
    await expectAccessible(page, 'import page with problems');
    expect(await count()).toBe(0);

    await page.getByLabel('Import the good rows and leave out rows with problems').check();
    await page.getByRole('button', { name: 'Check the file' }).click();
    await page.getByRole('heading', { name: 'What importing spring.csv would do' }).waitFor();
    await expect(page.locator('.govuk-summary-list').textContent()).resolves.toMatch(/New questionnaires\s*2/);
    await expectAccessible(page, 'import preview');
    expect(await count()).toBe(0);

    await page.getByRole('button', { name: 'Import 2 questionnaires' }).click();
    await page.getByText('Questionnaires imported').waitFor();
    await page.getByText('2 new, 0 updated, 0 unchanged, 1 left out.').waitFor();
    await expectAccessible(page, 'import done');
    expect(await count()).toBe(2);
  });

  it('is not offered to case workers', async () => {
    const page = await signInAs(org.users.case_worker.email);
    expect(await page.getByRole('link', { name: 'Import questionnaires' }).count()).toBe(0);
  });
});
