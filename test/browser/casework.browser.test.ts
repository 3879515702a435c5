import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserWithPassword } from '../../src/server/modules/identity/index.ts';
import { builtInProgrammes, createProgrammes } from '../../src/server/modules/programmes/index.ts';
import { expectAccessible, launchBrowser, startWebServer } from '../setup/browser.ts';
import { engineName } from '../setup/engines.ts';
import { call, createOrgWithStaff, signIn, TEST_PASSWORD, type TestOrg } from '../setup/harness.ts';
import { aReferral, yearsAgo } from '../setup/referrals.ts';

const phone = { viewport: { width: 375, height: 720 }, isMobile: true, hasTouch: true };

type Person = { id: string; email: string; name: string };

/** Fills a GOV.UK date input (day, month, year) from an ISO day. */
const fillDate = async (page: Page | Locator, id: string, isoDay: string) => {
  const [year, month, day] = isoDay.split('-') as [string, string, string];
  await page.locator(`#${id}-day`).fill(String(Number(day)));
  await page.locator(`#${id}-month`).fill(String(Number(month)));
  await page.locator(`#${id}-year`).fill(year);
};

/** Answers a radio question by its legend and the option's label. */
const answer = (scope: Page | Locator, question: string | RegExp, option: string) =>
  scope.getByRole('group', { name: question, exact: typeof question === 'string' ? true : undefined }).getByLabel(option, { exact: true }).check();

/** A day from today, in the browser's (and this process's) local calendar. */
const localDay = (daysFromNow: number): string => {
  const d = new Date();
  d.setDate(d.getDate() + daysFromNow);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

const noHorizontalScroll = async (page: Page) =>
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);

/** The green banner that says what just happened. */
const banner = (page: Page, text: string) => page.locator('.govuk-notification-banner__heading', { hasText: text }).waitFor();

/** The error summary's link with this text, once it shows. */
const problem = async (page: Page, text: string | RegExp) => {
  const link = page.locator('.govuk-error-summary').getByRole('link', { name: text });
  await link.first().waitFor();
  return link.first();
};

describe(`casework: assessment, safeguarding, confidentiality and records in Chromium on ${engineName()}`, () => {
  let server: Awaited<ReturnType<typeof startWebServer>>;
  let browser: Browser;
  let org: TestOrg;
  let maleFacilitator: Person;
  let femaleFacilitator: Person;
  let otherCaseWorker: Person;
  const contexts: BrowserContext[] = [];

  const addPerson = async (role: 'facilitator' | 'case_worker', name: string, gender?: 'female' | 'male'): Promise<Person> => {
    const email = `${name.toLowerCase().replace(/[^a-z]+/g, '.')}.${org.slug}@test.example`;
    const user = await createUserWithPassword(server.db.db, { organisationId: org.id, email, name, role, password: TEST_PASSWORD, ...(gender ? { gender } : {}) });
    return { id: user.id, email, name };
  };

  beforeAll(async () => {
    server = await startWebServer();
    org = await createOrgWithStaff(server, 'Casework Browser Org');
    await createProgrammes(server.db.db, org.id, builtInProgrammes);
    maleFacilitator = await addPerson('facilitator', 'Tomas Ashby', 'male');
    femaleFacilitator = await addPerson('facilitator', 'Farah Brook', 'female');
    otherCaseWorker = await addPerson('case_worker', 'Casey Other');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  });

  const newPage = async (options: Parameters<Browser['newContext']>[0] = {}): Promise<Page> => {
    const context = await browser.newContext(options);
    contexts.push(context);
    return context.newPage();
  };

  const signInAs = async (email: string, options: Parameters<Browser['newContext']>[0] = {}): Promise<Page> => {
    const page = await newPage(options);
    await page.goto(`${server.url}/`);
    await page.getByRole('heading', { name: 'Sign in to Tandem' }).waitFor();
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'My work', level: 1 }).waitFor();
    return page;
  };

  const nav = async (page: Page, label: string, heading = label) => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label, exact: true }).click();
    await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
  };

  const riskRegion = (page: Page, name: string) => page.getByRole('region', { name: `Risk assessment: ${name}` });

  /** Fills one parent's risk assessment: four ratings, domestic abuse indicated, and any private disclosure. */
  const recordRisk = async (
    page: Page,
    name: string,
    answers: { riskToChild: string; domesticAbuse: string; mentalHealth: string; substanceUse: string; indicated: 'Yes' | 'No'; notes?: string; disclosure?: string },
  ) => {
    const region = riskRegion(page, name);
    await answer(region, 'Risk to the child', answers.riskToChild);
    if (answers.notes) await region.getByLabel('Notes on risk to the child (optional)').fill(answers.notes);
    await answer(region, 'Domestic abuse', answers.domesticAbuse);
    await answer(region, 'Is domestic abuse indicated?', answers.indicated);
    await answer(region, 'Mental health', answers.mentalHealth);
    await answer(region, 'Substance use', answers.substanceUse);
    if (answers.disclosure) await region.getByLabel('Private disclosure (optional)').fill(answers.disclosure);
    await region.getByRole('button', { name: 'Save risk assessment' }).click();
    await banner(page, `Risk assessment for ${name} saved`);
  };

  it('walks the journey as the people who do it: self-referral on a phone, triage, a booked pair, risk assessments, a safeguarding decision, suitable', { timeout: 300_000 }, async () => {
    // 1. A parent self-refers on a phone.
    const parent = await newPage(phone);
    await parent.goto(`${server.url}/refer/${org.slug}`);
    await parent.getByRole('heading', { name: `Refer a family to ${org.name}`, level: 1 }).waitFor();
    await answer(parent, 'Who are you?', 'A parent or carer, referring my own family');
    await parent.getByLabel('Your full name').fill('Ada Okafor');
    await parent.getByLabel('Your email address').fill('ada.okafor@family.example');
    await answer(parent, /Which programme is the referral for/, 'Parents as Partners');
    await parent.locator('#referral-parents-0-givenName').fill('Ada');
    await parent.locator('#referral-parents-0-familyName').fill('Okafor');
    await fillDate(parent, 'referral-parents-0-dateOfBirth', yearsAgo(33));
    await parent.locator('#referral-parents-0-relationship').selectOption('birth_parent');
    await parent.locator('#referral-parents-0-email').fill('ada.okafor@family.example');
    await parent.locator('#referral-parents-0-willingToAttend').check();
    await parent.getByRole('button', { name: 'Add another adult' }).click();
    await parent.locator('#referral-parents-1-givenName').fill('Ben');
    await parent.locator('#referral-parents-1-familyName').fill('Okafor');
    await fillDate(parent, 'referral-parents-1-dateOfBirth', yearsAgo(35));
    await parent.locator('#referral-parents-1-relationship').selectOption('birth_parent');
    await parent.locator('#referral-parents-1-phone').fill('07700 900456');
    await parent.locator('#referral-parents-1-willingToAttend').check();
    await parent.locator('#referral-children-0-givenName').fill('Zara');
    await parent.locator('#referral-children-0-familyName').fill('Okafor');
    await fillDate(parent, 'referral-children-0-dateOfBirth', yearsAgo(5));
    await parent.getByLabel('What would you like help with?').fill('Our arguments are upsetting our daughter.');
    await answer(parent, 'Are there court proceedings about the children at the moment?', 'No');
    await answer(parent, 'Is this an adoptive family?', 'No');
    await parent.getByLabel('The family agrees to this referral').check();
    await answer(parent, /Does the family agree to information being shared/, 'Yes');
    await answer(parent, 'How would the family like to be contacted?', 'Email');
    await answer(parent, 'Is it safe to leave a message?', 'Yes');
    await parent.getByRole('button', { name: 'Send referral' }).click();
    await parent.getByRole('heading', { name: 'Referral sent', level: 1 }).waitFor();
    const reference = ((await parent.locator('.tandem-reference').textContent()) ?? '').trim();
    await expectAccessible(parent, 'referral sent, on a phone');
    await noHorizontalScroll(parent);

    // 2. A case worker triages and accepts it into their caseload.
    const worker = await signInAs(org.users.case_worker.email);
    await worker.getByRole('link', { name: new RegExp(`Triage referral ${reference}`) }).click();
    await worker.getByRole('heading', { name: `Referral ${reference}`, level: 1 }).waitFor();
    await worker.getByLabel('Accept', { exact: true }).check();
    await worker.getByLabel('Allocate the case to me').check();
    await worker.getByRole('button', { name: 'Save decision' }).click();
    await worker.getByText('Referral accepted: a case is open for the family').waitFor();
    await worker.getByRole('link', { name: 'Go to the case' }).click();
    await worker.getByRole('heading', { name: 'Okafor family', level: 1 }).waitFor();
    const caseUrl = worker.url();
    const caseReference = ((await worker.locator('.govuk-caption-l').textContent()) ?? '').replace('Case ', '').trim();
    // Case workers cannot list staff, so the booking is for a service manager.
    await worker.getByText('Ask a service manager to book the assessment').waitFor();
    await expectAccessible(worker, 'case page for the case worker, before booking');

    // 3. The manager books the assessment with a male and a female facilitator.
    const manager = await signInAs(org.users.service_manager.email);
    await nav(manager, 'Cases');
    await manager.getByRole('row').filter({ hasText: caseReference }).getByRole('link', { name: caseReference }).click();
    await manager.getByRole('heading', { name: 'Okafor family', level: 1 }).waitFor();
    await expectAccessible(manager, 'case page for the manager, before booking');
    // Bad input first: no date, no time, no facilitator.
    await manager.getByRole('button', { name: 'Book the assessment' }).click();
    await problem(manager, 'Enter the date of the assessment');
    await problem(manager, 'Enter the time of the assessment');
    await problem(manager, 'Select at least one facilitator');
    expect(await manager.title()).toMatch(/^Error: /);
    await expectAccessible(manager, 'booking with errors');
    const tomorrow = localDay(1);
    await fillDate(manager, 'booking-date', tomorrow);
    await manager.getByLabel('Time', { exact: true }).fill('10:30');
    await manager.getByLabel('Where (optional)').fill('Family room, Northshire children’s centre');
    // One facilitator breaks the Parents as Partners pair rule.
    await manager.getByLabel(maleFacilitator.name).check();
    await manager.getByRole('button', { name: 'Book the assessment' }).click();
    const ruleProblem = await problem(manager, /^This programme needs a pair of facilitators, one male and one female/);
    await ruleProblem.click();
    expect(await manager.evaluate(() => document.activeElement?.id)).toMatch(/^booking-facilitator-/);
    await expectAccessible(manager, 'booking that breaks the pair rule');
    await manager.getByLabel(femaleFacilitator.name).check();
    await manager.getByRole('button', { name: 'Book the assessment' }).click();
    await banner(manager, 'Assessment booked');
    const booking = manager.getByRole('region', { name: 'Assessment', exact: true });
    expect(await booking.textContent()).toContain(`${maleFacilitator.name} (male)`);
    expect(await booking.textContent()).toContain(`${femaleFacilitator.name} (female)`);
    expect(await manager.locator('.govuk-summary-list').first().textContent()).toContain('Assessment booked');
    await expectAccessible(manager, 'case page with the assessment booked');

    // 4. A facilitator, told by a notification, records the joint interview and each parent's risk assessment.
    const facilitator = await signInAs(femaleFacilitator.email);
    await facilitator.getByRole('link', { name: new RegExp(`Assessment for ${caseReference}`) }).first().click();
    await facilitator.getByRole('heading', { name: 'Okafor family', level: 1 }).waitFor();
    await expectAccessible(facilitator, 'case page for the facilitator');
    await facilitator.getByLabel('Joint interview notes').fill('Both parents came. They describe frequent arguments at bedtime.');
    await facilitator.getByRole('button', { name: 'Save joint interview notes' }).click();
    await banner(facilitator, 'Joint interview notes saved');

    // A risk assessment with nothing chosen names each missing rating.
    await riskRegion(facilitator, 'Ada Okafor').getByRole('button', { name: 'Save risk assessment' }).click();
    await problem(facilitator, 'Select a rating for risk to the child');
    await problem(facilitator, 'Select whether domestic abuse is indicated');
    await expectAccessible(facilitator, 'risk assessment with errors');

    await recordRisk(facilitator, 'Ada Okafor', { riskToChild: 'Low', domesticAbuse: 'None', mentalHealth: 'Low', substanceUse: 'None', indicated: 'No' });
    expect(await facilitator.locator('.tandem-safeguarding-notice').count()).toBe(0);
    await recordRisk(facilitator, 'Ben Okafor', {
      riskToChild: 'High',
      notes: 'Described hitting out when the child cries at night.',
      domesticAbuse: 'Low',
      mentalHealth: 'Medium',
      substanceUse: 'Low',
      indicated: 'No',
    });
    // The high rating raised a flag: the family is marked.
    const notice = facilitator.locator('.tandem-safeguarding-notice');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('Safeguarding');
    const flags = facilitator.getByRole('region', { name: 'Safeguarding', exact: true });
    expect(await flags.textContent()).toContain("High risk to the child recorded in Ben Okafor's risk assessment");
    expect(await flags.textContent()).toContain('A service manager must record a decision on this flag.');
    await expectAccessible(facilitator, 'case page with a safeguarding flag');

    // 5. The manager sees the decision task on My work, the tag in the caseload, and records a decision.
    await nav(manager, 'My work');
    const task = manager.getByRole('row').filter({ hasText: 'Safeguarding decision' });
    await task.waitFor();
    expect(await task.textContent()).toContain(caseReference);
    expect(await task.locator('.govuk-tag--red', { hasText: 'Safeguarding' }).count()).toBe(1);
    const notification = manager.getByRole('listitem').filter({ hasText: `Safeguarding: High risk to the child` });
    await notification.waitFor();
    await expectAccessible(manager, 'my work with a safeguarding decision');
    await notification.getByRole('button', { name: /^Mark as read/ }).click();
    await manager.getByText('Notification marked as read.').waitFor();
    expect(await manager.getByRole('listitem').filter({ hasText: `Safeguarding: High risk to the child` }).count()).toBe(0);
    await expectAccessible(manager, 'my work after marking a notification read');

    await nav(manager, 'Cases');
    const row = manager.getByRole('row').filter({ hasText: caseReference });
    await row.waitFor();
    expect(await row.locator('.govuk-tag--red', { hasText: 'Safeguarding' }).count()).toBe(1);
    await expectAccessible(manager, 'caseload with a flagged family');

    await nav(manager, 'Safeguarding');
    const flagRow = manager.getByRole('row').filter({ hasText: caseReference });
    await flagRow.waitFor();
    expect(await flagRow.textContent()).toContain('Open');
    await expectAccessible(manager, 'safeguarding page');

    await flagRow.getByRole('link', { name: caseReference }).click();
    await manager.getByRole('heading', { name: 'Okafor family', level: 1 }).waitFor();
    await manager.getByRole('button', { name: 'Record decision' }).click();
    await problem(manager, 'Record the decision');
    await expectAccessible(manager, 'safeguarding decision with an error');
    await manager.getByLabel('Decision', { exact: true }).fill('Discussed with Ben and the case worker: a safety plan is agreed and the family can continue. Review at the first group session.');
    await manager.getByRole('button', { name: 'Record decision' }).click();
    await banner(manager, 'Safeguarding decision recorded');
    const resolved = manager.getByRole('region', { name: 'Safeguarding', exact: true });
    expect(await resolved.textContent()).toContain('Resolved');
    expect(await resolved.textContent()).toContain('a safety plan is agreed');
    expect(await resolved.textContent()).toContain(org.users.service_manager.name);
    expect(await manager.locator('.tandem-safeguarding-notice').count()).toBe(0);
    await expectAccessible(manager, 'case page after the safeguarding decision');

    // 6. The facilitator records the outcome: suitable, and the case is assessed.
    await facilitator.goto(caseUrl);
    await facilitator.getByRole('heading', { name: 'Okafor family', level: 1 }).waitFor();
    await facilitator.getByRole('button', { name: 'Record outcome' }).click();
    await problem(facilitator, 'Select the outcome of the assessment');
    // Suitable with conditions reveals the conditions, which are then required.
    await facilitator.getByLabel('Suitable with conditions').check();
    await facilitator.getByRole('button', { name: 'Record outcome' }).click();
    await problem(facilitator, 'Say what the conditions are');
    await expectAccessible(facilitator, 'outcome with an error');
    await facilitator.getByLabel('Suitable', { exact: true }).check();
    await facilitator.getByRole('button', { name: 'Record outcome' }).click();
    await banner(facilitator, 'Outcome recorded: suitable');
    expect(await facilitator.locator('.govuk-summary-list').first().textContent()).toContain('Assessed');
    expect(await facilitator.getByRole('region', { name: 'Assessment', exact: true }).textContent()).toContain('Suitable');
    await expectAccessible(facilitator, 'case page, assessed');

    // The case worker's caseload shows the case assessed.
    await nav(worker, 'Cases');
    const assessedRow = worker.getByRole('row').filter({ hasText: caseReference });
    await assessedRow.waitFor();
    expect(await assessedRow.textContent()).toContain('Assessed');
    expect(await assessedRow.locator('.govuk-tag--red').count()).toBe(0);
  });

  it('keeps a parent’s private disclosure to those with a need to know, and out of the other parent’s subject access export', { timeout: 300_000 }, async () => {
    const disclosure = 'PRIVATE: I am frightened of how angry Rowan gets when we are alone.';
    // The case is set up through the API: a staff referral, accepted without a case worker, booked with the pair.
    const api = await signIn(server.app, org.users.service_manager.email);
    const programmes = (await call(server.app, api, 'GET', '/api/programmes')).json() as { programmes: { id: string; name: string }[] };
    const pap = programmes.programmes.find((p) => p.name === 'Parents as Partners');
    const submission = aReferral({
      referrer: { kind: 'professional', name: 'Priya Shah', agency: 'Northshire health visiting', email: 'priya.shah@nhs.example' },
      programmeId: pap?.id,
      parents: [
        { givenName: 'Morgan', familyName: 'Brennan', dateOfBirth: yearsAgo(31), relationship: 'birth_parent', email: 'morgan.brennan@family.example', willingToAttend: true },
        { givenName: 'Rowan', familyName: 'Brennan', dateOfBirth: yearsAgo(32), relationship: 'birth_parent', phone: '07700 900789', willingToAttend: true },
      ],
      children: [{ givenName: 'Ellis', familyName: 'Brennan', dateOfBirth: yearsAgo(3) }],
    });
    const referral = await call(server.app, api, 'POST', '/api/referrals', { submission });
    expect(referral.statusCode).toBe(201);
    const { id: referralId, version } = referral.json() as { id: string; version: number };
    const decided = await call(server.app, api, 'POST', `/api/referrals/${referralId}/decision`, { decision: 'accept', version, samePeople: [] });
    expect(decided.statusCode).toBe(200);
    const caseId = (decided.json() as { caseId: string }).caseId;
    const opened = (await call(server.app, api, 'GET', `/api/cases/${caseId}`)).json() as { version: number; caseWorkerId: string | null };
    expect(opened.caseWorkerId).toBeNull();
    const booked = await call(server.app, api, 'POST', `/api/cases/${caseId}/assessments`, {
      scheduledAt: new Date(Date.now() + 86_400_000).toISOString(),
      facilitatorIds: [maleFacilitator.id, femaleFacilitator.id],
      caseVersion: opened.version,
    });
    expect(booked.statusCode).toBe(201);
    const caseUrl = `${server.url}/cases/${caseId}`;

    // The facilitator records Morgan's separate assessment with a private disclosure, and Rowan's without.
    const facilitator = await signInAs(maleFacilitator.email);
    await facilitator.goto(caseUrl);
    await facilitator.getByRole('heading', { name: 'Brennan family', level: 1 }).waitFor();
    const morgan = riskRegion(facilitator, 'Morgan Brennan');
    await morgan.getByText('Rowan Brennan will never see it').waitFor();
    // Marking a disclosure as a concern needs the disclosure.
    await morgan.getByLabel('This disclosure is a safeguarding concern').check();
    await recordRiskFails(facilitator, 'Morgan Brennan');
    await morgan.getByLabel('This disclosure is a safeguarding concern').uncheck();
    await recordRisk(facilitator, 'Morgan Brennan', { riskToChild: 'Low', domesticAbuse: 'Low', mentalHealth: 'None', substanceUse: 'None', indicated: 'No', disclosure });
    await recordRisk(facilitator, 'Rowan Brennan', { riskToChild: 'Low', domesticAbuse: 'None', mentalHealth: 'None', substanceUse: 'Low', indicated: 'No' });
    // The assessor sees it, in Morgan's own part, marked private; never under Rowan.
    const inset = riskRegion(facilitator, 'Morgan Brennan').locator('.tandem-private');
    await inset.waitFor();
    expect(await inset.textContent()).toContain('Private to this parent');
    expect(await inset.textContent()).toContain(disclosure);
    expect(await riskRegion(facilitator, 'Rowan Brennan').textContent()).not.toContain(disclosure);
    expect(await facilitator.locator('.tandem-private').count()).toBe(1);
    await expectAccessible(facilitator, 'case page with a private disclosure, for the assessor');

    // The manager sees it too, and reads each parent's person ID for the data protection request.
    const manager = await signInAs(org.users.service_manager.email);
    await manager.goto(caseUrl);
    await manager.getByRole('heading', { name: 'Brennan family', level: 1 }).waitFor();
    expect(await riskRegion(manager, 'Morgan Brennan').locator('.tandem-private').textContent()).toContain(disclosure);
    const adults = manager.getByRole('region', { name: 'Adults' });
    const personId = async (name: string): Promise<string> => {
      const cell = adults.getByRole('rowheader').filter({ hasText: name });
      await cell.getByText('Person ID').click();
      return ((await cell.locator('code').textContent()) ?? '').trim();
    };
    const morganId = await personId('Morgan Brennan');
    const rowanId = await personId('Rowan Brennan');
    expect(morganId).toMatch(/^[0-9a-f-]{36}$/);
    expect(rowanId).toMatch(/^[0-9a-f-]{36}$/);
    await expectAccessible(manager, 'case page for the manager, person IDs open');

    // Another case worker can see the unallocated case, but not what Morgan said alone.
    const other = await signInAs(otherCaseWorker.email);
    await other.goto(caseUrl);
    await other.getByRole('heading', { name: 'Brennan family', level: 1 }).waitFor();
    await riskRegion(other, 'Morgan Brennan').getByText('Risk to the child').first().waitFor();
    expect(await other.content()).not.toContain('frightened');
    expect(await other.locator('.tandem-private').count()).toBe(0);
    await other.getByRole('button', { name: 'Allocate to me' }).waitFor();
    await expectAccessible(other, 'case page for a case worker without a need to know');
    const asOther = await other.request.get(`${server.url}/api/cases/${caseId}`);
    expect(asOther.status()).toBe(200);
    expect(await asOther.text()).not.toContain('frightened');

    // The organisation admin: Rowan's subject access export leaves Morgan's disclosure out; Morgan's has it.
    const admin = await signInAs(org.users.org_admin.email);
    await nav(admin, 'Data protection');
    await expectAccessible(admin, 'data protection page');
    await admin.getByRole('button', { name: 'Find their records' }).click();
    await problem(admin, 'Enter the person ID');
    await admin.getByLabel('Person ID', { exact: true }).fill('not-an-id');
    await admin.getByRole('button', { name: 'Find their records' }).click();
    await problem(admin, /Person ID must be the ID shown on the case page/);
    await expectAccessible(admin, 'data protection page with an error');

    await admin.getByLabel('Person ID', { exact: true }).fill(rowanId);
    await admin.getByRole('button', { name: 'Find their records' }).click();
    await admin.getByRole('heading', { name: 'What Tandem holds about Rowan Brennan' }).waitFor();
    expect(await admin.getByText('0 disclosures of their own').count()).toBe(1);
    await expectAccessible(admin, 'subject access summary for Rowan');
    const rowanLink = admin.getByRole('link', { name: 'Download the subject access export for Rowan Brennan (a page to save or print)' });
    const rowanExport = await admin.request.get(new URL((await rowanLink.getAttribute('href')) ?? '', server.url).toString());
    expect(rowanExport.status()).toBe(200);
    const rowanHtml = await rowanExport.text();
    expect(rowanHtml).toContain('Rowan');
    expect(rowanHtml).not.toContain('frightened');

    await admin.getByLabel('Person ID', { exact: true }).fill(morganId);
    await admin.getByRole('button', { name: 'Find their records' }).click();
    await admin.getByRole('heading', { name: 'What Tandem holds about Morgan Brennan' }).waitFor();
    expect(await admin.getByText('1 disclosure of their own').count()).toBe(1);
    const morganLink = admin.getByRole('link', { name: 'Download the subject access export for Morgan Brennan (a page to save or print)' });
    const morganExport = await admin.request.get(new URL((await morganLink.getAttribute('href')) ?? '', server.url).toString());
    expect(await morganExport.text()).toContain('frightened');

    // Erasure needs a reason and a confirmation; Morgan's family has no legal hold, so it goes ahead.
    await admin.getByRole('button', { name: 'Erase details' }).click();
    await problem(admin, 'Enter why the person’s details are erased');
    await problem(admin, 'Confirm that Morgan Brennan’s details are to be erased');
    await expectAccessible(admin, 'erasure with errors');
    await admin.getByLabel('Reason for erasure').fill('Request from Morgan Brennan by letter');
    await admin.getByLabel('I confirm that Morgan Brennan’s details are to be erased').check();
    await admin.getByRole('button', { name: 'Erase details' }).click();
    await banner(admin, 'Morgan Brennan’s details were erased');
    expect(await admin.getByRole('region', { name: 'Erased records' }).textContent()).toMatch(/disclosure/i);
    await expectAccessible(admin, 'erasure done');

    // Org admins do not read case files.
    await admin.goto(caseUrl);
    await admin.getByRole('heading', { name: 'You cannot see this page', level: 1 }).waitFor();
    expect(await admin.content()).not.toContain('frightened');
  });

  /** Saves Morgan's form while a required answer is missing, and checks the disclosure message shows. */
  const recordRiskFails = async (page: Page, name: string) => {
    await riskRegion(page, name).getByRole('button', { name: 'Save risk assessment' }).click();
    await problem(page, 'Record the disclosure before marking it as a safeguarding concern');
    await expectAccessible(page, 'risk assessment with a concern but no disclosure');
  };

  it('a case worker takes an unallocated case, writes a note and uploads a document; an admin records genders and retention', { timeout: 300_000 }, async () => {
    const api = await signIn(server.app, org.users.service_manager.email);
    const submission = aReferral({
      parents: [
        { givenName: 'Sam', familyName: 'Quinlan', dateOfBirth: yearsAgo(40), relationship: 'birth_parent', email: 'sam.quinlan@family.example', willingToAttend: true },
        { givenName: 'Jo', familyName: 'Quinlan', dateOfBirth: yearsAgo(41), relationship: 'birth_parent', phone: '07700 900111', willingToAttend: true },
      ],
      children: [{ givenName: 'Ari', familyName: 'Quinlan', dateOfBirth: yearsAgo(8) }],
    });
    const referral = (await call(server.app, api, 'POST', '/api/referrals', { submission })).json() as { id: string; version: number };
    const decided = (await call(server.app, api, 'POST', `/api/referrals/${referral.id}/decision`, { decision: 'accept', version: referral.version, samePeople: [] })).json() as {
      caseId: string;
    };

    const worker = await signInAs(otherCaseWorker.email);
    await worker.goto(`${server.url}/cases/${decided.caseId}`);
    await worker.getByRole('heading', { name: 'Quinlan family', level: 1 }).waitFor();
    await worker.getByRole('button', { name: 'Allocate to me' }).click();
    await banner(worker, 'Case allocated to you');
    expect(await worker.getByText('This case is allocated to you.').count()).toBe(1);

    // A note: nothing chosen, then a future date, then a good one.
    await worker.getByRole('button', { name: 'Add note' }).click();
    await problem(worker, 'Select the kind of note');
    await problem(worker, 'Enter the date');
    await problem(worker, 'Enter the note');
    await answer(worker, 'Kind of note', 'Home visit');
    await fillDate(worker, 'note-date', localDay(3));
    await worker.getByLabel('Note', { exact: true }).fill('Visited at home; both parents present. Agreed to the assessment.');
    await worker.getByRole('button', { name: 'Add note' }).click();
    await problem(worker, 'Date cannot be in the future');
    await expectAccessible(worker, 'note with errors');
    await fillDate(worker, 'note-date', localDay(-1));
    await worker.getByRole('button', { name: 'Add note' }).click();
    await banner(worker, 'Home visit note added');
    const notes = worker.getByRole('region', { name: 'Case notes' });
    await notes.getByText('Visited at home; both parents present.').waitFor();
    expect(await notes.textContent()).toContain(`Written by ${otherCaseWorker.name}`);

    // Documents: nothing chosen, a renamed executable, then a letter.
    await worker.getByRole('button', { name: 'Upload file' }).click();
    await problem(worker, 'Select a file to upload');
    await worker.getByLabel('Upload a file').setInputFiles({ name: 'letter.pdf', mimeType: 'application/pdf', buffer: Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0xff, 0xfe]) });
    await worker.getByRole('button', { name: 'Upload file' }).click();
    await problem(worker, 'This kind of file cannot be stored: use PDF, PNG, JPEG, Word (.docx) or plain text');
    await expectAccessible(worker, 'upload refused');
    await worker.getByLabel('Upload a file').setInputFiles({ name: 'consent-letter.txt', mimeType: 'text/plain', buffer: Buffer.from('The family agrees to the referral.\n') });
    await worker.getByRole('button', { name: 'Upload file' }).click();
    await banner(worker, 'consent-letter.txt uploaded');
    const documents = worker.getByRole('region', { name: 'Documents on this case' });
    const download = documents.getByRole('link', { name: /consent-letter\.txt/ });
    await download.waitFor();
    const file = await worker.request.get(new URL((await download.getAttribute('href')) ?? '', server.url).toString());
    expect(file.status()).toBe(200);
    expect(await file.text()).toBe('The family agrees to the referral.\n');
    await expectAccessible(worker, 'case page with a note and a document');

    // The org admin records a facilitator's gender, and sets and applies retention.
    const admin = await signInAs(org.users.org_admin.email);
    await admin.goto(`${server.url}/users/${org.users.facilitator.id}`);
    await admin.getByRole('heading', { name: org.users.facilitator.name, level: 1 }).waitFor();
    await admin.getByRole('button', { name: 'Save gender' }).click();
    await problem(admin, 'Select a gender');
    await answer(admin, 'Gender', 'Male');
    await admin.getByRole('button', { name: 'Save gender' }).click();
    await banner(admin, `${org.users.facilitator.name}’s gender is recorded`);
    expect(await admin.locator('.govuk-summary-list').textContent()).toContain('Male');
    await expectAccessible(admin, 'user page with gender');

    await nav(admin, 'Data protection');
    await admin.getByLabel('Case notes: months to keep').fill('0');
    await admin.getByRole('button', { name: 'Save retention settings' }).click();
    await problem(admin, 'Case notes must be between 1 and 1200 months');
    await admin.getByLabel('Case notes: months to keep').fill('72');
    await admin.getByLabel('Case documents: months to keep').fill('72');
    await admin.getByRole('button', { name: 'Save retention settings' }).click();
    await banner(admin, 'Retention settings saved');
    await admin.getByRole('button', { name: 'Run retention now' }).click();
    await banner(admin, 'Retention settings applied');
    expect(await admin.getByRole('region', { name: 'Retention run' }).textContent()).toContain('Case notes');
    await expectAccessible(admin, 'data protection page after a retention run');
    await admin.reload();
    await admin.getByRole('heading', { name: 'Data protection', level: 1 }).waitFor();
    expect(await admin.getByLabel('Case notes: months to keep').inputValue()).toBe('72');
  });
});
