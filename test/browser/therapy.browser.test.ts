import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserWithPassword } from '../../src/server/modules/identity/index.ts';
import { builtInProgrammes, createProgrammes } from '../../src/server/modules/programmes/index.ts';
import { expectAccessible, launchBrowser, signInAs as signInWith, startWebServer } from '../setup/browser.ts';
import { engineName } from '../setup/engines.ts';
import { call, createOrgWithStaff, signIn, TEST_PASSWORD, type TestContext, type TestOrg } from '../setup/harness.ts';
import { aReferral } from '../setup/referrals.ts';

const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const longDay = (iso: string): string => new Date(`${iso}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

const fillDate = async (page: Page, id: string, isoDay: string) => {
  const [year, month, dayOfMonth] = isoDay.split('-') as [string, string, string];
  await page.locator(`#${id}-day`).fill(String(Number(dayOfMonth)));
  await page.locator(`#${id}-month`).fill(String(Number(month)));
  await page.locator(`#${id}-year`).fill(year);
};

describe(`couple therapy appointments in Chromium on ${engineName()}`, () => {
  let server: TestContext & { url: string };
  let org: TestOrg;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let therapist: { id: string; email: string };

  beforeAll(async () => {
    server = await startWebServer();
    org = await createOrgWithStaff(server, 'Therapy Browser Org');
    const [papId, therapyId] = await createProgrammes(server.db.db, org.id, builtInProgrammes);
    const make = async (name: string, gender: 'female' | 'male') => {
      const email = `${name.split(' ')[0]?.toLowerCase()}.${org.slug}@test.example`;
      const user = await createUserWithPassword(server.db.db, { organisationId: org.id, email, name, role: 'facilitator', password: TEST_PASSWORD, gender });
      return { id: user.id, email };
    };
    therapist = await make('Alma Reyes', 'female');
    const tom = await make('Tomas Ashby', 'male');
    const manager = await signIn(server.app, org.users.service_manager.email);
    // The therapist also runs an evening group whose first session is a fortnight away.
    const group = await call(server.app, manager, 'POST', '/api/groups', { programmeId: papId, name: 'Evening group', site: 'Northgate', startDate: day(14), startTime: '18:00', facilitatorIds: [therapist.id, tom.id] });
    if (group.statusCode !== 201) throw new Error(group.body);
    // An adoptive couple, assessed and ready for therapy.
    const referral = aReferral({
      programmeId: therapyId,
      parents: [
        { givenName: 'Rosa', familyName: 'Okafor', dateOfBirth: '1986-02-11', gender: 'female', relationship: 'adoptive_parent', email: 'rosa@family.example', willingToAttend: true },
        { givenName: 'Jon', familyName: 'Okafor', dateOfBirth: '1984-09-30', gender: 'male', relationship: 'adoptive_parent', phone: '07700 900456', willingToAttend: true },
      ],
    });
    const r = (await call(server.app, manager, 'POST', '/api/referrals', { submission: referral })).json();
    const accepted = (await call(server.app, manager, 'POST', `/api/referrals/${r.id}/decision`, { decision: 'accept', version: r.version })).json();
    let version = (await call(server.app, manager, 'GET', `/api/cases/${accepted.caseId}`)).json().version;
    for (const to of ['assessment_booked', 'assessed']) version = (await call(server.app, manager, 'POST', `/api/cases/${accepted.caseId}/stage`, { to, version })).json().version;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  });

  const signInAs = (email: string): Promise<Page> => signInWith(browser, server.url, contexts, email);

  let seriesUrl = '';

  it('a manager books 20 weekly appointments: a clash with the group is refused naming the date, the closure is skipped', async () => {
    const manager = await signInAs(org.users.service_manager.email);
    await manager.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Therapy', exact: true }).click();
    await manager.getByRole('heading', { name: 'Therapy', level: 1 }).waitFor();
    await expectAccessible(manager, 'therapy list');
    await manager.getByRole('link', { name: 'Book appointments' }).click();
    await manager.getByRole('heading', { name: 'Book therapy appointments', level: 1 }).waitFor();
    await manager.getByLabel('Couple').selectOption({ index: 1 });
    await manager.getByLabel('Therapist').selectOption({ label: 'Alma Reyes' });
    await manager.getByLabel('Weekly therapy sessions').check();
    await fillDate(manager, 'therapy-first', day(7));
    await manager.getByLabel('Start time').fill('18:30');
    await manager.getByLabel('Number of weekly appointments').fill('20');
    await manager.getByRole('button', { name: 'Add a closure' }).click();
    await fillDate(manager, 'closure-0-from', day(35));
    await manager.getByLabel('Closure 1: reason').fill('Bank holiday');
    await manager.getByRole('button', { name: 'Book the appointments' }).click();
    const summary = manager.locator('.govuk-error-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toContain(`Appointment 2 on ${day(14)} at 18:30–19:20 clashes with the therapist's session 1 of Evening group (18:00–20:00)`);
    await expectAccessible(manager, 'book therapy with a clash');

    await manager.getByLabel('Start time').fill('10:00');
    await manager.getByRole('button', { name: 'Book the appointments' }).click();
    await manager.getByRole('heading', { name: 'Therapy: Okafor family', level: 1 }).waitFor();
    await manager.getByText('20 appointments booked').waitFor();
    seriesUrl = manager.url();
    const rows = manager.getByRole('region', { name: 'Appointments' }).locator('tbody tr');
    expect(await rows.count()).toBe(20);
    expect(await manager.getByRole('region', { name: 'Appointments' }).getByText(longDay(day(35))).count()).toBe(0);
    expect(await rows.nth(4).textContent()).toContain(longDay(day(42)));
    await expectAccessible(manager, 'therapy series');
  });

  it('the therapist reschedules one appointment; the move is kept and shows in her diary', async () => {
    const page = await signInAs(therapist.email);
    await page.goto(seriesUrl);
    await page.getByRole('heading', { name: 'Therapy: Okafor family', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Change appointment 3', exact: true }).click();
    await page.getByRole('heading', { name: 'Appointment 3: Okafor family', level: 1 }).waitFor();
    await expectAccessible(page, 'appointment');
    // Onto the group's evening: refused, naming the date.
    await fillDate(page, 'move-date', day(28));
    await page.getByLabel('New start time').fill('18:00');
    await page.getByLabel('Why it moves').fill('The couple asked for an evening');
    await page.getByRole('button', { name: 'Move the appointment' }).click();
    const summary = page.locator('.govuk-error-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toContain(`Appointment 3 on ${day(28)} at 18:00–18:50 clashes with the therapist's session 3 of Evening group`);
    await page.getByLabel('New start time').fill('15:00');
    await fillDate(page, 'move-date', day(22));
    await page.getByRole('button', { name: 'Move the appointment' }).click();
    await page.getByText('Appointment 3 moved').waitFor();
    const third = page.getByRole('region', { name: 'Appointments' }).locator('tbody tr').nth(2);
    expect(await third.textContent()).toContain(`${longDay(day(22))}, 15:00–15:50`);
    expect(await third.textContent()).toContain(`Moved from ${longDay(day(21))} 10:00: The couple asked for an evening`);

    await page.goto(`${server.url}/diary`);
    await page.getByRole('heading', { name: 'Diary', level: 1 }).waitFor();
    const diary = page.getByRole('region', { name: 'Diary' });
    await diary.getByText('Therapy 3: Okafor family', { exact: false }).waitFor();
    expect(await diary.getByText('Evening group: session 1').count()).toBe(1);
    await expectAccessible(page, 'diary');

    // Her working hours: a line that cannot be read is named; saved, they are listed; emptied, bookings are unrestricted again.
    const hours = page.getByLabel('Weekly availability');
    await hours.fill('Funday 09:00-12:00');
    await page.getByRole('button', { name: 'Save availability' }).click();
    await page.getByText('Line 1: write a weekday and two times').first().waitFor();
    await expectAccessible(page, 'availability with a problem');
    await hours.fill('Monday 09:00-12:00\nThursday 13:30-17:00');
    await page.getByRole('button', { name: 'Save availability' }).click();
    await page.getByText('Availability saved.').waitFor();
    await page.getByText('13:30–17:00').waitFor();
    await page.getByLabel('Weekly availability').fill('');
    await page.getByRole('button', { name: 'Save availability' }).click();
    await page.getByText('No availability declared: appointments can be booked at any time.').waitFor();
  });

  it("a manager reads the overview across sites: groups by state, the waiting list and each facilitator's load", async () => {
    const manager = await signInAs(org.users.service_manager.email);
    await manager.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Groups', exact: true }).click();
    await manager.getByRole('link', { name: 'Overview across sites' }).click();
    await manager.getByRole('heading', { name: 'Overview across sites', level: 1 }).waitFor();
    await manager.getByText('Northgate: 0 running, 1 planned, 0 finished').waitFor();
    const load = manager.getByRole('region', { name: "Facilitators' load" });
    expect(await load.getByRole('row', { name: /Alma Reyes/ }).textContent()).toMatch(/Alma Reyes\s*3\s*4/);
    await expectAccessible(manager, 'overview across sites');
  });
});
