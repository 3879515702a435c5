import { sql } from 'kysely';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBuiltInInstrument } from '../../src/server/modules/measures/index.ts';
import { builtInProgrammes, createProgrammes } from '../../src/server/modules/programmes/index.ts';
import { engineName } from '../setup/engines.ts';
import { expectAccessible, launchBrowser, startWebServer } from '../setup/browser.ts';
import { call, createOrgWithStaff, signIn, TEST_PASSWORD, type TestOrg } from '../setup/harness.ts';
import { aReferral } from '../setup/referrals.ts';

/*
 * Issue 4, "Done when": a parent opens their link on a phone, answers CORE-10 (with the risk item above 0), and the
 * score and the alert appear on the case for the case worker; a member of staff keys a paper SDQ with double entry.
 */

const phone = { viewport: { width: 375, height: 720 }, isMobile: true, hasTouch: true };

const noHorizontalScroll = async (page: Page) =>
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);

describe(`questionnaires in Chromium on ${engineName()}`, () => {
  let server: Awaited<ReturnType<typeof startWebServer>>;
  let browser: Browser;
  let org: TestOrg;
  let caseId: string;

  const administrations = async (): Promise<{ instrumentId: string; source: string }[]> =>
    (await sql<{ instrumentId: string; source: string }>`SELECT instrument_id AS "instrumentId", source FROM administration WHERE case_id = ${caseId} ORDER BY created_at`.execute(server.db.db)).rows;

  beforeAll(async () => {
    server = await startWebServer();
    org = await createOrgWithStaff(server, 'Questionnaire Browser Org');
    const [papId] = await createProgrammes(server.db.db, org.id, builtInProgrammes);
    browser = await launchBrowser();
    // The Fieldings' case, allocated to the case worker (made through the API: the journey has its own browser test).
    const worker = await signIn(server.app, org.users.case_worker.email);
    const referral = (await call(server.app, worker, 'POST', '/api/referrals', { submission: aReferral({ programmeId: papId }) })).json() as { id: string; version: number };
    const accepted = await call(server.app, worker, 'POST', `/api/referrals/${referral.id}/decision`, { decision: 'accept', caseWorkerId: org.users.case_worker.id, version: referral.version });
    caseId = (accepted.json() as { caseId: string }).caseId;
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
  const openCase = async (page: Page) => {
    await page.goto(`${server.url}/cases/${caseId}`);
    await page.getByRole('heading', { name: 'Questionnaires', level: 2 }).waitFor();
  };

  it('a parent answers CORE-10 on a phone through their link; the score and the alert appear on the case for the case worker', async () => {
    const staffContext = await browser.newContext();
    const staff = await staffContext.newPage();
    await signInAs(staff, org.users.case_worker.email);
    await openCase(staff);
    await expectAccessible(staff, 'case page with no questionnaires');

    // Send Dana a CORE-10 link; asking without choosing anything names each missing answer.
    await staff.getByRole('button', { name: 'Send a questionnaire' }).click();
    await staff.getByRole('button', { name: 'Create the link' }).click();
    const summary = staff.locator('.govuk-error-summary');
    await summary.getByText('There is a problem').waitFor();
    expect(await summary.getByRole('link', { name: 'Choose a questionnaire' }).count()).toBe(1);
    await expectAccessible(staff, 'send a questionnaire with errors');
    await staff.locator('#send-person').selectOption({ label: 'Dana Fielding' });
    await staff.locator('#send-instrument').selectOption('core-10');
    await staff.getByRole('group', { name: 'When' }).getByLabel('Before (pre)').check();
    await staff.getByRole('button', { name: 'Create the link' }).click();
    const linkBox = staff.locator('#questionnaire-link-url');
    await linkBox.waitFor();
    const link = await linkBox.inputValue();
    expect(link).toMatch(new RegExp(`^${server.url}/q/[A-Za-z0-9_-]{43}$`));
    await expectAccessible(staff, 'case page with a new link');

    // The parent, on a phone, without signing in.
    const parentContext = await browser.newContext(phone);
    const parent = await parentContext.newPage();
    await parent.goto(link);
    await parent.getByRole('heading', { name: 'Question 1 of 10' }).waitFor();
    expect(await parent.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
    expect(await parent.getByText(/Fielding|Lily|Parents as Partners/).count()).toBe(0);
    await expectAccessible(parent, 'questionnaire, first question');
    await noHorizontalScroll(parent);

    const items = getBuiltInInstrument('core-10')?.items ?? [];
    const choices = ['Only occasionally', 'Sometimes', 'Sometimes', 'Only occasionally', 'Often', 'Only occasionally', 'Sometimes', 'Only occasionally', 'Sometimes', 'Not at all'];
    for (const [index, item] of items.entries()) {
      await parent.getByRole('heading', { name: `Question ${index + 1} of 10` }).waitFor();
      if (index === 3) await parentContext.setOffline(true);
      await parent.getByRole('group', { name: item.text ?? `Question ${index + 1}` }).getByLabel(choices[index] ?? 'Not at all', { exact: true }).check();
      if (index === 3) {
        // No signal: the answer waits and the page says so; it is sent when the connection comes back.
        await parent.getByRole('status').getByText('Not saved yet — we will keep trying').waitFor();
        await expectAccessible(parent, 'questionnaire, answer not saved yet');
        await parentContext.setOffline(false);
        await parent.getByRole('status').getByText('Saved', { exact: true }).waitFor({ timeout: 40_000 });
      } else {
        await parent.getByRole('status').getByText('Saved', { exact: true }).waitFor();
      }
      await parent.getByRole('button', { name: index === items.length - 1 ? 'Check your answers' : 'Next question' }).click();
    }
    await parent.getByRole('heading', { name: 'Check your answers' }).waitFor();
    await expectAccessible(parent, 'questionnaire, check your answers');
    await noHorizontalScroll(parent);
    await parent.getByRole('button', { name: 'Send my answers' }).click();
    await parent.getByRole('heading', { name: 'Thank you' }).waitFor();
    expect(await parent.getByText(/score|band|alert/i).count()).toBe(0);
    await expectAccessible(parent, 'questionnaire sent');
    // The link is spent.
    await parent.goto(link);
    await parent.getByRole('heading', { name: 'This link does not work' }).waitFor({ timeout: 8000 }).catch(async (e) => { console.log('BODY', await parent.locator('body').innerText()); throw e; });
    await expectAccessible(parent, 'spent link');
    await parentContext.close();

    // The case worker sees the score, the band, the risk flag and the alert on the case, and the task on My work.
    await openCase(staff);
    const table = staff.locator('#administrations');
    await table.waitFor();
    // (1+2+2+1+3+1+2+1+2+0 with items 2 and 3 reversed: 1+2+2+1+3+1+2+1+2+0 → clinical score 15)
    await table.getByText(/total 15 \(moderate\)/).waitFor();
    await table.getByText('risk', { exact: true }).waitFor();
    await table.getByText(/CORE-10 \(pre\): a risk item was answered above "Not at all", answered by Dana Fielding/).waitFor();
    // The alert is a safeguarding flag on the family: shown in the case's Safeguarding section, and the family is marked.
    await staff.locator('.govuk-summary-card__title', { hasText: 'Questionnaire alert' }).first().waitFor();
    await staff.getByText('This family has an open safeguarding flag').waitFor();
    await expectAccessible(staff, 'case page with a scored questionnaire and an alert');
    await staff.goto(`${server.url}/`);
    await staff.getByRole('link', { name: /Questionnaire alert: CORE-10 \(pre\)/ }).first().waitFor();
    await staffContext.close();
  });

  it('a member of staff keys a paper SDQ twice; a mismatch is listed by item before anything is saved', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInAs(page, org.users.case_worker.email);
    await openCase(page);
    const before = (await administrations()).length;

    await page.getByRole('button', { name: 'Enter a paper form' }).click();
    await page.locator('#paper-person').selectOption({ label: 'Marcus Fielding' });
    await page.locator('#paper-instrument').selectOption('sdq-p4-17');
    await page.locator('#paper-child').selectOption({ label: 'Lily Fielding' });
    await page.locator('#paper-timepoint').check();
    const today = new Date();
    await page.locator('#paper-completed-on-day').fill(String(today.getDate()));
    await page.locator('#paper-completed-on-month').fill(String(today.getMonth() + 1));
    await page.locator('#paper-completed-on-year').fill(String(today.getFullYear()));
    await page.getByLabel('Check by keying the form twice').check();
    // SDQ wording may not be shown: items by number, as on the paper form.
    await page.getByText('Items by number, as printed on the paper form').waitFor();
    await expectAccessible(page, 'paper entry, first pass');

    const items = getBuiltInInstrument('sdq-p4-17')?.items ?? [];
    // Keyed as: the second option ("Somewhat true" …) for items 1–5, the first for the rest.
    const optionIndex = (key: string): number => (['1', '2', '3', '4', '5'].includes(key) ? 1 : 0);
    const radio = (pass: string, key: string, index: number) => page.locator(index === 0 ? `#paper-${pass}-${key}` : `#paper-${pass}-${key}-${index + 1}`);
    for (const item of items) await radio('first', item.key, optionIndex(item.key)).check();
    await page.getByRole('button', { name: 'Continue to the second entry' }).click();
    await page.getByText('Second entry: key the same paper form again').waitFor();
    // A slip on item 3 in the second keying.
    for (const item of items) await radio('second', item.key, item.key === '3' ? 2 : optionIndex(item.key)).check();
    await page.getByRole('button', { name: 'Save the form' }).click();

    const summary = page.locator('.govuk-error-summary');
    await summary.getByText('There is a problem').waitFor();
    expect(await summary.getByRole('link').count()).toBe(1);
    await summary.getByRole('link', { name: /Item 3 was keyed as “Somewhat true” the first time and “Certainly true” the second/ }).waitFor();
    await expectAccessible(page, 'paper entry, double-entry mismatch');
    expect((await administrations()).length).toBe(before);

    await summary.getByRole('link').click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('paper-second-3');
    await radio('second', '3', 1).check();
    await page.getByRole('button', { name: 'Save the form' }).click();
    await page.getByText('SDQ-P4-17 saved and scored').waitFor();
    const saved = await administrations();
    expect(saved.length).toBe(before + 1);
    expect(saved.at(-1)).toEqual({ instrumentId: 'sdq-p4-17', source: 'paper' });
    const table = page.locator('#administrations');
    await table.getByText(/emotional \d+ \(/).first().waitFor();
    await table.getByText('about Lily Fielding').first().waitFor();
    await expectAccessible(page, 'case page with a paper SDQ');

    // Item 1 was keyed wrongly: correct it on the form's own page; the reason is required and named.
    await table.getByRole('link', { name: /Correct or see history/ }).first().click();
    await page.getByRole('heading', { name: 'SDQ-P4-17 (pre)', level: 1 }).waitFor();
    await page.getByText('This form has not been corrected.').waitFor();
    await expectAccessible(page, 'paper form before a correction');
    await page.locator('#correct-item-1-3').check();
    await page.getByRole('button', { name: 'Save the correction' }).click();
    await summary.getByRole('link', { name: 'Say why the form is corrected' }).waitFor();
    await expectAccessible(page, 'correction with a missing reason');
    await page.getByLabel('Why it is corrected').fill('Item 1 keyed in the wrong column');
    await page.getByRole('button', { name: 'Save the correction' }).click();
    await page.getByText('SDQ-P4-17 corrected and rescored').waitFor();
    const history = page.locator('#corrections');
    await history.getByText('Item 1 keyed in the wrong column').waitFor();
    await history.getByText('Item 1', { exact: true }).waitFor();
    await expectAccessible(page, 'paper form with its correction history');
    const stored = await sql<{ version: number; item1: number }>`SELECT version, (responses->>'1')::int AS item1 FROM administration WHERE case_id = ${caseId} AND instrument_id = 'sdq-p4-17'`.execute(server.db.db);
    expect(stored.rows).toEqual([{ version: 2, item1: 2 }]);

    // A link sent by mistake is cancelled from the case page.
    const worker = await signIn(server.app, org.users.case_worker.email);
    const marcus = ((await call(server.app, worker, 'GET', `/api/cases/${caseId}`)).json() as { members: { personId: string; givenName: string }[] }).members.find((m) => m.givenName === 'Marcus');
    expect((await call(server.app, worker, 'POST', `/api/cases/${caseId}/questionnaire-links`, { personId: marcus?.personId, instrumentId: 'qmi', timepoint: 'pre' })).statusCode).toBe(201);
    await openCase(page);
    await page.getByRole('button', { name: /Cancel link for QMI \(pre\), Marcus Fielding/ }).click();
    await page.getByText('The QMI link for Marcus Fielding is cancelled: it no longer works').waitFor();
    expect(await page.getByRole('button', { name: /Cancel link/ }).count()).toBe(0);
    await expectAccessible(page, 'case page after cancelling a link');
    await context.close();
  });

  it("a service manager edits a programme's measurement schedule; a bad window is named before anything is saved", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInAs(page, org.users.service_manager.email);
    await page.goto(`${server.url}/groups`);
    await page.getByRole('link', { name: 'Measurement schedules' }).click();
    await page.getByRole('heading', { name: 'Measurement schedules', level: 1 }).waitFor();
    await page.getByLabel('Programme').selectOption({ label: 'Parents as Partners' });
    await page.getByText("Parents as Partners uses Tandem's built-in schedule").waitFor();
    expect(await page.locator('#schedule-bcap').isChecked()).toBe(true);
    await expectAccessible(page, 'measurement schedule, built in');

    await page.locator('#schedule-qmi-post-days').fill('two weeks');
    await page.locator('#schedule-bcap').uncheck();
    await page.getByRole('button', { name: 'Save the schedule' }).click();
    const summary = page.locator('.govuk-error-summary');
    await summary.getByRole('link', { name: /Quality of Marriage Index \(QMI\), at the end \(post\): days either side must be a whole number/ }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('schedule-qmi-post-days');
    await expectAccessible(page, 'measurement schedule with a bad window');
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM measurement_schedule WHERE organisation_id = ${org.id}`.execute(server.db.db)).rows[0]?.n).toBe(0);

    await page.locator('#schedule-qmi-post-days').fill('21');
    await page.getByRole('button', { name: 'Save the schedule' }).click();
    await page.getByText('Parents as Partners: schedule saved with 3 questionnaires').waitFor();
    await page.getByText('This programme has its own schedule.').waitFor();
    const stored = await sql<{ entries: { instrumentId: string; timepoints: { timepoint: string; windowDays: number }[] }[] }>`SELECT entries FROM measurement_schedule WHERE organisation_id = ${org.id}`.execute(server.db.db);
    const entries = stored.rows[0]?.entries ?? [];
    expect(entries.map((e) => e.instrumentId)).toEqual(['core-10', 'qmi', 'sdq-p4-17']);
    expect(entries.find((e) => e.instrumentId === 'qmi')?.timepoints).toEqual([
      { timepoint: 'pre', windowDays: 14 },
      { timepoint: 'post', windowDays: 21 },
      { timepoint: 'followup', windowDays: 30 },
    ]);
    await expectAccessible(page, 'measurement schedule saved');
    await context.close();
  });

  it('an organisation admin loads the BCAP key and wording; an incomplete key is named before anything is stored', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInAs(page, org.users.org_admin.email);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Licensed wording', exact: true }).click();
    await page.getByRole('heading', { name: 'Licensed wording', level: 1 }).waitFor();
    await page.getByLabel('Questionnaire').selectOption('bcap');
    await page.getByText('Nothing is loaded: staff key this questionnaire by item number.').waitFor();
    await expectAccessible(page, 'licensed wording, nothing loaded');

    await page.getByLabel('Licence', { exact: true }).fill('Psytec licence 2026-114');
    await page.getByLabel('Scoring key').fill('1, R1, agree\n2, R2, disagree');
    await page.getByRole('button', { name: 'Save the licence' }).click();
    const summary = page.locator('.govuk-error-summary');
    await summary.getByRole('link', { name: /Scoring key: every role needs a form item; not mapped: R3/ }).waitFor();
    await expectAccessible(page, 'licensed wording, incomplete key');
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM instrument_licence WHERE organisation_id = ${org.id}`.execute(server.db.db)).rows[0]?.n).toBe(0);

    const roles = getBuiltInInstrument('bcap')?.items.map((i) => i.key) ?? [];
    await page.getByLabel('Scoring key').fill([...roles.map((role, i) => `${i + 1}, ${role}, ${i % 2 === 0 ? 'agree' : 'disagree'}`), `${roles.length + 1}, -, agree`].join('\n'));
    await page.getByLabel('Item wording').fill('1 A licensed statement');
    await page.getByRole('button', { name: 'Save the licence' }).click();
    await page.getByText('1 item of wording and 34 key entries loaded').waitFor();
    await page.getByText('Loaded under: Psytec licence 2026-114. Saving replaces it.').waitFor();
    await expectAccessible(page, 'licensed wording loaded');
    const stored = await sql<{ reference: string; entries: number }>`SELECT licence_reference AS reference, jsonb_array_length(scoring_key)::int AS entries FROM instrument_licence WHERE organisation_id = ${org.id} AND instrument_id = 'bcap'`.execute(server.db.db);
    expect(stored.rows).toEqual([{ reference: 'Psytec licence 2026-114', entries: 34 }]);
    await context.close();
  });
});
