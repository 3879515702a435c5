import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoFundApplications } from '../../src/server/modules/funding/index.ts';
import { engineName } from '../setup/engines.ts';
import { call, createOrgWithStaff, signIn, startTestApp, type TestContext } from '../setup/harness.ts';
import { assessedCase, newFunder } from '../setup/fund-applications.ts';

describe(`demo fund applications on ${engineName()}`, () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await startTestApp();
  });
  afterAll(async () => ctx?.close());

  it('does nothing without an Adoption Support Fund funder, then seeds the limit and an application in a demo family’s name', async () => {
    const org = await createOrgWithStaff(ctx, 'Demo-like provider');
    const manager = await signIn(ctx.app, org.users.service_manager.email);
    const clarke = await assessedCase(ctx, org, manager, { family: 'Clarke', heldDaysAgo: 10 });
    await seedDemoFundApplications(ctx.db.db, org.id);
    expect((await call(ctx.app, manager, 'GET', `/api/cases/${clarke.caseId}/fund-applications`)).json().applications).toEqual([]);

    const asf = await newFunder(ctx, org.id, 'Adoption Support Fund (demo)');
    await seedDemoFundApplications(ctx.db.db, org.id);
    const rules = (await call(ctx.app, manager, 'GET', '/api/fund-application-rules')).json().rules;
    expect(rules).toEqual([expect.objectContaining({ funderId: asf, annualLimitPence: 500000, version: 1 })]);
    const [app] = (await call(ctx.app, manager, 'GET', `/api/cases/${clarke.caseId}/fund-applications`)).json().applications;
    expect(app).toMatchObject({ status: 'approved', kind: 'child', fundPence: 250000, fundReference: 'ASF-DEMO-0042' });
    expect(app.history.map((h: { to: string }) => h.to)).toEqual(['draft', 'submitted', 'approved']);
    const commissioner = await signIn(ctx.app, org.users.commissioner.email);
    const list = (await call(ctx.app, commissioner, 'GET', '/api/fund-applications')).json();
    expect(list.applications).toEqual([expect.objectContaining({ participant: 'child 1', status: 'approved' })]);
  });
});
