import { sql } from 'kysely';
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

  it('seeds groups at three sites in every state with attendance, and a couple in therapy', async () => {
    const signIns = await seedDemo(ctx.db.db, { password: 'demo-password-for-tests' });
    const manager = signIns.find((s) => s.role === 'service_manager' && s.email.endsWith('northgate.example'));
    if (!manager) throw new Error('no demo manager');
    const session = await signIn(ctx.app, manager.email, manager.password);
    const groups = (await call(ctx.app, session, 'GET', '/api/groups')).json().groups;
    expect(groups.map((g: { status: string }) => g.status).sort()).toEqual(['finished', 'planned', 'running']);
    expect(new Set(groups.map((g: { site: string }) => g.site))).toEqual(new Set(['Northgate', 'Riverside', 'Eastfield']));
    const running = groups.find((g: { status: string }) => g.status === 'running');
    expect(running).toMatchObject({ sessionCount: 16, sessionsWithoutValidFacilitators: 0, placesFilled: 1 });
    const dose = (await call(ctx.app, session, 'GET', `/api/groups/${running.id}/dose`)).json();
    expect(dose.sessionsHeld).toBeGreaterThanOrEqual(4);
    expect(dose.participants).toHaveLength(2);
    expect(dose.participants.every((p: { sessionsAttended: number }) => p.sessionsAttended >= 3)).toBe(true);

    // The crèche of the next session: staffed, the child booked, the allergy shown to the crèche worker only.
    const detail = (await call(ctx.app, session, 'GET', `/api/groups/${running.id}`)).json();
    const next = detail.sessions.find((s: { onDate: string }) => s.onDate >= new Date().toISOString().slice(0, 10));
    const creche = (await call(ctx.app, session, 'GET', `/api/sessions/${next.id}/creche`)).json();
    expect(creche).toMatchObject({ staff: [{ name: 'Hannah Reid' }], ratio: { ok: true, staffNeeded: 1 }, medicalNotesVisible: false });
    expect(creche.bookings).toHaveLength(1);
    const crecheWorker = signIns.find((s) => s.email.startsWith('creche@'));
    if (!crecheWorker) throw new Error('no demo crèche worker');
    const worker = await signIn(ctx.app, crecheWorker.email, crecheWorker.password);
    expect((await call(ctx.app, worker, 'GET', `/api/sessions/${next.id}/creche`)).json().bookings[0].allergies).toBe('Dairy (synthetic demo)');

    // Session records of the past sessions, one strand only partly covered.
    const record = (await call(ctx.app, session, 'GET', `/api/sessions/${detail.sessions[1].id}/record`)).json();
    expect(record).toMatchObject({ version: 1, adherence: { percent: 75 } });

    // The finished 8-week group: every register taken, one couple dropped out, the other four people completers.
    const finished = groups.find((g: { status: string }) => g.status === 'finished');
    expect(finished).toMatchObject({ site: 'Eastfield', sessionCount: 8, placesFilled: 2 });
    const finishedDose = (await call(ctx.app, session, 'GET', `/api/groups/${finished.id}/dose`)).json();
    expect(finishedDose.sessionsHeld).toBe(8);
    const placed = finishedDose.participants.filter((p: { placementStatus: string }) => p.placementStatus === 'placed');
    expect(placed).toHaveLength(4);
    expect(placed.every((p: { completer: boolean }) => p.completer)).toBe(true);
    expect(finishedDose.participants.filter((p: { placementStatus: string }) => p.placementStatus === 'withdrawn')).toHaveLength(2);

    // Couple therapy: a consultation and a 20-week series with outcomes and a move.
    const series = (await call(ctx.app, session, 'GET', '/api/therapy-series')).json().series;
    expect(series.map((s: { kind: string }) => s.kind).sort()).toEqual(['consultation', 'therapy']);
    const therapy = (await call(ctx.app, session, 'GET', `/api/therapy-series/${series.find((s: { kind: string }) => s.kind === 'therapy').id}`)).json();
    expect(therapy.appointments).toHaveLength(20);
    expect(therapy.dose).toMatchObject({ didNotAttend: 1, cancelledByService: 1 });
    expect(therapy.dose.attended).toBeGreaterThanOrEqual(3);
    expect(therapy.appointments.filter((a: { changes: unknown[] }) => a.changes.length > 0)).toHaveLength(1);
  });

  it('filters the outcomes report by facilitator and by attendance dose, from the demo groups and their registers', async () => {
    const signIns = await (async () => {
      const { rows } = await sql<{ email: string }>`SELECT u.email FROM app_user u JOIN membership m ON m.user_id = u.id WHERE m.role = 'service_manager' AND u.email LIKE '%northgate.example'`.execute(ctx.db.db);
      return rows;
    })();
    const manager = await signIn(ctx.app, signIns[0]?.email ?? '', 'demo-password-for-tests');
    const groups = (await call(ctx.app, manager, 'GET', '/api/groups')).json().groups;
    const preOf = async (query: string): Promise<number> => {
      const response = await call(ctx.app, manager, 'GET', `/api/evaluation/report${query}`);
      expect(response.statusCode).toBe(200);
      const measure = response.json().measures.find((m: { instrument: string; scale: string }) => m.instrument === 'core-10' && m.scale === 'total');
      return measure?.by_role.all.pre.n ?? 0;
    };
    // Counted straight from the tables: pre CORE-10s whose respondent is one of these people.
    const preOfPeople = async (people: string[]): Promise<number> => {
      if (people.length === 0) return 0;
      const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM administration a JOIN respondent r ON r.id = a.respondent_id
        WHERE a.instrument_id = 'core-10' AND a.timepoint = 'pre' AND a.status = 'scored' AND r.person_id = ANY(${people}::uuid[])`.execute(ctx.db.db);
      return Number(rows[0]?.n ?? 0);
    };
    const everyone = await preOf('');

    // Completers: every group's register read through the dose endpoint (the rule the filter must agree with).
    const completers: string[] = [];
    const byFacilitator = new Map<string, Set<string>>();
    for (const group of groups) {
      const dose = (await call(ctx.app, manager, 'GET', `/api/groups/${group.id}/dose`)).json();
      for (const p of dose.participants) if (p.completer) completers.push(p.personId);
      const detail = (await call(ctx.app, manager, 'GET', `/api/groups/${group.id}`)).json();
      const people = (detail.placements ?? []).flatMap((pl: { participants: { personId: string }[] }) => pl.participants.map((x) => x.personId));
      for (const s of detail.sessions) for (const f of s.facilitators) byFacilitator.set(f.id, new Set([...(byFacilitator.get(f.id) ?? []), ...people]));
    }
    const expectedCompleters = await preOfPeople([...new Set(completers)]);
    expect(expectedCompleters).toBeGreaterThan(0);
    expect(expectedCompleters).toBeLessThan(everyone);
    expect(await preOf('?dose=completers')).toBe(expectedCompleters);
    expect(await preOf('?dose=all')).toBe(everyone);

    // A facilitator of the finished group: only the people placed in the groups they ran.
    const finished = groups.find((g: { status: string }) => g.status === 'finished');
    const finishedDetail = (await call(ctx.app, manager, 'GET', `/api/groups/${finished.id}`)).json();
    const facilitator = finishedDetail.sessions[0].facilitators[0].id as string;
    const expectedFacilitated = await preOfPeople([...(byFacilitator.get(facilitator) ?? [])]);
    expect(expectedFacilitated).toBeGreaterThan(0);
    expect(await preOf(`?facilitator=${facilitator}`)).toBe(expectedFacilitated);
    expect(await preOf(`?facilitator=${facilitator}&dose=completers`)).toBe(await preOfPeople([...(byFacilitator.get(facilitator) ?? [])].filter((id) => completers.includes(id))));

    // Named in the page's choices, echoed in the report, and bad values refused naming the field.
    const page = (await call(ctx.app, manager, 'GET', `/api/evaluation/report/page?facilitator=${facilitator}`)).json();
    expect(page.options.facilitators.map((f: { id: string }) => f.id)).toContain(facilitator);
    expect(page.report.filters).toMatchObject({ facilitator, dose: null });
    const bad = await call(ctx.app, manager, 'GET', '/api/evaluation/report?dose=some&facilitator=nobody');
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toMatch(/dose|facilitator/);
  });
});
