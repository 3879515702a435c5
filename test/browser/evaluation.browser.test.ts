import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/server/demo/demo.ts';
import type { ReportPage } from '../../src/shared/contracts/evaluation-outputs.ts';
import { fmtMean } from '../../src/shared/evaluation-format.ts';
import { expectAccessible, launchBrowser, startWebServer } from '../setup/browser.ts';
import { engineName } from '../setup/engines.ts';
import { call, signIn, TEST_PASSWORD, type TestContext } from '../setup/harness.ts';

/**
 * Issue 6, done-when: the report on the demo data, filtered by site and by role, with its charts, and the PDF
 * downloaded and read back (pdftotext) to check it carries the same figures.
 */
describe(`the outcomes report in Chromium on ${engineName()}`, () => {
  let server: TestContext & { url: string };
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const downloads = mkdtempSync(join(tmpdir(), 'tandem-report-downloads-'));

  beforeAll(async () => {
    server = await startWebServer();
    await seedDemo(server.db.db, { password: TEST_PASSWORD });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
    rmSync(downloads, { recursive: true, force: true });
  });

  const signInAs = async (email: string): Promise<Page> => {
    const context = await browser.newContext({ acceptDownloads: true });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    await page.getByRole('heading', { name: 'Sign in to Tandem' }).waitFor();
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'My work', level: 1 }).waitFor();
    return page;
  };

  it('a manager opens the report on the demo data, filters it by site and role, sees the charts and downloads the PDF with the same figures', async () => {
    const page = await signInAs('manager@northgate.example');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Evaluation', exact: true }).click();
    await page.getByRole('heading', { name: 'Outcomes report', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'CORE-10 — Clinical score', level: 2 }).waitFor();
    // Charts: means with CIs, the clinical shift and the Jacobson–Truax scatter, as real SVG.
    expect(await page.locator('figure[data-chart="means"] svg').count()).toBe(1);
    expect(await page.locator('figure[data-chart="clinical_shift"] svg').count()).toBe(1);
    expect(await page.locator('figure[data-chart="jacobson_truax"] svg').count()).toBe(1);
    expect(await page.locator('figure[data-chart="jacobson_truax"] svg circle, figure[data-chart="jacobson_truax"] svg path').count()).toBeGreaterThan(5);
    expect(await page.getByText('Clinical range: CORE-10 clinical score ≥ 11').count()).toBe(1);
    // Both sites have figures in the unfiltered report.
    const bySite = page.getByRole('region', { name: 'CORE-10 — Clinical score: each timepoint, by site' });
    expect(await bySite.getByRole('rowheader').allTextContents()).toEqual(['Eastfield', 'Northgate']);
    await expectAccessible(page, 'the outcomes report');

    await page.getByLabel('Site', { exact: true }).selectOption({ label: 'Eastfield' });
    await page.getByLabel('Respondents', { exact: true }).selectOption({ label: 'Mothers' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('site: Eastfield; role: mothers: 1 measure.').waitFor();
    expect(new URL(page.url()).search).toBe('?site=Eastfield&role=mother');
    expect(await page.locator('.tandem-chart svg').count()).toBe(3);
    expect(await bySite.getByRole('rowheader').allTextContents()).toEqual(['Eastfield']);
    const byRole = page.getByRole('region', { name: 'CORE-10 — Clinical score: each timepoint, by respondents' });
    expect(await byRole.getByRole('rowheader').allTextContents()).toEqual(['All respondents', 'Mothers']);

    // The figures the page shows, read from the same route, to look for in the PDF.
    const api = await signIn(server.app, 'manager@northgate.example');
    const data = (await call(server.app, api, 'GET', '/api/evaluation/report/page?site=Eastfield&role=mother')).json() as ReportPage;
    const all = data.report.measures.find((m) => m.instrument === 'core-10' && m.primary)?.by_role.all;
    if (!all?.pre.n || all.pre.mean === null || !all.paired.n) throw new Error('the demo should give Eastfield mothers pre scores and pairs');
    expect(all.pre.n).toBeGreaterThanOrEqual(5);
    const preRow = byRole.getByRole('row', { name: /All respondents/ });
    expect(await preRow.textContent()).toContain(`${fmtMean(all.pre.mean)} (${fmtMean(all.pre.sd)})`);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download PDF' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^outcomes-report-\d{4}-\d{2}-\d{2}\.pdf$/);
    const file = join(downloads, 'report.pdf');
    await download.saveAs(file);
    expect(readFileSync(file).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('Outcomes report');
    expect(text).toContain('site: Eastfield; role: mother');
    expect(text).toContain('CORE-10 clinical score ≥ 11');
    expect(text).toContain(`${fmtMean(all.pre.mean)} (${fmtMean(all.pre.sd)})`);
    expect(text).toContain(`${fmtMean(all.paired.mean_pre)} → ${fmtMean(all.paired.mean_post)}`);
    expect(text).not.toContain('Northgate spring group');
  });

  it("a family's case shows each parent's own chart: scores over time with the cut-off and the reliable-change band", async () => {
    const page = await signInAs('manager@northgate.example');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cases', exact: true }).click();
    await page.getByRole('heading', { name: 'Cases', level: 1 }).waitFor();
    await page.getByRole('row', { name: /Patel/ }).first().getByRole('link').first().click();
    await page.getByRole('heading', { name: 'Scores over time', level: 2 }).waitFor();
    const charts = page.locator('figure[data-chart="person"] svg[role="img"]');
    await charts.first().waitFor();
    expect(await charts.count()).toBe(2);
    expect(await page.getByRole('heading', { name: /^Priya Patel: CORE-10 clinical score$/, level: 3 }).count()).toBe(1);
    expect(await page.getByText(/^From first to latest: [−+]?[\d.]+ points \((reliable improvement|no reliable change|reliable deterioration)\)\.$/).count()).toBe(2);
    await expectAccessible(page, 'a case with scores over time');
  });

  it("a manager saves a funder's return and produces it; the organisation admin downloads the pseudonymised export", async () => {
    const page = await signInAs('manager@northgate.example');
    await page.goto(`${server.url}/evaluation`);
    await page.getByRole('heading', { name: 'Outcomes report', level: 1 }).waitFor();
    await page.getByRole('link', { name: "Funders' returns" }).click();
    await page.getByRole('heading', { name: "Funders' returns", level: 1 }).waitFor();
    await page.getByLabel('Name of the return').fill('Fund quarterly outcomes');
    await page.getByLabel('Funder', { exact: true }).fill('Family Relationships Fund');
    await page.getByLabel('Site (optional)').fill('Eastfield');
    await page.getByLabel('Site', { exact: true }).check();
    await page.getByRole('button', { name: 'Save the return' }).click();
    await page.getByText('Return saved: Fund quarterly outcomes').waitFor();
    const row = page.getByRole('region', { name: 'Saved returns' }).getByRole('row', { name: /Fund quarterly outcomes/ });
    expect(await row.textContent()).toContain('Family Relationships Fund');
    await expectAccessible(page, "funders' returns");
    const [csv] = await Promise.all([page.waitForEvent('download'), row.getByRole('link', { name: 'CSV of Fund quarterly outcomes' }).click()]);
    const csvFile = join(downloads, 'return.csv');
    await csv.saveAs(csvFile);
    expect(readFileSync(csvFile, 'utf8').split('\n')[0]).toContain('instrument,scale,better');

    const admin = await signInAs('admin@northgate.example');
    await admin.goto(`${server.url}/evaluation/export`);
    await admin.getByRole('heading', { name: 'Pseudonymised export', level: 1 }).waitFor();
    await admin.getByLabel('Site (optional)').fill('Eastfield');
    await expectAccessible(admin, 'the pseudonymised export');
    const [file] = await Promise.all([admin.waitForEvent('download'), admin.getByRole('link', { name: 'Download the pseudonymised CSV' }).click()]);
    const exportFile = join(downloads, 'export.csv');
    await file.saveAs(exportFile);
    const lines = readFileSync(exportFile, 'utf8').trim().split('\n');
    expect(lines[0]?.startsWith('respondent_key,subject_key,family_key,respondent_role')).toBe(true);
    expect(lines.length).toBeGreaterThan(20);
    expect(lines.slice(1).every((line) => line.includes(',Eastfield,'))).toBe(true);
    expect(lines.join('\n')).not.toMatch(/DEMO-F|Patel|\d{4}-\d{2}-\d{2}/);
  });
});
