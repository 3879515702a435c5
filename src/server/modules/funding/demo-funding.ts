import type { Db } from '../../db.ts';
import { inScope } from '../../platform/db/scope.ts';
import type { Actor } from '../../platform/http/actor.ts';
import { groupFacts } from '../programmes/index.ts';
import { createContract, createFunder } from './contracts.service.ts';
import { buyPlaces } from './places.service.ts';

/**
 * The demo's funding: the Adoption Support Fund as funder, a block contract led by the demo funder with the regional
 * adoption agency as partner, and places bought on the provider's planned group, so the commissioner's dashboard
 * and the shared vacancies have something to show.
 */
export const seedDemoFunding = async (db: Db, providerId: string, leadId: string, partnerId: string): Promise<void> => {
  const manager = await inScope(db, { organisationId: providerId, userId: null }, (trx) =>
    trx.selectFrom('membership').select('userId').where('organisationId', '=', providerId).where('role', '=', 'service_manager').where('active', '=', true).executeTakeFirst(),
  );
  if (!manager) return;
  const actor: Actor = { userId: manager.userId, sessionId: 'demo', organisationId: providerId, role: 'service_manager', csrfToken: '', ip: null };
  const groups = await inScope(db, { organisationId: providerId, userId: null }, (trx) => groupFacts(trx, providerId));
  const planned = groups.find((g) => g.status === 'planned' && g.sessions.length > 0);
  if (!planned) return;
  const funder = await createFunder(db, actor, { name: 'Adoption Support Fund (demo)', kind: 'adoption_support_fund' });
  const year = Number(planned.startDate.slice(0, 4));
  const contract = await createContract(db, actor, {
    funderId: funder.id,
    reference: 'ASF-DEMO-1',
    title: 'Therapeutic parenting places (demo)',
    purchaseKind: 'block',
    periodStart: `${year - 1}-04-01`,
    periodEnd: `${year + 1}-03-31`,
    valuePence: 1_200_000,
    pricePence: 60_000,
    targetFamilies: 12,
    targetCompleters: 9,
    refundableBeforeSession: 2,
    refillBeforeSession: 3,
    lateChargePercent: 100,
    leadOrganisationId: leadId,
    partnerOrganisationIds: [partnerId],
  });
  await buyPlaces(db, actor, contract.id, { groupId: planned.id, places: Math.min(4, planned.capacity) });
};
