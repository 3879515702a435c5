import { randomBytes } from 'node:crypto';
import { createOrganisation } from '../../src/server/modules/identity/index.ts';
import { builtInProgrammes, createProgrammes } from '../../src/server/modules/programmes/index.ts';
import type { Role } from '../../src/shared/permissions.ts';
import { call, type Session, type TestContext, type TestOrg } from './harness.ts';

/*
 * The funding routes' rows for the authorization matrix (test/integration/authorization-matrix.int.test.ts). The
 * organisation under test is a provider; its contracts are led by another agency, so the provider's own
 * commissioner role is no party to them and gets 404 for their records (scoped).
 */
type Helpers = { ctx: TestContext; ownManager: Session };
type Request = { path: string; body?: unknown };
type Entry = { who: readonly Role[]; ok: number; request: (own: TestOrg, caller: Role, h: Helpers) => Request | Promise<Request>; scoped?: Partial<Record<Role, number>> };

const unique = () => randomBytes(4).toString('hex');
const viewers = ['org_admin', 'service_manager', 'commissioner'] as const;
const buyers = ['service_manager', 'commissioner'] as const;
const managers = ['service_manager'] as const;
const notParty = { commissioner: 404 } as const;

const ok = async (res: Promise<{ statusCode: number; body: string; json: () => any }>, status: number, what: string) => {
  const r = await res;
  if (r.statusCode !== status) throw new Error(`funding fixture ${what}: ${r.statusCode} ${r.body.slice(0, 300)}`);
  return r.json();
};

type World = { leadId: string; funderId: string; groupId: string; contractId: string; placeId: string; invoiceId: string; issuedInvoiceId: string };
const worlds = new Map<string, Promise<World>>();

const newContract = async (h: Helpers, w: { leadId: string; funderId: string; groupId: string }): Promise<string> => {
  const c = await ok(
    call(h.ctx.app, h.ownManager, 'POST', '/api/funding/contracts', {
      funderId: w.funderId,
      reference: `M-${unique()}`,
      title: 'Matrix contract',
      purchaseKind: 'block',
      periodStart: '2020-01-01',
      periodEnd: '2035-12-31',
      valuePence: 100_000_000,
      pricePence: 10_000,
      refundableBeforeSession: 1,
      refillBeforeSession: 2,
      lateChargePercent: 100,
      leadOrganisationId: w.leadId,
    }),
    201,
    'contract',
  );
  await ok(call(h.ctx.app, h.ownManager, 'POST', `/api/funding/contracts/${c.id}/places`, { groupId: w.groupId, places: 1 }), 200, 'places');
  return c.id as string;
};
const draftInvoice = async (h: Helpers, contractId: string): Promise<{ id: string; version: number }> =>
  ok(call(h.ctx.app, h.ownManager, 'POST', `/api/funding/contracts/${contractId}/invoices`, { periodStart: '2020-01-01', periodEnd: '2035-12-31' }), 201, 'invoice');

const world = (own: TestOrg, h: Helpers): Promise<World> => {
  const known = worlds.get(own.id);
  if (known) return known;
  const made = (async () => {
    const lead = await createOrganisation(h.ctx.db.db, { name: `Matrix RAA ${unique()}`, kind: 'regional_adoption_agency', slug: `matrix-raa-${unique()}` });
    const funder = await ok(call(h.ctx.app, h.ownManager, 'POST', '/api/funding/funders', { name: `Matrix fund ${unique()}`, kind: 'adoption_support_fund' }), 201, 'funder');
    const [pap] = builtInProgrammes;
    if (!pap?.template) throw new Error('no template');
    const template = { ...pap.template, sessionCount: 2, curriculum: pap.template.curriculum.slice(0, 2), completionMinSessions: 1 };
    const [programmeId] = await createProgrammes(h.ctx.db.db, own.id, [{ ...pap, name: `Funding matrix ${unique()}`, facilitatorRule: 'any', template }]);
    const group = await ok(
      call(h.ctx.app, h.ownManager, 'POST', '/api/groups', { programmeId, name: `Funding matrix group ${unique()}`, site: 'Northgate', startDate: '2026-01-05', startTime: '09:00', capacity: 100 }),
      201,
      'group',
    );
    const base = { leadId: lead.id, funderId: funder.id as string, groupId: group.id as string };
    const contractId = await newContract(h, base);
    const detail = await ok(call(h.ctx.app, h.ownManager, 'GET', `/api/funding/contracts/${contractId}`), 200, 'detail');
    const invoiceContract = await newContract(h, base);
    const invoice = await draftInvoice(h, invoiceContract);
    const issuedContract = await newContract(h, base);
    const toIssue = await draftInvoice(h, issuedContract);
    await ok(call(h.ctx.app, h.ownManager, 'POST', `/api/funding/invoices/${toIssue.id}/issue`, { version: toIssue.version }), 200, 'issue');
    return { ...base, contractId, placeId: detail.blocks[0].placeList[0].id, invoiceId: invoice.id, issuedInvoiceId: toIssue.id };
  })();
  worlds.set(own.id, made);
  return made;
};

export const fundingMatrix: Record<string, Entry> = {
  'GET /api/funding/funders': { who: managers, ok: 200, request: () => ({ path: '/api/funding/funders' }) },
  'POST /api/funding/funders': { who: managers, ok: 201, request: () => ({ path: '/api/funding/funders', body: { name: `Fund ${unique()}`, kind: 'charitable_trust' } }) },
  'PATCH /api/funding/funders/{funderId}': {
    who: managers,
    ok: 200,
    request: async (_own, _role, h) => {
      const f = await ok(call(h.ctx.app, h.ownManager, 'POST', '/api/funding/funders', { name: `Fund ${unique()}`, kind: 'local_authority' }), 201, 'funder');
      return { path: `/api/funding/funders/${f.id}`, body: { active: false, version: f.version } };
    },
  },
  'GET /api/funding/organisations': { who: managers, ok: 200, request: () => ({ path: '/api/funding/organisations' }) },
  'GET /api/funding/contracts': { who: viewers, ok: 200, request: () => ({ path: '/api/funding/contracts' }) },
  'POST /api/funding/contracts': {
    who: managers,
    ok: 201,
    request: async (own, _role, h) => {
      const w = await world(own, h);
      return {
        path: '/api/funding/contracts',
        body: { funderId: w.funderId, reference: `N-${unique()}`, title: 'Grant', purchaseKind: 'grant', periodStart: '2026-04-01', periodEnd: '2027-03-31', valuePence: 5_000_000, refundableBeforeSession: 1, refillBeforeSession: 1, lateChargePercent: 0, leadOrganisationId: w.leadId },
      };
    },
  },
  'GET /api/funding/contracts/{contractId}': { who: viewers, ok: 200, scoped: notParty, request: async (own, _role, h) => ({ path: `/api/funding/contracts/${(await world(own, h)).contractId}` }) },
  'PATCH /api/funding/contracts/{contractId}': {
    who: managers,
    ok: 200,
    request: async (own, _role, h) => {
      const id = (await world(own, h)).contractId;
      const c = await ok(call(h.ctx.app, h.ownManager, 'GET', `/api/funding/contracts/${id}`), 200, 'contract');
      return { path: `/api/funding/contracts/${id}`, body: { targetFamilies: 12, version: c.version } };
    },
  },
  'GET /api/funding/contracts/{contractId}/groups': { who: buyers, ok: 200, scoped: notParty, request: async (own, _role, h) => ({ path: `/api/funding/contracts/${(await world(own, h)).contractId}/groups` }) },
  'POST /api/funding/contracts/{contractId}/places': {
    who: buyers,
    ok: 200,
    scoped: notParty,
    request: async (own, _role, h) => {
      const w = await world(own, h);
      return { path: `/api/funding/contracts/${w.contractId}/places`, body: { groupId: w.groupId, places: 1 } };
    },
  },
  'GET /api/funding/vacancies': { who: viewers, ok: 200, request: () => ({ path: '/api/funding/vacancies' }) },
  // Only an agency party to the contract may claim; the provider's own commissioner role is not one.
  'POST /api/funding/places/{placeId}/claim': { who: ['commissioner'], ok: 404, request: async (own, _role, h) => ({ path: `/api/funding/places/${(await world(own, h)).placeId}/claim`, body: { version: 1 } }) },
  // A placement of no organisation: managers are let through to find nothing; everyone else is refused first.
  'POST /api/funding/placements/{placementId}/move': { who: managers, ok: 404, request: () => ({ path: '/api/funding/placements/00000000-0000-4000-8000-000000000001/move', body: { toPlaceId: null, on: '2026-01-01' } }) },
  'GET /api/funding/dashboard': { who: viewers, ok: 200, request: () => ({ path: '/api/funding/dashboard' }) },
  'POST /api/funding/contracts/{contractId}/invoices': {
    who: managers,
    ok: 201,
    request: async (own, _role, h) => ({ path: `/api/funding/contracts/${(await world(own, h)).contractId}/invoices`, body: { periodStart: '2020-01-01', periodEnd: '2035-12-31' } }),
  },
  'GET /api/funding/contracts/{contractId}/return': {
    who: viewers,
    ok: 200,
    scoped: notParty,
    request: async (own, _role, h) => ({ path: `/api/funding/contracts/${(await world(own, h)).contractId}/return?quarter=2026-Q1` }),
  },
  'GET /api/funding/invoices/{invoiceId}': { who: viewers, ok: 200, scoped: notParty, request: async (own, _role, h) => ({ path: `/api/funding/invoices/${(await world(own, h)).invoiceId}` }) },
  'GET /api/funding/invoices/{invoiceId}/export': {
    who: viewers,
    ok: 200,
    scoped: notParty,
    request: async (own, _role, h) => ({ path: `/api/funding/invoices/${(await world(own, h)).issuedInvoiceId}/export?format=csv` }),
  },
  'POST /api/funding/invoices/{invoiceId}/issue': {
    who: managers,
    ok: 200,
    request: async (own, _role, h) => {
      const w = await world(own, h);
      const inv = await draftInvoice(h, await newContract(h, w));
      return { path: `/api/funding/invoices/${inv.id}/issue`, body: { version: inv.version } };
    },
  },
  // Nothing on a fresh invoice is owed back: an allowed caller gets the reason (400); funding.int.test.ts credits.
  'POST /api/funding/invoices/{invoiceId}/credit-notes': {
    who: managers,
    ok: 400,
    request: async (own, _role, h) => ({ path: `/api/funding/invoices/${(await world(own, h)).issuedInvoiceId}/credit-notes`, body: { reason: 'Matrix' } }),
  },
};
