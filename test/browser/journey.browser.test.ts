import { sql } from 'kysely';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInProgrammes, createProgrammes } from '../../src/server/modules/programmes/index.ts';
import { engineName } from '../setup/engines.ts';
import { expectAccessible, launchBrowser, startWebServer } from '../setup/browser.ts';
import { createOrgWithStaff, TEST_PASSWORD, type TestOrg } from '../setup/harness.ts';
import { yearsAgo } from '../setup/referrals.ts';

const phone = { viewport: { width: 375, height: 720 }, isMobile: true, hasTouch: true };

/** Fills a GOV.UK date input (day, month, year) from an ISO day. */
const fillDate = async (page: Page, id: string, isoDay: string) => {
  const [year, month, day] = isoDay.split('-') as [string, string, string];
  await page.locator(`#${id}-day`).fill(String(Number(day)));
  await page.locator(`#${id}-month`).fill(String(Number(month)));
  await page.locator(`#${id}-year`).fill(year);
};

/** Answers a radio question by its legend and the option's label. */
const answer = (page: Page, question: string | RegExp, option: string) =>
  page.getByRole('group', { name: question }).getByLabel(option, { exact: true }).check();

/** The Fieldings: two parents willing to attend, a six-year-old, no court proceedings, consent given. */
const fillFamily = async (page: Page) => {
  await page.locator('#referral-parents-0-givenName').fill('Dana');
  await page.locator('#referral-parents-0-familyName').fill('Fielding');
  await fillDate(page, 'referral-parents-0-dateOfBirth', yearsAgo(34));
  await page.locator('#referral-parents-0-gender').check();
  await page.locator('#referral-parents-0-relationship').selectOption('birth_parent');
  await page.locator('#referral-parents-0-email').fill('dana.fielding@family.example');
  await page.locator('#referral-parents-0-willingToAttend').check();

  await page.getByRole('button', { name: 'Add another adult' }).click();
  // The new adult's first box has the keyboard.
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('referral-parents-1-givenName');
  await page.locator('#referral-parents-1-givenName').fill('Marcus');
  await page.locator('#referral-parents-1-familyName').fill('Fielding');
  await fillDate(page, 'referral-parents-1-dateOfBirth', yearsAgo(36));
  await page.locator('#referral-parents-1-relationship').selectOption('birth_parent');
  await page.locator('#referral-parents-1-phone').fill('07700 900123');
  await page.locator('#referral-parents-1-willingToAttend').check();

  await page.locator('#referral-children-0-givenName').fill('Lily');
  await page.locator('#referral-children-0-familyName').fill('Fielding');
  await fillDate(page, 'referral-children-0-dateOfBirth', yearsAgo(6));
  await page.getByLabel(/What would you like help with\?|Why is the family being referred\?/).fill('We argue a lot in front of our daughter and want to parent together better.');
  await answer(page, 'Are there court proceedings about the children at the moment?', 'No');
  await answer(page, 'Is this an adoptive family?', 'No');
  await page.getByLabel('The family agrees to this referral').check();
  await answer(page, /Does the family agree to information being shared/, 'Yes');
  await answer(page, 'How would the family like to be contacted?', 'Email');
  await page.getByLabel('When is it safe to contact them? (optional)').fill('Weekdays after 10am');
  await answer(page, 'Is it safe to leave a message?', 'Yes');
};

const noHorizontalScroll = async (page: Page) =>
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);

describe(`the family's journey in Chromium on ${engineName()}`, () => {
  let server: Awaited<ReturnType<typeof startWebServer>>;
  let browser: Browser;
  let org: TestOrg;

  const referralCount = async (): Promise<number> =>
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM referral WHERE organisation_id = ${org.id}`.execute(server.db.db)).rows[0]?.n ?? 0;

  beforeAll(async () => {
    server = await startWebServer();
    org = await createOrgWithStaff(server, 'Journey Browser Org');
    await createProgrammes(server.db.db, org.id, builtInProgrammes);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const signInAs = async (page: Page, email: string) => {
    await page.goto(`${server.url}/`);
    await page.getByRole('heading', { name: 'Sign in to Tandem' }).waitFor();
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'My work', level: 1 }).waitFor();
  };

  const openForm = async (page: Page) => {
    await page.goto(`${server.url}/refer/${org.slug}`);
    await page.getByRole('heading', { name: `Refer a family to ${org.name}`, level: 1 }).waitFor();
  };

  it('refuses a public referral with a future date of birth and no consent, names each problem, and stores nothing', async () => {
    const before = await referralCount();
    const context = await browser.newContext(phone);
    const page = await context.newPage();
    await openForm(page);
    // No staff navigation on the public form.
    expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: /sign in|my work|referrals/i }).count()).toBe(0);
    await expectAccessible(page, 'public referral form');

    await answer(page, 'Who are you?', 'A parent or carer, referring my own family');
    await page.getByLabel('Your full name').fill('Dana Fielding');
    await page.getByLabel('Your email address').fill('dana.fielding@family.example');
    await page.locator('#referral-parents-0-givenName').fill('Dana');
    await page.locator('#referral-parents-0-familyName').fill('Fielding');
    await page.locator('#referral-parents-0-relationship').selectOption('birth_parent');
    await answer(page, 'Willing to attend?', 'Yes');
    await page.locator('#referral-children-0-givenName').fill('Lily');
    await page.locator('#referral-children-0-familyName').fill('Fielding');
    const nextYear = new Date();
    nextYear.setUTCFullYear(nextYear.getUTCFullYear() + 1);
    await fillDate(page, 'referral-children-0-dateOfBirth', nextYear.toISOString().slice(0, 10));
    await page.getByLabel('What would you like help with?').fill('We argue in front of our daughter.');
    await answer(page, 'Are there court proceedings about the children at the moment?', 'No');
    await answer(page, 'Is this an adoptive family?', 'No');
    await answer(page, /Does the family agree to information being shared/, 'Yes');
    await answer(page, 'How would the family like to be contacted?', 'Email');
    await answer(page, 'Is it safe to leave a message?', 'Yes');
    await page.getByRole('button', { name: 'Send referral' }).click();

    const summary = page.locator('.govuk-error-summary');
    await summary.getByText('There is a problem').waitFor();
    expect(await summary.getByRole('link', { name: 'Child 1’s date of birth cannot be in the future' }).count()).toBe(1);
    expect(await summary.getByRole('link', { name: 'Confirm that the family agrees to this referral' }).count()).toBe(1);
    expect(await page.title()).toMatch(/^Error: /);
    // The summary's links take the keyboard to the field.
    await summary.getByRole('link', { name: 'Child 1’s date of birth cannot be in the future' }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('referral-children-0-dateOfBirth-day');
    await expectAccessible(page, 'public referral form with errors');
    await noHorizontalScroll(page);
    expect(await referralCount()).toBe(before);
    await context.close();
  });

  it('a parent self-refers on a phone; a case worker triages, accepts and allocates it to themselves, and moves the case on', async () => {
    // The parent, on a phone, without signing in.
    const parentContext = await browser.newContext(phone);
    const parent = await parentContext.newPage();
    await openForm(parent);
    await answer(parent, 'Who are you?', 'A parent or carer, referring my own family');
    await parent.getByLabel('Your full name').fill('Dana Fielding');
    await parent.getByLabel('Your email address').fill('dana.fielding@family.example');
    await answer(parent, /Which programme is the referral for/, 'Parents as Partners');

    await fillFamily(parent);
    await expectAccessible(parent, 'public referral form, filled in');
    await noHorizontalScroll(parent);
    await parent.getByRole('button', { name: 'Send referral' }).click();

    await parent.getByRole('heading', { name: 'Referral sent', level: 1 }).waitFor();
    const reference = ((await parent.locator('.tandem-reference').textContent()) ?? '').trim();
    expect(reference).toMatch(/^R-[A-Z0-9]{8}$/);
    expect(await parent.getByText('Your referral has been received').count()).toBe(1);
    await expectAccessible(parent, 'referral sent confirmation');
    await noHorizontalScroll(parent);
    await parentContext.close();

    // The case worker finds it in the triage queue.
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInAs(page, org.users.case_worker.email);
    await page.getByRole('link', { name: new RegExp(`Triage referral ${reference}`) }).waitFor();
    await expectAccessible(page, 'my work with a referral to triage');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Referrals' }).click();
    await page.getByRole('heading', { name: 'Referrals', level: 1 }).waitFor();
    const row = page.getByRole('row').filter({ hasText: reference });
    await row.waitFor();
    expect(await row.textContent()).toContain('Parents as Partners');
    await expectAccessible(page, 'triage queue');

    await row.getByRole('link', { name: reference }).click();
    await page.getByRole('heading', { name: `Referral ${reference}`, level: 1 }).waitFor();
    const eligibility = page.getByRole('region', { name: 'Eligibility check' });
    await eligibility.getByText('The youngest child is 6').waitFor();
    expect(await eligibility.textContent()).toContain('No active court proceedings');
    expect(await eligibility.textContent()).toContain('Every adult named is willing to attend');
    await expectAccessible(page, 'referral detail');

    // Saving without a decision names the problem.
    await page.getByRole('button', { name: 'Save decision' }).click();
    await page.locator('.govuk-error-summary').getByRole('link', { name: 'Select a decision' }).waitFor();
    await expectAccessible(page, 'referral decision with an error');

    await page.getByLabel('Accept', { exact: true }).check();
    await page.getByLabel('Allocate the case to me').check();
    await expectAccessible(page, 'referral decision, accept chosen');
    await page.getByRole('button', { name: 'Save decision' }).click();
    await page.getByText('Referral accepted: a case is open for the family').waitFor();
    await expectAccessible(page, 'referral accepted');

    await page.getByRole('link', { name: 'Go to the case' }).click();
    await page.getByRole('heading', { name: 'Fielding family', level: 1 }).waitFor();
    const caseReference = ((await page.locator('.govuk-caption-l').textContent()) ?? '').replace('Case ', '').trim();
    expect(caseReference).toMatch(/^C-/);
    expect(await page.getByRole('region', { name: 'Children' }).textContent()).toContain('Lily Fielding');
    expect(await page.getByRole('region', { name: 'Adults' }).textContent()).toContain('Safe times: Weekdays after 10am');
    await expectAccessible(page, 'case page');

    // The case is in their caseload, and "Book the assessment" is on My work.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cases' }).click();
    await page.getByRole('heading', { name: 'Cases', level: 1 }).waitFor();
    const caseRow = page.getByRole('row').filter({ hasText: caseReference });
    await caseRow.waitFor();
    expect(await caseRow.textContent()).toContain(org.users.case_worker.name);
    expect(await caseRow.textContent()).toContain('Triaged');
    await expectAccessible(page, 'caseload');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My work' }).click();
    await page.getByRole('heading', { name: 'My work', level: 1 }).waitFor();
    const task = page.getByRole('link', { name: `Book the assessment for ${caseReference} (Fielding family)` });
    await task.waitFor();
    await expectAccessible(page, 'my work with a case task');

    await task.click();
    await page.getByRole('heading', { name: 'Fielding family', level: 1 }).waitFor();
    // Withdrawing needs a reason.
    await page.getByLabel('Withdrawn').check();
    await page.getByRole('button', { name: 'Move case' }).click();
    await page.locator('.govuk-error-summary').getByRole('link', { name: 'Give the reason for moving the case to withdrawn' }).waitFor();
    await expectAccessible(page, 'case page with a stage error');

    await page.getByLabel('Assessment booked').check();
    await page.getByLabel('Reason (optional)').fill('Joint interview booked for Tuesday with both facilitators');
    await page.getByRole('button', { name: 'Move case' }).click();
    await page.getByText('Case moved to assessment booked').waitFor();
    const history = page.getByRole('region', { name: 'History' });
    const change = history.getByRole('row').filter({ hasText: 'Triaged → Assessment booked' });
    await change.waitFor();
    expect(await change.textContent()).toContain('Joint interview booked for Tuesday');
    expect(await change.textContent()).toContain(org.users.case_worker.name);
    await expectAccessible(page, 'case page after moving the stage');
    await context.close();
  });

  it('a manager enters an agency referral of known people, links them, allocates a case worker; a second decision meets a conflict', async () => {
    const managerContext = await browser.newContext();
    const manager = await managerContext.newPage();
    await signInAs(manager, org.users.service_manager.email);
    await manager.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Referrals' }).click();
    await manager.getByRole('link', { name: 'Enter a referral' }).click();
    await manager.getByRole('heading', { name: 'Enter a referral', level: 1 }).waitFor();
    await expectAccessible(manager, 'enter a referral');
    // A professional referral needs the agency.
    await answer(manager, 'Who made the referral?', 'A professional or agency');
    await manager.getByLabel('Referrer’s full name').fill('Priya Shah');
    await manager.getByLabel('Referrer’s email address').fill('priya.shah@council.example');
    await fillFamily(manager);
    await manager.getByRole('button', { name: 'Save referral' }).click();
    await manager.locator('.govuk-error-summary').getByRole('link', { name: 'Enter the referring agency' }).waitFor();
    await expectAccessible(manager, 'enter a referral with an error');
    await manager.getByLabel('Referring agency').fill('Northshire children’s services');
    await manager.getByRole('button', { name: 'Save referral' }).click();
    await manager.getByText(/Referral R-[A-Z0-9]{8} entered/).waitFor();
    const url = manager.url();

    // The people were accepted before (the self-referral above), so they show as possibly known.
    const known = manager.getByRole('group', { name: 'These people may already be known' });
    await known.waitFor();
    expect(await known.textContent()).toContain('name and date of birth');
    await expectAccessible(manager, 'referral with possible duplicates');

    // A case worker opens the same referral before the manager decides.
    const workerContext = await browser.newContext();
    const worker = await workerContext.newPage();
    await signInAs(worker, org.users.case_worker.email);
    await worker.goto(url);
    await worker.getByRole('button', { name: 'Save decision' }).waitFor();

    await known.getByRole('checkbox').first().check();
    await manager.getByLabel('Accept', { exact: true }).check();
    await manager.getByLabel('Case worker').selectOption({ label: org.users.case_worker.name });
    await manager.getByRole('button', { name: 'Save decision' }).click();
    await manager.getByText('Referral accepted: a case is open for the family').waitFor();

    await worker.getByLabel('Decline', { exact: true }).check();
    await worker.getByLabel('Reason for declining').fill('Not for us');
    await worker.getByRole('button', { name: 'Save decision' }).click();
    await worker.getByText(/Someone else decided this referral/).waitFor();
    // The page shows the latest: accepted, with no decision form left.
    await worker.getByRole('link', { name: 'Open the family’s case' }).waitFor();
    expect(await worker.getByRole('button', { name: 'Save decision' }).count()).toBe(0);
    await expectAccessible(worker, 'referral decided by someone else');
    await workerContext.close();

    // The manager reallocates the case to themselves.
    await manager.getByRole('link', { name: 'Go to the case' }).click();
    await manager.getByRole('heading', { name: 'Fielding family', level: 1 }).waitFor();
    await manager.getByLabel('Case worker').selectOption({ label: org.users.service_manager.name });
    await manager.getByRole('button', { name: 'Save allocation' }).click();
    await manager.getByText(`Case allocated to ${org.users.service_manager.name}`).waitFor();
    await expectAccessible(manager, 'case page after reallocation');
    await managerContext.close();
  });
});
