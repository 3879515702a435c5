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

describe(`copying a programme, moving a session and recording a drop-out in Chromium on ${engineName()}`, () => {
  let server: TestContext & { url: string };
  let org: TestOrg;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let groupId = '';

  beforeAll(async () => {
    server = await startWebServer();
    org = await createOrgWithStaff(server, 'Group Changes Org');
    const [papId] = await createProgrammes(server.db.db, org.id, builtInProgrammes);
    const ids: string[] = [];
    for (const [name, gender] of [['Farah Brook', 'female'], ['Tomas Ashby', 'male']] as const) {
      const user = await createUserWithPassword(server.db.db, { organisationId: org.id, email: `${name.split(' ')[0]?.toLowerCase()}.${org.slug}@test.example`, name, role: 'facilitator', password: TEST_PASSWORD, gender });
      ids.push(user.id);
    }
    const manager = await signIn(server.app, org.users.service_manager.email);
    const r = (await call(server.app, manager, 'POST', '/api/referrals', { submission: aReferral({ programmeId: papId }) })).json();
    const accepted = (await call(server.app, manager, 'POST', `/api/referrals/${r.id}/decision`, { decision: 'accept', version: r.version })).json();
    let version = (await call(server.app, manager, 'GET', `/api/cases/${accepted.caseId}`)).json().version;
    for (const to of ['assessment_booked', 'assessed', 'awaiting_group']) version = (await call(server.app, manager, 'POST', `/api/cases/${accepted.caseId}/stage`, { to, version })).json().version;
    const group = await call(server.app, manager, 'POST', '/api/groups', { programmeId: papId, name: 'Monday group', site: 'Northgate', startDate: day(7), startTime: '18:00', facilitatorIds: ids });
    if (group.statusCode !== 201) throw new Error(group.body);
    groupId = group.json().id;
    const placed = await call(server.app, manager, 'POST', `/api/groups/${groupId}/placements`, { caseId: accepted.caseId, caseVersion: version });
    if (placed.statusCode !== 201) throw new Error(placed.body);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  });

  const signInAs = (email: string): Promise<Page> => signInWith(browser, server.url, contexts, email);

  it('a manager copies a programme, moves a session with the rest, and records a drop-out', async () => {
    const manager = await signInAs(org.users.service_manager.email);
    await manager.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Groups', exact: true }).click();
    await manager.getByRole('link', { name: 'Copy a programme' }).click();
    await manager.getByRole('heading', { name: 'Copy a programme', level: 1 }).waitFor();
    await manager.getByRole('button', { name: 'Copy the programme' }).click();
    await manager.locator('.govuk-error-summary').getByText('Select a programme to copy').waitFor();
    await expectAccessible(manager, 'copy a programme with an error');
    await manager.getByLabel('Programme to copy').selectOption({ label: 'Parents as Partners' });
    await manager.getByLabel('Name of the copy').fill('Parents as Partners (Thursday evenings)');
    await manager.getByRole('button', { name: 'Copy the programme' }).click();
    await manager.getByRole('heading', { name: 'Plan a group', level: 1 }).waitFor();
    await manager.getByText('Parents as Partners (Thursday evenings) created').waitFor();
    expect(await manager.getByLabel('Programme').locator('option', { hasText: 'Parents as Partners (Thursday evenings)' }).count()).toBe(1);

    await manager.goto(`${server.url}/groups/${groupId}`);
    await manager.getByRole('heading', { name: 'Monday group', level: 1 }).waitFor();
    await manager.getByRole('link', { name: 'Move session 3', exact: true }).click();
    await manager.getByRole('heading', { name: 'Move session 3', level: 1 }).waitFor();
    await fillDate(manager, 'move', day(24));
    await manager.getByLabel('Move every later session too, weekly from the new date').check();
    await expectAccessible(manager, 'move a session');
    await manager.getByRole('button', { name: 'Move the session' }).click();
    await manager.getByText('Session 3 moved').waitFor();
    const rows = manager.getByRole('region', { name: 'Sessions' }).locator('tbody tr');
    expect(await rows.nth(2).textContent()).toContain(longDay(day(24)));
    expect(await rows.nth(3).textContent()).toContain(longDay(day(31)));
    expect(await rows.nth(1).textContent()).toContain(longDay(day(14)));

    await manager.getByRole('link', { name: /Record a drop-out for/ }).click();
    await manager.getByRole('heading', { name: /Record a drop-out:/, level: 1 }).waitFor();
    await manager.getByLabel('Why').fill('Moved out of the area');
    await expectAccessible(manager, 'record a drop-out');
    await manager.getByRole('button', { name: 'Record the drop-out' }).click();
    await manager.getByText(/recorded as dropped out/).waitFor();
    await manager.getByText(`withdrew on ${longDay(day(0))}: Moved out of the area`, { exact: false }).waitFor();
    expect(await manager.getByRole('link', { name: /Record a drop-out for/ }).count()).toBe(0);
  });
});
