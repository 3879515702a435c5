import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inScope } from '../../src/server/platform/db/scope.ts';
import { engineName } from '../setup/engines.ts';
import { seedAdministrations, type Seeded } from '../setup/evaluation-data.ts';
import { fundingWorld, londonDay, waitingCase, type FundingWorld } from '../setup/funding-scenario.ts';
import { call, createOrgWithStaff, signIn, startTestApp, type TestContext } from '../setup/harness.ts';

type Place = { id: string; number: number; status: string; payerName: string; freedLate: boolean; refundable: boolean; claimable: boolean; version: number };

describe(`funding: places, shared vacancies, money at risk and invoices on ${engineName()}`, () => {
  let ctx: TestContext;
  let w: FundingWorld & { programmeId: string };
  const placements: { id: string; version: number }[] = [];

  beforeAll(async () => {
    ctx = await startTestApp();
    w = await fundingWorld(ctx);
  }, 120_000);
  afterAll(async () => ctx?.close());

  const contract = async (session = w.manager) => (await call(ctx.app, session, 'GET', `/api/funding/contracts/${w.contractId}`)).json();
  const places = async (session = w.manager): Promise<Place[]> => (await contract(session)).blocks.flatMap((b: { placeList: Place[] }) => b.placeList);

  it('lets the lead commissioner buy 10 places on a group it sees only as a label, within capacity and value', async () => {
    const offered = await call(ctx.app, w.leadCommissioner, 'GET', `/api/funding/contracts/${w.contractId}/groups`);
    expect(offered.statusCode).toBe(200);
    expect(offered.json().groups).toEqual([expect.objectContaining({ groupId: w.groupId, label: 'Funded programme: Funded group', placesAvailable: 12 })]);
    const tooMany = await call(ctx.app, w.leadCommissioner, 'POST', `/api/funding/contracts/${w.contractId}/places`, { groupId: w.groupId, places: 13 });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().error.fields[0]).toMatchObject({ path: 'body.places', message: expect.stringContaining('at most 12') });
    const bought = await call(ctx.app, w.leadCommissioner, 'POST', `/api/funding/contracts/${w.contractId}/places`, { groupId: w.groupId, places: 10 });
    expect(bought.statusCode, bought.body).toBe(200);
    expect(bought.json().blocks[0]).toMatchObject({ places: 10, pricePence: 50_000, refundDeadline: londonDay(0), refillDeadline: londonDay(0) });
    expect(bought.json().risk).toMatchObject({ placesBought: 10, placesFilled: 0, valueBoughtPence: 500_000 });
    // The contract's value (£10,000) allows 20 places; the group has 2 left.
    const overValue = await call(ctx.app, w.partnerCommissioner, 'POST', `/api/funding/contracts/${w.contractId}/places`, { groupId: w.groupId, places: 3 });
    expect(overValue.statusCode).toBe(400);
  });

  it('fills a bought place when the provider places a family, and frees it on withdrawal: early is refundable, on the deadline day late', async () => {
    for (let i = 0; i < 8; i += 1) {
      const c = await waitingCase(ctx, w.manager, w.programmeId);
      const res = await call(ctx.app, w.manager, 'POST', `/api/groups/${w.groupId}/placements`, { caseId: c.id, caseVersion: c.version });
      expect(res.statusCode, res.body).toBe(201);
      placements.push({ id: res.json().id, version: res.json().version });
    }
    expect((await places()).filter((p) => p.status === 'filled').map((p) => p.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const early = placements[2];
    const late = placements[4];
    if (!early || !late) throw new Error('placements');
    expect((await call(ctx.app, w.manager, 'POST', `/api/placements/${early.id}/withdraw`, { on: londonDay(-1), reason: 'Moved away', version: early.version })).statusCode).toBe(200);
    expect((await call(ctx.app, w.manager, 'POST', `/api/placements/${late.id}/withdraw`, { on: londonDay(0), reason: 'Stopped coming', version: late.version })).statusCode).toBe(200);
    const after = await places();
    expect(after.find((p) => p.number === 3)).toMatchObject({ status: 'freed', freedLate: false, refundable: true, claimable: true });
    expect(after.find((p) => p.number === 5)).toMatchObject({ status: 'freed', freedLate: true, refundable: false, claimable: false });
  });

  it('shares the freed early place with the partner agency, which claims it; the lead does not see its own place as claimable', async () => {
    const theirs = (await call(ctx.app, w.partnerCommissioner, 'GET', '/api/funding/vacancies')).json().vacancies as { placeId: string; number: number; version: number }[];
    expect(theirs.map((v) => v.number).sort()).toEqual([10, 3, 9].sort());
    const mine = (await call(ctx.app, w.leadCommissioner, 'GET', '/api/funding/vacancies')).json().vacancies;
    expect(mine).toEqual([]);
    const freed = theirs.find((v) => v.number === 3);
    if (!freed) throw new Error('no vacancy');
    const stale = await call(ctx.app, w.partnerCommissioner, 'POST', `/api/funding/places/${freed.placeId}/claim`, { version: freed.version + 5 });
    expect(stale.statusCode).toBe(409);
    const claimed = await call(ctx.app, w.partnerCommissioner, 'POST', `/api/funding/places/${freed.placeId}/claim`, { version: freed.version });
    expect(claimed.statusCode, claimed.body).toBe(200);
    expect(claimed.json()).toMatchObject({ number: 3, status: 'vacant', payerName: w.partner.name });
    const again = await call(ctx.app, w.partnerCommissioner, 'POST', `/api/funding/places/${freed.placeId}/claim`, { version: claimed.json().version });
    expect(again.statusCode).toBe(409);
    // A late place cannot be claimed.
    const latePlace = (await places()).find((p) => p.number === 5);
    if (!latePlace) throw new Error('late place');
    expect((await call(ctx.app, w.partnerCommissioner, 'POST', `/api/funding/places/${latePlace.id}/claim`, { version: latePlace.version })).statusCode).toBe(409);
  });

  it('shows the money at risk: the late place lost, empty places still fillable today', async () => {
    const board = (await call(ctx.app, w.leadCommissioner, 'GET', '/api/funding/dashboard')).json();
    expect(board.suppressed).toBe(true);
    expect(board.contracts).toHaveLength(1);
    expect(board.contracts[0].risk).toMatchObject({ placesBought: 10, placesFilled: 6, placesVacant: 4, placesFreedLate: 1, lostPence: 50_000, placesFillable: 3, fillablePence: 150_000, familiesAtRisk: 0 });
    const provider = (await call(ctx.app, w.manager, 'GET', '/api/funding/dashboard')).json();
    expect(provider.suppressed).toBe(false);
    expect(provider.totals).toMatchObject({ placesFilled: 6, lostPence: 50_000 });
  });

  it('invoices each place by the terms: the claimed place to the partner, the late and empty places to the lead', async () => {
    const draft = await call(ctx.app, w.manager, 'POST', `/api/funding/contracts/${w.contractId}/invoices`, { periodStart: londonDay(-60), periodEnd: londonDay(60) });
    expect(draft.statusCode, draft.body).toBe(201);
    const inv = draft.json();
    expect(inv.lines).toHaveLength(10);
    expect(inv.totalPence).toBe(500_000);
    expect(inv.totalsByPayer).toEqual(expect.arrayContaining([{ payerName: w.lead.name, pence: 450_000 }, { payerName: w.partner.name, pence: 50_000 }]));
    expect(inv.lines.find((l: { description: string }) => l.description.includes('place 5:')).description).toContain('freed late');
    // Commissioners never see drafts.
    expect((await call(ctx.app, w.leadCommissioner, 'GET', `/api/funding/invoices/${inv.id}`)).statusCode).toBe(404);
    const issued = await call(ctx.app, w.manager, 'POST', `/api/funding/invoices/${inv.id}/issue`, { version: inv.version });
    expect(issued.statusCode, issued.body).toBe(200);
    expect((await call(ctx.app, w.manager, 'POST', `/api/funding/invoices/${inv.id}/issue`, { version: issued.json().version })).statusCode).toBe(409);
    const seen = await call(ctx.app, w.leadCommissioner, 'GET', `/api/funding/invoices/${inv.id}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json().totalPence).toBe(500_000);
    // Nothing more to invoice.
    expect((await call(ctx.app, w.manager, 'POST', `/api/funding/contracts/${w.contractId}/invoices`, { periodStart: londonDay(-60), periodEnd: londonDay(60) })).statusCode).toBe(400);
    // The database refuses to change an issued invoice, even for its owner.
    await expect(sql`UPDATE invoice SET total_pence = 1 WHERE id = ${inv.id}`.execute(ctx.db.db)).rejects.toThrow(/issued/);
    await expect(sql`DELETE FROM invoice_line WHERE invoice_id = ${inv.id}`.execute(ctx.db.db)).rejects.toThrow(/issued/);
    const csv = await call(ctx.app, w.manager, 'GET', `/api/funding/invoices/${inv.id}/export?format=csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n').filter((l) => l.startsWith(inv.number))).toHaveLength(10);
  });

  it('credits a refundable withdrawal after the invoice was issued; the credit note is the only change', async () => {
    const first = placements[0];
    if (!first) throw new Error('placement');
    expect((await call(ctx.app, w.manager, 'POST', `/api/placements/${first.id}/withdraw`, { on: londonDay(-1), reason: 'Family crisis', version: first.version })).statusCode).toBe(200);
    const inv = (await contract()).invoices[0];
    const before = (await call(ctx.app, w.manager, 'GET', `/api/funding/invoices/${inv.id}`)).json();
    expect(before.creditable).toEqual([expect.objectContaining({ payerName: w.lead.name, amountPence: 50_000 })]);
    const credited = await call(ctx.app, w.manager, 'POST', `/api/funding/invoices/${inv.id}/credit-notes`, { reason: 'Refundable withdrawal before session 2' });
    expect(credited.statusCode, credited.body).toBe(201);
    expect(credited.json().creditNotes).toEqual([expect.objectContaining({ totalPence: 50_000 })]);
    expect(credited.json().totalPence).toBe(500_000);
    expect(credited.json().creditable).toEqual([]);
    const twice = await call(ctx.app, w.manager, 'POST', `/api/funding/invoices/${inv.id}/credit-notes`, { reason: 'Again' });
    expect(twice.statusCode).toBe(400);
    expect(twice.json().error.fields[0].path).toBe('body.reason');
    const audit = await sql<{ action: string }>`SELECT action FROM audit_event WHERE organisation_id = ${w.provider.id} AND entity_type IN ('invoice', 'contract') ORDER BY seq`.execute(ctx.db.db);
    expect(audit.rows.map((r) => r.action)).toEqual(expect.arrayContaining(['create:contract', 'buy:places', 'create:invoice', 'issue:invoice', 'credit:invoice']));
  });

  it('reports the quarter against the targets, with small counts withheld from commissioners', async () => {
    const month = Number(londonDay(0).slice(5, 7));
    const quarter = `${londonDay(0).slice(0, 4)}-Q${Math.ceil(month / 3)}`;
    const own = (await call(ctx.app, w.manager, 'GET', `/api/funding/contracts/${w.contractId}/return?quarter=${quarter}`)).json();
    expect(own).toMatchObject({ familiesReachedToDate: 8, targetFamilies: 10, placesBought: 10, invoicedPence: 500_000, suppressed: false });
    const theirs = await call(ctx.app, w.leadCommissioner, 'GET', `/api/funding/contracts/${w.contractId}/return?quarter=${quarter}`);
    expect(theirs.json()).toMatchObject({ familiesReachedToDate: 8, completersToDate: 0, suppressed: true });
    expect((await call(ctx.app, w.manager, 'GET', `/api/funding/contracts/${w.contractId}/return?quarter=2026-Q5`)).statusCode).toBe(400);
  });

  it("reports outcomes from the evaluation against the contract's outcome targets, for its families only, with the n behind each figure", async () => {
    const c = await contract();
    const bad = await call(ctx.app, w.manager, 'PATCH', `/api/funding/contracts/${w.contractId}`, {
      outcomeTargets: [
        { instrument: 'qmi', measure: 'recovered_pct', description: 'QMI has no cut-off', target: 50 },
        { instrument: 'core-10', measure: 'recovered_pct', description: 'Too much', target: 160 },
        { instrument: 'no-such', measure: 'mean_improvement', description: 'Unknown', target: 1 },
      ],
      version: c.version,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.map((f: { path: string }) => f.path)).toEqual(['body.outcomeTargets.0.measure', 'body.outcomeTargets.1.target', 'body.outcomeTargets.2.instrument']);
    const set = await call(ctx.app, w.manager, 'PATCH', `/api/funding/contracts/${w.contractId}`, {
      outcomeTargets: [
        { instrument: 'core-10', measure: 'recovered_pct', description: 'Parents in the clinical range before, not after', target: 60 },
        { instrument: 'core-10', measure: 'mean_improvement', description: 'Mean fall in distress', target: 4 },
        { instrument: 'core-10', scale: 'total', measure: 'reliable_improvement_pct', description: 'Reliably improved', target: 30 },
        { instrument: 'qmi', measure: 'mean_improvement', description: 'Relationship quality', target: 2 },
      ],
      version: c.version,
    });
    expect(set.statusCode, set.body).toBe(200);

    // The mothers of the eight families placed on the contract's places (two since withdrew: reached all the same).
    const cases = await sql<{ caseId: string }>`SELECT case_id::text AS case_id FROM placement WHERE id = ANY(${placements.map((p) => p.id)}::uuid[]) ORDER BY placed_at`.execute(ctx.db.db);
    expect(cases.rows).toHaveLength(8);
    const core: [number, number][] = [[18, 8], [20, 9], [15, 12], [14, 10], [22, 21], [16, 7], [9, 8], [12, 13]];
    const rows: Seeded[] = cases.rows.map((r, i) => ({ respondent: `contract-m${i}`, role: 'mother', instrument: 'core-10', site: 'Northgate', group: '', caseId: r.caseId, pre: { total: core[i]?.[0] ?? 0 }, post: { total: core[i]?.[1] ?? 0 } }));
    // Three families answered the QMI: too few for a commissioner to see.
    rows.push(...cases.rows.slice(0, 3).map((r, i) => ({ respondent: `contract-q${i}`, role: 'mother' as const, instrument: 'qmi', site: 'Northgate', group: '', caseId: r.caseId, pre: { total: 20 }, post: { total: 23 + i } })));
    // A family the contract did not fund, whose change would move every figure: it must not count.
    const outsider = await waitingCase(ctx, w.manager, w.programmeId);
    rows.push({ respondent: 'not-funded', role: 'mother', instrument: 'core-10', site: 'Northgate', group: '', caseId: outsider.id, pre: { total: 30 }, post: { total: 0 } });
    await seedAdministrations(ctx.db.db, w.provider.id, rows, 'Funded programme', { pre: londonDay(-20), post: londonDay(-1), followup: londonDay(-1) });

    const month = Number(londonDay(0).slice(5, 7));
    const quarter = `${londonDay(0).slice(0, 4)}-Q${Math.ceil(month / 3)}`;
    const own = (await call(ctx.app, w.manager, 'GET', `/api/funding/contracts/${w.contractId}/return?quarter=${quarter}`)).json();
    expect(own.outcomesFrom).toBe(londonDay(-60));
    expect(own.minCellSize).toBeNull();
    const [recovered, mean, reliable, qmi] = own.outcomes;
    // CORE-10 ≥ 11 is clinical: 7 of the 8 were before; 4 of those 7 are not after (57.1 %, under the 60 % target).
    expect(recovered).toMatchObject({ instrumentTitle: 'CORE-10', scale: 'total', measure: 'recovered_pct', numerator: 4, n: 7, target: 60, met: false, suppressed: false });
    expect(recovered.figure).toBeCloseTo((100 * 4) / 7, 10);
    // Changes −10, −11, −3, −4, −1, −9, −1, +1: a mean fall of 4.75 points.
    expect(mean).toMatchObject({ measure: 'mean_improvement', n: 8, numerator: null, met: true });
    expect(mean.figure).toBeCloseTo(4.75, 10);
    // A fall of 6 or more is reliable (CORE-10's RC): 3 of 8.
    expect(reliable).toMatchObject({ numerator: 3, n: 8, figure: 37.5, met: true });
    expect(qmi).toMatchObject({ instrumentTitle: 'Quality of Marriage Index', n: 3, figure: 4, met: true, suppressed: false });

    const theirs = (await call(ctx.app, w.leadCommissioner, 'GET', `/api/funding/contracts/${w.contractId}/return?quarter=${quarter}`)).json();
    expect(theirs.minCellSize).toBe(5);
    expect(theirs.outcomes[0]).toMatchObject({ numerator: 4, n: 7, met: false, suppressed: false });
    expect(theirs.outcomes[3]).toMatchObject({ figure: null, n: null, met: null, suppressed: true, reason: 'suppressed' });
  });

  it('invoices a grant in the instalments set on it, each once, to the lead agency; its reach is the families on the programme it funds', async () => {
    const grant = { funderId: w.funderId, title: 'Parenting together grant', purchaseKind: 'grant', periodStart: londonDay(-60), periodEnd: londonDay(300), valuePence: 1_000_003, refundableBeforeSession: 1, refillBeforeSession: 1, lateChargePercent: 0, leadOrganisationId: w.lead.id, targetFamilies: 20 };
    const wrong = await call(ctx.app, w.manager, 'POST', '/api/funding/contracts', { ...grant, reference: 'GRANT-X', purchaseKind: 'block', pricePence: 100, programmeId: w.programmeId, instalments: 4 });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['body.instalments', 'body.programmeId']);
    const created = await call(ctx.app, w.manager, 'POST', '/api/funding/contracts', { ...grant, reference: 'GRANT-1', programmeId: w.programmeId, instalments: 4 });
    expect(created.statusCode, created.body).toBe(201);
    const g = created.json();
    expect(g).toMatchObject({ purchaseKind: 'grant', programmeName: 'Funded programme' });
    // 361 days in four parts by days; 1,000,003 pence in four, the odd pence to the first three.
    expect(g.instalmentList.map((i: { amountPence: number }) => i.amountPence)).toEqual([250_001, 250_001, 250_001, 250_000]);
    expect(g.instalmentList[0]).toMatchObject({ number: 1, periodStart: londonDay(-60), invoiceNumber: null });
    expect(g.instalmentList[3].periodEnd).toBe(londonDay(300));
    const second = g.instalmentList[1];

    const draft = await call(ctx.app, w.manager, 'POST', `/api/funding/contracts/${g.id}/invoices`, { periodStart: londonDay(-60), periodEnd: second.periodStart });
    expect(draft.statusCode, draft.body).toBe(201);
    expect(draft.json()).toMatchObject({ number: 'GRANT-1-001', totalPence: 500_002, totalsByPayer: [{ payerName: w.lead.name, pence: 500_002 }] });
    expect(draft.json().lines.map((l: { description: string }) => l.description)).toEqual([expect.stringMatching(/^Grant instalment 1 of 4: /), expect.stringMatching(/^Grant instalment 2 of 4: /)]);
    const issued = await call(ctx.app, w.manager, 'POST', `/api/funding/invoices/${draft.json().id}/issue`, { version: draft.json().version });
    expect(issued.statusCode, issued.body).toBe(200);
    // Each instalment is billed once; the rest come on the next invoice.
    expect((await call(ctx.app, w.manager, 'POST', `/api/funding/contracts/${g.id}/invoices`, { periodStart: londonDay(-60), periodEnd: second.periodStart })).statusCode).toBe(400);
    const rest = await call(ctx.app, w.manager, 'POST', `/api/funding/contracts/${g.id}/invoices`, { periodStart: londonDay(-60), periodEnd: londonDay(300) });
    expect(rest.json()).toMatchObject({ number: 'GRANT-1-002', totalPence: 500_001 });
    // Nothing on a grant is owed back, and its value and period are fixed once an instalment is invoiced.
    expect((await call(ctx.app, w.manager, 'POST', `/api/funding/invoices/${draft.json().id}/credit-notes`, { reason: 'Underspend' })).statusCode).toBe(400);
    const detail = (await call(ctx.app, w.manager, 'GET', `/api/funding/contracts/${g.id}`)).json();
    expect(detail.instalmentList.map((i: { invoiceNumber: string | null }) => i.invoiceNumber)).toEqual(['GRANT-1-001', 'GRANT-1-001', null, null]);
    const change = await call(ctx.app, w.manager, 'PATCH', `/api/funding/contracts/${g.id}`, { valuePence: 2_000_000, version: detail.version });
    expect(change.statusCode).toBe(400);
    expect(change.json().error.fields[0]).toMatchObject({ path: 'body.valuePence', message: expect.stringContaining('GRANT-1-001') });

    // The lead agency sees the instalments and the issued invoice, not the draft.
    const theirs = (await call(ctx.app, w.leadCommissioner, 'GET', `/api/funding/contracts/${g.id}`)).json();
    expect(theirs.instalmentList.map((i: { invoiceNumber: string | null }) => i.invoiceNumber)).toEqual(['GRANT-1-001', 'GRANT-1-001', null, null]);
    expect(theirs.invoices.map((i: { number: string }) => i.number)).toEqual(['GRANT-1-001']);

    // The eight families placed on the programme's group are the grant's reach; it bought no places.
    const month = Number(londonDay(0).slice(5, 7));
    const quarter = `${londonDay(0).slice(0, 4)}-Q${Math.ceil(month / 3)}`;
    const ret = (await call(ctx.app, w.manager, 'GET', `/api/funding/contracts/${g.id}/return?quarter=${quarter}`)).json();
    expect(ret).toMatchObject({ familiesReachedToDate: 8, targetFamilies: 20, placesBought: 0, invoicedPence: 500_002 });
  });

  it('shows commissioners no family: no placement, case or person id or name in anything they can read', async () => {
    const secrets = await sql<{ id: string }>`
      SELECT id::text AS id FROM placement WHERE organisation_id = ${w.provider.id}
      UNION ALL SELECT id::text FROM family_case WHERE organisation_id = ${w.provider.id}
      UNION ALL SELECT id::text FROM family WHERE organisation_id = ${w.provider.id}
      UNION ALL SELECT id::text FROM person WHERE organisation_id = ${w.provider.id}`.execute(ctx.db.db);
    const names = await sql<{ name: string }>`SELECT given_name AS name FROM person WHERE organisation_id = ${w.provider.id}`.execute(ctx.db.db).catch(() => ({ rows: [] as { name: string }[] }));
    const inv = (await contract()).invoices[0];
    for (const session of [w.leadCommissioner, w.partnerCommissioner]) {
      for (const url of [`/api/funding/contracts/${w.contractId}`, '/api/funding/contracts', '/api/funding/vacancies', '/api/funding/dashboard', `/api/funding/invoices/${inv.id}`, `/api/funding/invoices/${inv.id}/export?format=csv`]) {
        const res = await call(ctx.app, session, 'GET', url);
        expect(res.statusCode, url).toBe(200);
        for (const s of secrets.rows) expect(res.body.includes(s.id), `${url} leaked ${s.id}`).toBe(false);
        for (const n of names.rows) expect(res.body.includes(n.name), `${url} leaked ${n.name}`).toBe(false);
      }
    }
    // Underneath, row-level security gives the commissioner's scope no occupancy, placement or family rows at all,
    // and only the places of contracts it is party to.
    const seen = await inScope(ctx.db.db, { organisationId: w.lead.id, userId: w.lead.users.commissioner.id }, async (trx) => ({
      occupancy: (await sql<{ n: number }>`SELECT count(*)::int AS n FROM place_occupancy`.execute(trx)).rows[0]?.n,
      placements: (await sql<{ n: number }>`SELECT count(*)::int AS n FROM placement`.execute(trx)).rows[0]?.n,
      families: (await sql<{ n: number }>`SELECT count(*)::int AS n FROM family`.execute(trx)).rows[0]?.n,
      places: (await sql<{ n: number }>`SELECT count(*)::int AS n FROM group_place`.execute(trx)).rows[0]?.n,
      drafts: (await sql<{ n: number }>`SELECT count(*)::int AS n FROM invoice WHERE status = 'draft'`.execute(trx)).rows[0]?.n,
    }));
    expect(seen).toEqual({ occupancy: 0, placements: 0, families: 0, places: 10, drafts: 0 });
    // A party cannot write the provider's rows directly either.
    await expect(
      inScope(ctx.db.db, { organisationId: w.lead.id, userId: w.lead.users.commissioner.id }, (trx) => sql`UPDATE group_place SET payer_organisation_id = ${w.lead.id}`.execute(trx)),
    ).resolves.toMatchObject({ numAffectedRows: 0n });
  });

  it("answers 404 to an agency that is not party to the contract, and to the provider's own commissioner role", async () => {
    const outsider = await createOrgWithStaff(ctx, 'Outsider RAA', 'regional_adoption_agency');
    const session = await signIn(ctx.app, outsider.users.commissioner.email);
    expect((await call(ctx.app, session, 'GET', `/api/funding/contracts/${w.contractId}`)).statusCode).toBe(404);
    expect((await call(ctx.app, session, 'GET', '/api/funding/contracts')).json().contracts).toEqual([]);
    expect((await call(ctx.app, session, 'GET', '/api/funding/vacancies')).json().vacancies).toEqual([]);
    const somePlace = (await places())[8];
    if (!somePlace) throw new Error('place');
    expect((await call(ctx.app, session, 'POST', `/api/funding/places/${somePlace.id}/claim`, { version: somePlace.version })).statusCode).toBe(404);
    expect((await call(ctx.app, session, 'POST', `/api/funding/contracts/${w.contractId}/places`, { groupId: w.groupId, places: 1 })).statusCode).toBe(404);
    const ownCommissioner = await signIn(ctx.app, w.provider.users.commissioner.email);
    expect((await call(ctx.app, ownCommissioner, 'GET', `/api/funding/contracts/${w.contractId}`)).statusCode).toBe(404);
  });

  it('refuses bad contracts with the field and the problem, writing nothing', async () => {
    const before = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM contract`.execute(ctx.db.db)).rows[0]?.n;
    const res = await call(ctx.app, w.manager, 'POST', '/api/funding/contracts', {
      funderId: w.funderId,
      reference: 'ASF-2026-01',
      title: 'Duplicate',
      purchaseKind: 'block',
      periodStart: '2027-01-01',
      periodEnd: '2026-01-01',
      valuePence: 100,
      refundableBeforeSession: 1,
      refillBeforeSession: 1,
      lateChargePercent: 0,
      leadOrganisationId: w.provider.id,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['body.leadOrganisationId', 'body.periodEnd', 'body.pricePence', 'body.reference']);
    const fractional = await call(ctx.app, w.manager, 'PATCH', `/api/funding/contracts/${w.contractId}`, { valuePence: 10.5, version: 1 });
    expect(fractional.statusCode).toBe(400);
    const stale = await call(ctx.app, w.manager, 'PATCH', `/api/funding/contracts/${w.contractId}`, { title: 'New', version: 99 });
    expect(stale.statusCode).toBe(409);
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM contract`.execute(ctx.db.db)).rows[0]?.n).toBe(before);
  });

  it("moves a family between contracts' places on its group, keeping the history: the place left is freed as by a withdrawal, so the credit follows", async () => {
    const partnerContract = await call(ctx.app, w.manager, 'POST', '/api/funding/contracts', {
      funderId: w.funderId,
      reference: 'PARTNER-1',
      title: "Partner agency's places",
      purchaseKind: 'block',
      periodStart: londonDay(-60),
      periodEnd: londonDay(300),
      valuePence: 100_000,
      pricePence: 50_000,
      refundableBeforeSession: 2,
      refillBeforeSession: 2,
      lateChargePercent: 100,
      leadOrganisationId: w.partner.id,
    });
    expect(partnerContract.statusCode, partnerContract.body).toBe(201);
    const bought = await call(ctx.app, w.manager, 'POST', `/api/funding/contracts/${partnerContract.json().id}/places`, { groupId: w.groupId, places: 1 });
    expect(bought.statusCode, bought.body).toBe(200);
    const theirPlace = bought.json().blocks[0].placeList[0];
    const byNumber = async (n: number) => (await places()).find((p) => p.number === n);
    const move = (placementId: string, toPlaceId: string | null, on: string, session = w.manager) => call(ctx.app, session, 'POST', `/api/funding/placements/${placementId}/move`, { toPlaceId, on });
    const eighth = placements[7];
    const seventh = placements[6];
    if (!eighth || !seventh) throw new Error('placements');

    // From the lead's place 8 to the partner's block, the day before the refund point: place 8 is owed back.
    const moved = await move(eighth.id, theirPlace.id, londonDay(-1));
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ from: { number: 8, contractId: w.contractId }, to: { placeId: theirPlace.id, contractId: partnerContract.json().id } });
    expect(await byNumber(8)).toMatchObject({ status: 'freed', refundable: true, freedLate: false });
    const partnerPlaces = (await call(ctx.app, w.manager, 'GET', `/api/funding/contracts/${partnerContract.json().id}`)).json().blocks[0].placeList;
    expect(partnerPlaces[0]).toMatchObject({ status: 'filled' });
    const inv = (await contract()).invoices[0];
    const owed = (await call(ctx.app, w.manager, 'GET', `/api/funding/invoices/${inv.id}`)).json().creditable;
    expect(owed).toEqual([expect.objectContaining({ description: expect.stringContaining('place 8:'), payerName: w.lead.name, amountPence: 50_000 })]);

    // Refusals say why and write nothing: a taken place, a place freed late, a place on another group's contract.
    expect((await move(seventh.id, theirPlace.id, londonDay(0))).statusCode).toBe(409);
    const late = await byNumber(5);
    const refused = await move(seventh.id, late?.id ?? '', londonDay(0));
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fields[0]).toMatchObject({ path: 'body.toPlaceId', message: expect.stringContaining('freed late') });

    // Out to an unfunded place on the deadline day (late), then back into the empty place 9: both occupancies kept.
    expect((await move(seventh.id, null, londonDay(0))).statusCode).toBe(200);
    expect(await byNumber(7)).toMatchObject({ status: 'freed', freedLate: true });
    expect((await move(seventh.id, null, londonDay(0))).statusCode).toBe(400);
    const nine = await byNumber(9);
    expect((await move(seventh.id, nine?.id ?? '', londonDay(0))).statusCode).toBe(200);
    expect(await byNumber(9)).toMatchObject({ status: 'filled' });
    const history = await sql<{ number: number; freedOn: string | null }>`
      SELECT g.number, o.freed_on::text AS freed_on FROM place_occupancy o JOIN group_place g ON g.id = o.group_place_id
      WHERE o.placement_id = ${seventh.id} ORDER BY o.filled_at`.execute(ctx.db.db);
    expect(history.rows).toEqual([{ number: 7, freedOn: londonDay(0) }, { number: 9, freedOn: null }]);
    const audited = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_event WHERE action = 'move:place' AND entity_id IN (${eighth.id}, ${seventh.id})`.execute(ctx.db.db);
    expect(audited.rows[0]?.n).toBe(3);

    // Commissioners cannot move families; another provider's manager does not find the placement.
    expect((await move(seventh.id, null, londonDay(0), w.leadCommissioner)).statusCode).toBe(403);
    const other = await createOrgWithStaff(ctx, 'Other provider');
    expect((await move(seventh.id, null, londonDay(0), await signIn(ctx.app, other.users.service_manager.email))).statusCode).toBe(404);
  });
});
