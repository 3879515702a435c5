import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/server/demo/demo.ts';
import { engineName } from '../setup/engines.ts';
import { call, signIn, startTestApp, type TestContext } from '../setup/harness.ts';

describe(`demo groups on ${engineName()}`, () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await startTestApp();
  });
  afterAll(async () => ctx?.close());

  it('seeds a running Parents as Partners group with the families in service and past registers, and a planned group', async () => {
    const signIns = await seedDemo(ctx.db.db, { password: 'demo-password-for-tests' });
    const manager = signIns.find((s) => s.role === 'service_manager' && s.email.endsWith('northgate.example'));
    if (!manager) throw new Error('no demo manager');
    const session = await signIn(ctx.app, manager.email, manager.password);
    const groups = (await call(ctx.app, session, 'GET', '/api/groups')).json().groups;
    expect(groups.map((g: { status: string }) => g.status).sort()).toEqual(['planned', 'running']);
    const running = groups.find((g: { status: string }) => g.status === 'running');
    expect(running).toMatchObject({ sessionCount: 16, sessionsWithoutValidFacilitators: 0, placesFilled: 1 });
    const dose = (await call(ctx.app, session, 'GET', `/api/groups/${running.id}/dose`)).json();
    expect(dose.sessionsHeld).toBeGreaterThanOrEqual(4);
    expect(dose.participants).toHaveLength(2);
    expect(dose.participants.every((p: { sessionsAttended: number }) => p.sessionsAttended >= 3)).toBe(true);
  });
});
