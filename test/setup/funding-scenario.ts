import { builtInProgrammes, createProgrammes } from '../../src/server/modules/programmes/index.ts';
import { call, createOrgWithStaff, signIn, type Session, type TestContext, type TestOrg } from './harness.ts';
import { aReferral } from './referrals.ts';

/** Days from today in Europe/London (the day the withdrawal and deadline rules use). */
export const londonDay = (offset: number): string => {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  const d = new Date(`${today}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
};

export type FundingWorld = {
  provider: TestOrg;
  lead: TestOrg;
  partner: TestOrg;
  manager: Session;
  leadCommissioner: Session;
  partnerCommissioner: Session;
  funderId: string;
  contractId: string;
  groupId: string;
};

const expectStatus = (res: { statusCode: number; body: string }, status: number, what: string): void => {
  if (res.statusCode !== status) throw new Error(`${what}: ${res.statusCode} ${res.body.slice(0, 400)}`);
};

/** A family waiting for a group in the provider's organisation. */
export const waitingCase = async (ctx: TestContext, manager: Session, programmeId: string): Promise<{ id: string; version: number }> => {
  const r = await call(ctx.app, manager, 'POST', '/api/referrals', { submission: aReferral({ programmeId }) });
  expectStatus(r, 201, 'referral');
  const accepted = await call(ctx.app, manager, 'POST', `/api/referrals/${r.json().id}/decision`, { decision: 'accept', version: r.json().version });
  expectStatus(accepted, 200, 'accept');
  let c = (await call(ctx.app, manager, 'GET', `/api/cases/${accepted.json().caseId}`)).json();
  for (const to of ['assessment_booked', 'assessed', 'awaiting_group']) {
    const moved = await call(ctx.app, manager, 'POST', `/api/cases/${c.id}/stage`, { to, version: c.version });
    expectStatus(moved, 200, `stage ${to}`);
    c = moved.json();
  }
  return { id: c.id, version: c.version };
};

/**
 * A provider with a four-session group whose second session is today (so the refund and re-fill point, session 2,
 * is today), a funder and a block contract (£500 a place) led by one agency with a partner agency.
 */
export const fundingWorld = async (ctx: TestContext): Promise<FundingWorld & { programmeId: string }> => {
  const provider = await createOrgWithStaff(ctx, 'Provider');
  const lead = await createOrgWithStaff(ctx, 'Lead RAA', 'regional_adoption_agency');
  const partner = await createOrgWithStaff(ctx, 'Partner RAA', 'regional_adoption_agency');
  const manager = await signIn(ctx.app, provider.users.service_manager.email);
  const [pap] = builtInProgrammes;
  if (!pap?.template) throw new Error('no built-in template');
  const template = { ...pap.template, sessionCount: 4, curriculum: pap.template.curriculum.slice(0, 4), completionMinSessions: 2 };
  const [programmeId] = await createProgrammes(ctx.db.db, provider.id, [{ ...pap, name: 'Funded programme', facilitatorRule: 'any', template }]);
  if (!programmeId) throw new Error('programme');
  const group = await call(ctx.app, manager, 'POST', '/api/groups', { programmeId, name: 'Funded group', site: 'Northgate', startDate: londonDay(-7), startTime: '10:00', capacity: 12 });
  expectStatus(group, 201, 'group');
  const funder = await call(ctx.app, manager, 'POST', '/api/funding/funders', { name: 'Adoption Support Fund', kind: 'adoption_support_fund' });
  expectStatus(funder, 201, 'funder');
  const contract = await call(ctx.app, manager, 'POST', '/api/funding/contracts', {
    funderId: funder.json().id,
    reference: 'ASF-2026-01',
    title: 'Therapeutic parenting places',
    purchaseKind: 'block',
    periodStart: londonDay(-60),
    periodEnd: londonDay(300),
    valuePence: 1_000_000,
    pricePence: 50_000,
    targetFamilies: 10,
    targetCompleters: 8,
    refundableBeforeSession: 2,
    refillBeforeSession: 2,
    lateChargePercent: 100,
    leadOrganisationId: lead.id,
    partnerOrganisationIds: [partner.id],
  });
  expectStatus(contract, 201, 'contract');
  return {
    provider,
    lead,
    partner,
    manager,
    leadCommissioner: await signIn(ctx.app, lead.users.commissioner.email),
    partnerCommissioner: await signIn(ctx.app, partner.users.commissioner.email),
    funderId: funder.json().id,
    contractId: contract.json().id,
    groupId: group.json().id,
    programmeId,
  };
};
