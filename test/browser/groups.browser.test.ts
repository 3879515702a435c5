import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserWithPassword } from '../../src/server/modules/identity/index.ts';
import { builtInProgrammes, createProgrammes } from '../../src/server/modules/programmes/index.ts';
import { expectAccessible, launchBrowser, startWebServer } from '../setup/browser.ts';
import { engineName } from '../setup/engines.ts';
import { call, createOrgWithStaff, signIn, TEST_PASSWORD, type TestContext, type TestOrg } from '../setup/harness.ts';
import { aReferral } from '../setup/referrals.ts';

const tablet = { viewport: { width: 768, height: 1024 }, isMobile: true, hasTouch: true };
const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

const fillDate = async (page: Page, id: string, isoDay: string) => {
  const [year, month, dayOfMonth] = isoDay.split('-') as [string, string, string];
  await page.locator(`#${id}-day`).fill(String(Number(dayOfMonth)));
  await page.locator(`#${id}-month`).fill(String(Number(month)));
  await page.locator(`#${id}-year`).fill(year);
};

describe(`groups and the register in Chromium on ${engineName()}`, () => {
  let server: TestContext & { url: string };
  let org: TestOrg;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const staff: Record<string, { id: string; email: string }> = {};

  beforeAll(async () => {
    server = await startWebServer();
    org = await createOrgWithStaff(server, 'Groups Browser Org');
    const [papId] = await createProgrammes(server.db.db, org.id, builtInProgrammes);
    for (const [name, gender] of [['Farah Brook', 'female'], ['Gina Lane', 'female'], ['Tomas Ashby', 'male']] as const) {
      const email = `${name.split(' ')[0]?.toLowerCase()}.${org.slug}@test.example`;
      const user = await createUserWithPassword(server.db.db, { organisationId: org.id, email, name, role: 'facilitator', password: TEST_PASSWORD, gender });
      staff[name] = { id: user.id, email };
    }
    // Three couples waiting for a group.
    const worker = await signIn(server.app, org.users.case_worker.email);
    for (let i = 0; i < 3; i += 1) {
      const r = (await call(server.app, worker, 'POST', '/api/referrals', { submission: aReferral({ programmeId: papId }) })).json();
      const accepted = (await call(server.app, worker, 'POST', `/api/referrals/${r.id}/decision`, { decision: 'accept', caseWorkerId: org.users.case_worker.id, version: r.version })).json();
      let version = 1;
      for (const to of ['assessment_booked', 'assessed', 'awaiting_group']) version = (await call(server.app, worker, 'POST', `/api/cases/${accepted.caseId}/stage`, { to, version })).json().version;
    }
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  });

  const signInAs = async (email: string, options: Parameters<Browser['newContext']>[0] = {}): Promise<Page> => {
    const context = await browser.newContext(options);
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
  const nav = async (page: Page, label: string) => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label, exact: true }).click();
    await page.getByRole('heading', { name: label, level: 1 }).waitFor();
  };

  let groupUrl = '';

  it('a manager plans a Parents as Partners group: 16 sessions, the closure skipped, the split sessions marked, the pair rule enforced', async () => {
    const manager = await signInAs(org.users.service_manager.email);
    await nav(manager, 'Groups');
    await manager.getByRole('link', { name: 'Plan a group' }).click();
    await manager.getByRole('heading', { name: 'Plan a group', level: 1 }).waitFor();
    await manager.getByLabel('Programme').selectOption({ label: 'Parents as Partners' });
    await manager.getByLabel('Group name').fill('Tuesday evening group');
    await manager.getByLabel('Site').fill('Northgate');
    await fillDate(manager, 'group-start', day(-14));
    await manager.getByLabel('Start time').fill('18:00');
    await manager.getByRole('button', { name: 'Add a closure' }).click();
    await fillDate(manager, 'closure-0-from', day(-7));
    await manager.getByLabel('Closure 1: reason').fill('Half term');
    await manager.getByLabel('First facilitator').selectOption({ label: 'Farah Brook (woman)' });
    await manager.getByLabel('Second facilitator').selectOption({ label: 'Gina Lane (woman)' });
    await manager.getByRole('button', { name: 'Plan the group' }).click();
    const summary = manager.locator('.govuk-error-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toMatch(/one male and one female facilitator/);
    await expectAccessible(manager, 'plan a group with an error');

    await manager.getByLabel('Second facilitator').selectOption({ label: 'Tomas Ashby (man)' });
    await manager.getByRole('button', { name: 'Plan the group' }).click();
    await manager.getByRole('heading', { name: 'Tuesday evening group', level: 1 }).waitFor();
    groupUrl = manager.url();
    const rows = manager.getByRole('region', { name: 'Sessions' }).locator('tbody tr');
    expect(await rows.count()).toBe(16);
    expect(await manager.getByText("Mothers' and fathers' groups; children join").count()).toBe(2);
    expect(await manager.getByText('Rule not met').count()).toBe(0);
    await expectAccessible(manager, 'group page');

    for (let i = 0; i < 3; i += 1) {
      const select = manager.getByLabel('Family', { exact: true });
      await select.selectOption({ index: 1 });
      await manager.getByRole('button', { name: 'Place the family' }).click();
      await manager.getByText(/placed$/).first().waitFor();
      await manager.getByText(`${i + 1} of 6 couples filled`).waitFor();
    }
  });

  it('a facilitator takes the register on a tablet; two absences in a row tell the case worker', async () => {
    const facilitator = await signInAs(staff['Farah Brook']?.email ?? '', tablet);
    await facilitator.goto(groupUrl);
    await facilitator.getByRole('heading', { name: 'Tuesday evening group', level: 1 }).waitFor();
    for (const session of [1, 2]) {
      await facilitator.goto(groupUrl);
      await facilitator.getByRole('link', { name: `Take the register for session ${session}`, exact: true }).click();
      await facilitator.getByRole('heading', { name: `Register: session ${session}`, level: 1 }).waitFor();
      expect(await facilitator.locator('legend', { hasText: 'Fielding family' }).count()).toBe(6);
      // Statuses in order: Present, Late, Absent with apologies, Absent. Marcus (the second on the register) is absent twice.
      for (let i = 0; i < 6; i += 1) await facilitator.locator(`#mark-${i}-${i === 1 ? 3 : 0}`).check();
      if (session === 1) await expectAccessible(facilitator, 'register on a tablet');
      await facilitator.getByRole('button', { name: 'Save the register' }).click();
      await facilitator.getByText(/Register saved: 6 of 6 marked/).waitFor();
    }
    await facilitator.getByText(/has missed 2 sessions in a row; their case worker has been told/).waitFor();
    // The session record: the topic of session 1 covered, a note, against its curriculum.
    await facilitator.goto(groupUrl);
    await facilitator.getByRole('link', { name: 'Session record of session 1', exact: true }).click();
    await facilitator.getByRole('heading', { name: 'Session 1 record', level: 1 }).waitFor();
    await facilitator.locator('#item-0').check();
    await facilitator.getByLabel("Facilitators' notes").fill('Everyone introduced themselves; one couple quiet.');
    await expectAccessible(facilitator, 'session record on a tablet');
    await facilitator.getByRole('button', { name: 'Save the record' }).click();
    await facilitator.getByText('Adherence 100% (1 of 2 items rated).').waitFor();

    // Their sessions in their own calendar app: a secret address that works without a cookie, until stopped.
    await facilitator.goto(new URL('/account/security', facilitator.url()).toString());
    await facilitator.getByRole('button', { name: 'Make a calendar address' }).click();
    const feedUrl = (await facilitator.getByTestId('calendar-feed-url').textContent()) ?? '';
    await expectAccessible(facilitator, 'calendar address on the account page');
    const feed = await fetch(feedUrl);
    expect(feed.status).toBe(200);
    const ics = await feed.text();
    expect(ics).toMatch(/^BEGIN:VCALENDAR/);
    expect(ics).toContain('Tuesday evening group');
    expect(ics).not.toContain('Fielding');
    await facilitator.getByRole('button', { name: 'Stop my calendar address' }).click();
    await facilitator.getByText('You have no calendar address.').waitFor();
    expect((await fetch(feedUrl)).status).toBe(404);

    const worker = await signInAs(org.users.case_worker.email);
    await worker.getByText(/missed 2 sessions in a row of Tuesday evening group/).first().waitFor();
  });
  it("a manager staffs session 2's crèche and books a child in; only the crèche worker reads the allergy, and takes the crèche register", async () => {
    const manager = await signInAs(org.users.service_manager.email);
    await manager.goto(groupUrl);
    await manager.getByRole('link', { name: 'Crèche of session 2', exact: true }).click();
    await manager.getByRole('heading', { name: 'Crèche: session 2', level: 1 }).waitFor();
    const crecheUrl = manager.url();
    await manager.getByLabel('Gina Lane').check();
    await manager.getByRole('button', { name: 'Roster crèche staff' }).click();
    await manager.getByText('Crèche staff rostered').waitFor();
    await manager.getByLabel('Child', { exact: true }).selectOption({ index: 1 });
    await manager.getByLabel('Allergies (crèche staff only)').fill('Sesame');
    await manager.getByLabel("Consent to the crèche given by (parent's name)").fill('Dana Fielding');
    await manager.getByRole('button', { name: 'Book the child' }).click();
    await manager.getByText('Child booked into the crèche').waitFor();
    await manager.getByText('1 5 and over (1:8): 1 staff needed, 1 rostered').waitFor();
    expect(await manager.getByText('Sesame').count()).toBe(0);
    await manager.getByText('Allergies and medical notes are shown only to the staff rostered on this crèche.').waitFor();
    await expectAccessible(manager, 'crèche page for a manager');

    const crecheWorker = await signInAs(staff['Gina Lane']?.email ?? '', tablet);
    await crecheWorker.goto(crecheUrl);
    await crecheWorker.getByRole('heading', { name: 'Crèche: session 2', level: 1 }).waitFor();
    await crecheWorker.getByText('Allergies: Sesame').waitFor();
    await crecheWorker.locator('#present-0').check();
    await crecheWorker.getByLabel(/^Collected by/).fill('Marcus Fielding');
    await expectAccessible(crecheWorker, 'crèche register on a tablet');
    await crecheWorker.getByRole('button', { name: 'Save the crèche register' }).click();
    await crecheWorker.getByText('Crèche register saved').waitFor();
  });
});
