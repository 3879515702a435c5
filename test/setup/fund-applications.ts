import { sql } from 'kysely';
import { builtInProgrammes, createProgrammes, onPlacement } from '../../src/server/modules/programmes/index.ts';
import { inScope } from '../../src/server/platform/db/scope.ts';
import type { TestContext, Session, TestOrg } from './harness.ts';
import { call } from './harness.ts';
import { aReferral } from './referrals.ts';

/*
 * Fixtures for fund applications (issue 7, item 3): a funder, a case whose assessment was held on a given day, and
 * a group whose places a funder bought. Funders and bought places are written in the organisation's own scope
 * (row-level security applies to these inserts too).
 */

const ok = <T>(res: { statusCode: number; body: string; json: () => unknown }, what: string): T => {
  if (res.statusCode >= 300) throw new Error(`fixture ${what}: ${res.statusCode} ${res.body}`);
  return res.json() as T;
};

export const daysAgo = (n: number): string => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

export const newFunder = async (ctx: TestContext, organisationId: string, name = 'Adoption Support Fund', kind = 'adoption_support_fund'): Promise<string> =>
  inScope(ctx.db.db, { organisationId, userId: null }, async (trx) => {
    const row = await sql<{ id: string }>`INSERT INTO funder (organisation_id, name, kind) VALUES (${organisationId}, ${name}, ${kind}) RETURNING id::text AS id`.execute(trx);
    const id = row.rows[0]?.id;
    if (!id) throw new Error('fixture funder');
    return id;
  });

export type FundedCase = { caseId: string; familyLabel: string; childIds: string[]; assessmentId: string; programmeId: string };

/**
 * A case of a family with `children` children, whose assessment was held `heldDaysAgo` days ago with the outcome
 * suitable (each parent's separate risk assessment recorded first).
 */
export const assessedCase = async (
  ctx: TestContext,
  org: TestOrg,
  manager: Session,
  input: { family: string; children?: string[]; heldDaysAgo: number; caseWorker?: string; /** the programme the case is accepted for */ programmeId?: string },
): Promise<FundedCase> => {
  const children = (input.children ?? ['Lily']).map((givenName, i) => ({ givenName, familyName: input.family, dateOfBirth: `201${i + 2}-05-05` }));
  const referral = aReferral({
    parents: [
      { givenName: 'Alex', familyName: input.family, dateOfBirth: '1984-03-14', gender: 'female', relationship: 'adoptive_parent', email: 'alex@family.example', willingToAttend: true },
      { givenName: 'Sam', familyName: input.family, dateOfBirth: '1983-07-02', gender: 'male', relationship: 'adoptive_parent', phone: '07700 900124', willingToAttend: true },
    ],
    children,
  } as never);
  const created = ok<{ id: string; version: number }>(await call(ctx.app, manager, 'POST', '/api/referrals', { submission: referral }), 'referral');
  const { caseId } = ok<{ caseId: string }>(await call(ctx.app, manager, 'POST', `/api/referrals/${created.id}/decision`, { decision: 'accept', version: created.version, ...(input.programmeId ? { programmeId: input.programmeId } : {}) }), 'accept');
  let detail = ok<{ version: number; programmeId: string | null; members: { personId: string; isChild: boolean }[] }>(await call(ctx.app, manager, 'GET', `/api/cases/${caseId}`), 'case');
  if (input.caseWorker) {
    ok(await call(ctx.app, manager, 'PUT', `/api/cases/${caseId}/case-worker`, { caseWorkerId: input.caseWorker, version: detail.version }), 'allocate');
    detail = ok(await call(ctx.app, manager, 'GET', `/api/cases/${caseId}`), 'case');
  }
  const scheduledAt = `${daysAgo(input.heldDaysAgo)}T10:00:00Z`;
  const booked = ok<{ id: string; version: number }>(
    await call(ctx.app, manager, 'POST', `/api/cases/${caseId}/assessments`, { scheduledAt, facilitatorIds: [org.users.facilitator.id], caseVersion: detail.version }),
    'assessment',
  );
  const adults = detail.members.filter((m) => !m.isChild).map((m) => m.personId);
  const risk = { riskToChild: 'low', domesticAbuse: 'none', domesticAbuseIndicated: false, mentalHealth: 'none', substanceUse: 'none', version: 0 };
  for (const personId of adults) ok(await call(ctx.app, manager, 'PUT', `/api/assessments/${booked.id}/risk/${personId}`, risk), 'risk');
  const current = ok<{ version: number }>(await call(ctx.app, manager, 'GET', `/api/assessments/${booked.id}`), 'assessment');
  ok(await call(ctx.app, manager, 'POST', `/api/assessments/${booked.id}/outcome`, { outcome: 'suitable', version: current.version }), 'outcome');
  const childIds = detail.members.filter((m) => m.isChild).map((m) => m.personId);
  return { caseId, familyLabel: `${input.family} family`, childIds, assessmentId: booked.id, programmeId: detail.programmeId ?? (await someProgramme(ctx, org.id)) };
};

const programmes = new Map<string, Promise<string>>();
/** A programme of the organisation to apply for (test organisations start with none). */
const someProgramme = (ctx: TestContext, organisationId: string): Promise<string> => {
  const known = programmes.get(organisationId);
  if (known) return known;
  const made = createProgrammes(ctx.db.db, organisationId, builtInProgrammes.slice(0, 1)).then(([id]) => id ?? '');
  programmes.set(organisationId, made);
  return made;
};

/** A two-session group of a small copy of Parents as Partners, starting `startDaysAgo` days ago. */
export const smallGroup = async (ctx: TestContext, org: TestOrg, manager: Session, startDaysAgo: number): Promise<{ id: string; programmeId: string }> => {
  const [pap] = builtInProgrammes;
  if (!pap?.template) throw new Error('no built-in template');
  const template = { ...pap.template, sessionCount: 2, curriculum: pap.template.curriculum.slice(0, 2), completionMinSessions: 1 };
  const [programmeId] = await createProgrammes(ctx.db.db, org.id, [{ ...pap, name: `Funded programme ${startDaysAgo}`, facilitatorRule: 'one', template }]);
  if (!programmeId) throw new Error('fixture programme');
  const group = ok<{ id: string }>(
    await call(ctx.app, manager, 'POST', '/api/groups', { programmeId, name: `Funded group ${startDaysAgo}`, site: 'Northgate', startDate: daysAgo(startDaysAgo), startTime: '10:00', facilitatorIds: [org.users.facilitator.id] }),
    'group',
  );
  return { id: group.id, programmeId };
};

/**
 * `places` places on a group bought by a contract with this funder. `perParticipant`: the contract requires an
 * application in each participant's name (the Adoption Support Fund model).
 */
export const buyPlaces = async (ctx: TestContext, organisationId: string, input: { funderId: string; groupId: string; places: number; perParticipant: boolean }): Promise<string> =>
  inScope(ctx.db.db, { organisationId, userId: null }, async (trx) => {
    const ref = `ASF-${Math.random().toString(36).slice(2, 8)}`;
    const contract = await sql<{ id: string }>`
      INSERT INTO contract (organisation_id, funder_id, reference, title, purchase_kind, period_start, period_end, value_pence, price_pence, requires_participant_applications)
      VALUES (${organisationId}, ${input.funderId}, ${ref}, 'Block of places', 'block', ${daysAgo(200)}, ${daysAgo(-200)}, 1000000, 100000, ${input.perParticipant})
      RETURNING id::text AS id`.execute(trx);
    const contractId = contract.rows[0]?.id ?? '';
    await sql`INSERT INTO contract_party (organisation_id, contract_id, party_organisation_id, role) VALUES (${organisationId}, ${contractId}, ${organisationId}, 'lead')`.execute(trx);
    const block = await sql<{ id: string }>`
      INSERT INTO place_block (organisation_id, contract_id, group_id, group_label, group_start_date, session_count, places, price_pence, refund_deadline, refill_deadline, bought_by_organisation_id)
      VALUES (${organisationId}, ${contractId}, ${input.groupId}, 'Funded group', ${daysAgo(30)}, 2, ${input.places}, 100000, ${daysAgo(20)}, ${daysAgo(10)}, ${organisationId})
      RETURNING id::text AS id`.execute(trx);
    for (let n = 1; n <= input.places; n += 1) {
      await sql`INSERT INTO group_place (organisation_id, contract_id, block_id, group_id, number, payer_organisation_id)
        VALUES (${organisationId}, ${contractId}, ${block.rows[0]?.id ?? ''}, ${input.groupId}, ${n}, ${organisationId})`.execute(trx);
    }
    return contractId;
  });

/**
 * Until funding's own placement listener is in this tree, a stand-in that takes the first vacant bought place on the
 * group, as funding does. Registered under funding's name before the app is built, so it runs first; it does
 * nothing when the placement already occupies a place (funding's own listener got there).
 */
export const standInForFundingListener = (): void => {
  onPlacement('funding', {
    placed: async (trx, event) => {
      const taken = await sql<{ n: number }>`SELECT count(*)::int AS n FROM place_occupancy WHERE placement_id = ${event.placementId}`.execute(trx);
      if ((taken.rows[0]?.n ?? 0) > 0) return;
      const place = await sql<{ id: string }>`SELECT id::text AS id FROM group_place WHERE group_id = ${event.groupId} AND status = 'vacant' ORDER BY number LIMIT 1`.execute(trx);
      const id = place.rows[0]?.id;
      if (!id) return;
      await sql`UPDATE group_place SET status = 'filled', ever_filled = true WHERE id = ${id}`.execute(trx);
      await sql`INSERT INTO place_occupancy (organisation_id, group_place_id, placement_id) VALUES (${event.organisationId}, ${id}, ${event.placementId})`.execute(trx);
    },
  });
};

const fixtureFunders = new Map<string, Promise<string>>();
/** One funder per organisation for tables of routes (the authorization matrix). */
export const fixtureFunder = (ctx: TestContext, organisationId: string): Promise<string> => {
  const known = fixtureFunders.get(organisationId);
  if (known) return known;
  const made = newFunder(ctx, organisationId, 'Matrix fund');
  fixtureFunders.set(organisationId, made);
  return made;
};

/** A fresh, unallocated case (visible to every case worker) with a draft application for its child. */
export const draftApplication = async (ctx: TestContext, manager: Session, organisationId: string, programmeId: string): Promise<{ id: string; caseId: string; childId: string; version: number }> => {
  const created = ok<{ id: string; version: number }>(await call(ctx.app, manager, 'POST', '/api/referrals', { submission: aReferral() }), 'referral');
  const { caseId } = ok<{ caseId: string }>(await call(ctx.app, manager, 'POST', `/api/referrals/${created.id}/decision`, { decision: 'accept', version: created.version }), 'accept');
  const detail = ok<{ members: { personId: string; isChild: boolean }[] }>(await call(ctx.app, manager, 'GET', `/api/cases/${caseId}`), 'case');
  const childId = detail.members.find((m) => m.isChild)?.personId ?? '';
  const app = ok<{ id: string; version: number }>(
    await call(ctx.app, manager, 'POST', `/api/cases/${caseId}/fund-applications`, applicationBody(await fixtureFunder(ctx, organisationId), programmeId, childId)),
    'fund application',
  );
  return { id: app.id, caseId, childId, version: app.version };
};

export const applicationBody = (funderId: string, programmeId: string, childId: string) => ({
  kind: 'child',
  childIds: [childId],
  funderId,
  programmeId,
  assessmentId: null,
  serviceFrom: daysAgo(0),
  amountPence: 120000,
  matchFundingPence: 0,
  matchFunder: null,
  fundReference: null,
});
