import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, launchBrowser, signInAs as signInWith, startWebServer } from '../setup/browser.ts';
import { engineName } from '../setup/engines.ts';
import { call, createOrgWithStaff, signIn, type TestContext, type TestOrg } from '../setup/harness.ts';
import { assessedCase, newFunder, type FundedCase } from '../setup/fund-applications.ts';

const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/*
 * Issue 7, item 3 in a real browser: a case worker makes an application in a child's name from the case and
 * submits it (refused first, saying the assessment is not current); a service manager records the fund's approval;
 * a commissioner sees it per participant, without names. Every page gets an axe check.
 */
describe(`fund applications in Chromium on ${engineName()}`, () => {
  let server: TestContext & { url: string };
  let org: TestOrg;
  let browser: Browser;
  let current: FundedCase;
  let stale: FundedCase;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startWebServer();
    org = await createOrgWithStaff(server, 'Fund Browser Org');
    const manager = await signIn(server.app, org.users.service_manager.email);
    const asf = await newFunder(server, org.id);
    await call(server.app, manager, 'PUT', `/api/fund-application-rules/${asf}`, { annualLimitPence: 500000, assessmentValidMonths: 12, yearStartMonth: 4, version: 0 });
    current = await assessedCase(server, org, manager, { family: 'Brightwell', children: ['Poppy'], heldDaysAgo: 20, caseWorker: org.users.case_worker.id });
    stale = await assessedCase(server, org, manager, { family: 'Longago', children: ['Toby'], heldDaysAgo: 420, caseWorker: org.users.case_worker.id });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  });

  const signInAs = (email: string): Promise<Page> => signInWith(browser, server.url, contexts, email);

  const fillDraft = async (page: Page, child: string, amount: string) => {
    await page.getByRole('group', { name: 'The child it is in the name of' }).getByLabel(child).check();
    const [y, m, d] = day(7).split('-') as [string, string, string];
    await page.locator('#service-from-day').fill(String(Number(d)));
    await page.locator('#service-from-month').fill(String(Number(m)));
    await page.locator('#service-from-year').fill(y);
    await page.getByLabel('Amount (£)').fill(amount);
    await page.getByRole('button', { name: 'Save as draft' }).click();
    await page.getByText(`Draft saved: ${child}`).waitFor();
  };

  it('a case worker cannot submit on an old assessment, and the refusal says why', async () => {
    const page = await signInAs(org.users.case_worker.email);
    await page.goto(`${server.url}/cases/${stale.caseId}`);
    await page.getByRole('link', { name: 'Fund applications for this family' }).click();
    await page.getByRole('heading', { name: 'Fund applications', level: 1 }).waitFor();
    await expectAccessible(page, 'case fund applications, empty');
    await fillDraft(page, 'Toby Longago', '1800');
    await page.getByRole('button', { name: 'Submit to the fund' }).click();
    const summary = page.locator('.govuk-error-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toMatch(/Cannot submit: the assessment of the Longago family is not current: completed \d{1,2} \w+ \d{4}, more than 12 months before/);
    await expectAccessible(page, 'case fund applications, refused');
  });

  it('a case worker makes and submits an application from the case; a manager records the approval; a commissioner sees it without names', async () => {
    const worker = await signInAs(org.users.case_worker.email);
    await worker.goto(`${server.url}/cases/${current.caseId}`);
    await worker.getByRole('link', { name: 'Fund applications for this family' }).click();
    await worker.getByRole('heading', { name: 'Fund applications', level: 1 }).waitFor();
    // Over the £5,000 limit without match funding: submitting says how much must be match-funded.
    await fillDraft(worker, 'Poppy Brightwell', '6,000');
    await worker.getByRole('button', { name: 'Submit to the fund' }).click();
    await worker.locator('.govuk-error-summary').waitFor();
    expect(await worker.locator('.govuk-error-summary').textContent()).toContain('at least £1,000.00 must be match-funded');
    await worker.getByRole('button', { name: 'Withdraw' }).click();
    await worker.getByText('Withdrawn: Poppy Brightwell').waitFor();
    await fillDraft(worker, 'Poppy Brightwell', '2,400.50');
    const card = worker.locator('section.govuk-summary-card', { has: worker.getByText('Draft', { exact: true }) });
    await card.getByRole('button', { name: 'Submit to the fund' }).click();
    await worker.getByText('Submitted: Poppy Brightwell').waitFor();
    await expectAccessible(worker, 'case fund applications, submitted');

    const manager = await signInAs(org.users.service_manager.email);
    await manager.goto(`${server.url}/cases/${current.caseId}/fund-applications`);
    await manager.getByRole('heading', { name: 'Fund applications', level: 1 }).waitFor();
    const submitted = manager.locator('section.govuk-summary-card', { has: manager.getByText('Submitted', { exact: true }) });
    await submitted.getByLabel("The fund's reference (optional)").fill('ASF-2026-7731');
    await submitted.getByLabel('Note (optional)').fill('Approved by the fund on the phone');
    await submitted.getByRole('button', { name: 'Record approval' }).click();
    await manager.getByText('Approved: Poppy Brightwell').waitFor();
    const approved = manager.locator('section.govuk-summary-card', { has: manager.getByText('Approved', { exact: true }) });
    expect(await approved.textContent()).toContain('ASF-2026-7731');
    expect(await approved.textContent()).toContain('£2,400.50');
    await expectAccessible(manager, 'case fund applications, approved');

    const commissioner = await signInAs(org.users.commissioner.email);
    await commissioner.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Fund applications', exact: true }).click();
    await commissioner.getByRole('heading', { name: 'Fund applications', level: 1 }).waitFor();
    const table = commissioner.getByRole('region', { name: 'Fund applications per participant' });
    await table.waitFor();
    const text = (await table.textContent()) ?? '';
    expect(text).toContain('child 1');
    expect(text).toContain('£2,400.50');
    for (const name of ['Poppy', 'Brightwell', 'Toby', 'Longago']) expect(text).not.toContain(name);
    await expectAccessible(commissioner, 'fund applications per participant');
  });
});
