import { sql, type Selectable } from 'kysely';
import type { z } from 'zod';
import type { buyPlacesBody, dashboard as dashboardSchema, fundedPlace, moneyAtRisk as riskSchema, offeredGroup, placeBlock, vacancy } from '../../../shared/contracts/funding.ts';
import type { Db, Trx } from '../../db.ts';
import { inScope } from '../../platform/db/scope.ts';
import { scopeOf, type Actor } from '../../platform/http/actor.ts';
import { AppError, badField, notFound, staleVersion } from '../../platform/http/app-error.ts';
import { recordAudit } from '../audit/index.ts';
import { groupFacts, placementDoses, type PlacementEvent, type WithdrawalEvent } from '../programmes/index.ts';
import { isCommissioner, num, organisationNames, orgOf, visibleContract, visibleContracts, type ContractRow, type MyRole } from './funding-access.ts';
import type { GroupPlaceTable, PlaceBlockTable } from './funding.tables.ts';
import { classifyWithdrawal, deadlinesOf, fillable, londonToday, moneyAtRisk, suppressSmall, type MoneyAtRisk } from './money.ts';

type PlaceRow = Selectable<GroupPlaceTable>;
type BlockRow = Selectable<PlaceBlockTable>;
type Risk = z.infer<typeof riskSchema>;

/** What a commissioner sees of the risk: counts of families at risk of 1–4 are withheld, and so is their value. */
export const presentRisk = (r: MoneyAtRisk, suppress: boolean): Risk => {
  const families = suppress ? suppressSmall(r.familiesAtRisk) : r.familiesAtRisk;
  return { ...r, familiesAtRisk: families, atRiskPence: families === null ? null : r.atRiskPence };
};

export const riskOf = (places: readonly PlaceRow[], blocks: readonly BlockRow[], today: string): MoneyAtRisk =>
  moneyAtRisk(
    places.flatMap((p) => {
      const b = blocks.find((x) => x.id === p.blockId);
      return b ? [{ ...p, pricePence: b.pricePence, refillDeadline: b.refillDeadline }] : [];
    }),
    today,
  );

/**
 * Copies each placed family's attendance into its place (sessions attended, at risk of dropping out), so that
 * commissioners, who cannot read the register, see current figures. Runs in the provider's scope.
 */
export const refreshRisk = async (trx: Trx, providerId: string, contractIds: readonly string[]): Promise<void> => {
  if (contractIds.length === 0) return;
  const active = await trx
    .selectFrom('placeOccupancy')
    .innerJoin('groupPlace', 'groupPlace.id', 'placeOccupancy.groupPlaceId')
    .select(['placeOccupancy.placementId', 'groupPlace.id as placeId', 'groupPlace.atRisk', 'groupPlace.sessionsAttended'])
    .where('placeOccupancy.organisationId', '=', providerId)
    .where('groupPlace.contractId', 'in', [...contractIds])
    .where('placeOccupancy.freedOn', 'is', null)
    .execute();
  const doses = await placementDoses(trx, providerId, active.map((a) => a.placementId));
  for (const a of active) {
    const dose = doses.get(a.placementId);
    if (!dose) continue;
    if (dose.atRisk === a.atRisk && dose.sessionsAttended === a.sessionsAttended) continue;
    await trx.updateTable('groupPlace').set({ atRisk: dose.atRisk, sessionsAttended: dose.sessionsAttended, refreshedAt: new Date() }).where('id', '=', a.placeId).execute();
  }
};

/** Runs `work` in the provider's scope: what a commissioner may ask of a provider, once its party is checked. */
export const asProvider = <T>(db: Db, providerId: string, actor: Actor, work: (trx: Trx) => Promise<T>): Promise<T> =>
  inScope(db, { organisationId: providerId, userId: actor.userId }, work);

export const placesOfContracts = async (trx: Trx, contractIds: readonly string[]): Promise<{ blocks: BlockRow[]; places: PlaceRow[] }> => {
  if (contractIds.length === 0) return { blocks: [], places: [] };
  const blocks = await trx.selectFrom('placeBlock').selectAll().where('contractId', 'in', [...contractIds]).orderBy('groupStartDate').orderBy('boughtAt').execute();
  const places = await trx.selectFrom('groupPlace').selectAll().where('contractId', 'in', [...contractIds]).orderBy('number').execute();
  return { blocks, places };
};

export const presentBlocks = async (trx: Trx, blocks: readonly BlockRow[], places: readonly PlaceRow[], commissioner: boolean): Promise<z.infer<typeof placeBlock>[]> => {
  const today = londonToday();
  const names = await organisationNames(trx, [...places.map((p) => p.payerOrganisationId), ...blocks.map((b) => b.boughtByOrganisationId)]);
  // Which placement fills each place, and where a family could move: the provider's alone (commissioners read
  // neither table's families; place_occupancy has no party policy anyway).
  const occupied =
    commissioner || places.length === 0
      ? []
      : await trx.selectFrom('placeOccupancy').select(['groupPlaceId', 'placementId']).where('groupPlaceId', 'in', places.map((p) => p.id)).where('freedOn', 'is', null).execute();
  const targets =
    commissioner || blocks.length === 0
      ? []
      : await trx
          .selectFrom('groupPlace')
          .innerJoin('contract', 'contract.id', 'groupPlace.contractId')
          .select(['groupPlace.id', 'groupPlace.groupId', 'groupPlace.number', 'contract.reference'])
          .where('groupPlace.groupId', 'in', [...new Set(blocks.map((b) => b.groupId))])
          .where('groupPlace.status', '<>', 'filled')
          .where('groupPlace.freedLate', '=', false)
          .where('contract.status', '=', 'active')
          .orderBy('groupPlace.number')
          .execute();
  return blocks.map((b) => {
    const own = places.filter((p) => p.blockId === b.id);
    const placeList: z.infer<typeof fundedPlace>[] = own.map((p) => ({
      id: p.id,
      number: p.number,
      status: p.status,
      payerName: names.get(p.payerOrganisationId) ?? '',
      freedOn: p.freedOn,
      freedLate: p.freedLate,
      refundable: p.refundable,
      // One place's risk would point at one family: commissioners get the counts only.
      atRisk: commissioner ? false : p.atRisk,
      claimable: fillable(p, b.refillDeadline, today),
      placementId: occupied.find((o) => o.groupPlaceId === p.id)?.placementId ?? null,
      version: p.version,
    }));
    return {
      id: b.id,
      groupId: b.groupId,
      groupLabel: b.groupLabel,
      groupStartDate: b.groupStartDate,
      places: b.places,
      pricePence: b.pricePence,
      refundDeadline: b.refundDeadline,
      refillDeadline: b.refillDeadline,
      boughtByName: names.get(b.boughtByOrganisationId) ?? '',
      boughtAt: b.boughtAt.toISOString(),
      placeList,
      moveTargets: targets.filter((t) => t.groupId === b.groupId).map((t) => ({ placeId: t.id, label: `Place ${t.number} under ${t.reference}` })),
      risk: presentRisk(riskOf(own, [b], today), commissioner),
    };
  });
};

/** Groups of the contract's provider that places can be bought on, with how many remain. */
export const offeredGroups = async (db: Db, actor: Actor, contractId: string): Promise<z.infer<typeof offeredGroup>[]> => {
  const { contract } = await inScope(db, scopeOf(actor), (trx) => visibleContract(trx, actor, contractId));
  return asProvider(db, contract.organisationId, actor, async (trx) => {
    const groups = (await groupFacts(trx, contract.organisationId)).filter((g) => g.status === 'planned' || g.status === 'running');
    const bought = await boughtPerGroup(trx, contract.organisationId, groups.map((g) => g.id));
    return groups.map((g) => ({
      groupId: g.id,
      label: `${g.programmeName}: ${g.name}`,
      startDate: g.startDate,
      status: g.status,
      capacity: g.capacity,
      placesAvailable: Math.max(0, g.capacity - (bought.get(g.id) ?? 0)),
      sessionCount: g.sessions.length,
    }));
  });
};

const boughtPerGroup = async (trx: Trx, providerId: string, groupIds: readonly string[]): Promise<Map<string, number>> => {
  if (groupIds.length === 0) return new Map();
  const rows = await trx
    .selectFrom('groupPlace')
    .select(['groupId', sql<number>`count(*)::int`.as('n')])
    .where('organisationId', '=', providerId)
    .where('groupId', 'in', [...groupIds])
    .groupBy('groupId')
    .execute();
  return new Map(rows.map((r) => [r.groupId, Number(r.n)]));
};

/**
 * Buys places on a group under a contract: a party to the contract (in its own organisation) or the provider's
 * manager on the lead's behalf. The places are the provider's rows, so the purchase is written in its scope after
 * the party is checked in the buyer's.
 */
export const buyPlaces = async (db: Db, actor: Actor, contractId: string, body: z.infer<typeof buyPlacesBody>): Promise<void> => {
  const buyerOrg = orgOf(actor);
  const { contract, myRole } = await inScope(db, scopeOf(actor), (trx) => visibleContract(trx, actor, contractId));
  await asProvider(db, contract.organisationId, actor, async (trx) => {
    const locked = await trx.selectFrom('contract').selectAll().where('id', '=', contract.id).forUpdate().executeTakeFirstOrThrow();
    if (locked.status !== 'active') throw new AppError('conflict', `Places cannot be bought on a ${locked.status} contract`);
    if (locked.purchaseKind === 'grant') throw badField('body.places', 'a grant buys no places; record a block or spot purchase contract');
    const lead = await trx.selectFrom('contractParty').select('partyOrganisationId').where('contractId', '=', contract.id).where('role', '=', 'lead').executeTakeFirst();
    if (!lead) throw new AppError('conflict', 'The contract has no lead commissioner to pay for the places');
    const payer = myRole === 'provider' ? lead.partyOrganisationId : buyerOrg;
    const [group] = await groupFacts(trx, contract.organisationId, [body.groupId]);
    if (!group) throw badField('body.groupId', "is not one of the provider's groups");
    if (group.status !== 'planned' && group.status !== 'running') throw badField('body.groupId', `the group is ${group.status}; places can be bought on planned or running groups`);
    if (group.sessions.length === 0) throw badField('body.groupId', 'the group has no sessions');
    await trx.selectFrom('programmeGroup').select('id').where('id', '=', group.id).forUpdate().execute();
    const already = (await boughtPerGroup(trx, contract.organisationId, [group.id])).get(group.id) ?? 0;
    if (already + body.places > group.capacity) {
      throw badField('body.places', `the group takes ${group.capacity} ${group.capacityUnit} and ${already} place(s) are already bought; at most ${group.capacity - already} can be bought`);
    }
    const spent = await trx
      .selectFrom('placeBlock')
      .select(sql<string>`coalesce(sum(places::bigint * price_pence), 0)::text`.as('pence'))
      .where('contractId', '=', contract.id)
      .executeTakeFirstOrThrow();
    const cost = body.places * locked.pricePence;
    const value = num(locked.valuePence);
    if (num(spent.pence) + cost > value) {
      throw badField('body.places', `${body.places} place(s) at ${locked.pricePence} pence cost ${cost} pence, more than the ${value - num(spent.pence)} pence left on the contract`);
    }
    const { refundDeadline, refillDeadline } = deadlinesOf(group.sessions, locked);
    const block = await trx
      .insertInto('placeBlock')
      .values({
        organisationId: contract.organisationId,
        contractId: contract.id,
        groupId: group.id,
        groupLabel: `${group.programmeName}: ${group.name}`,
        groupStartDate: group.startDate,
        sessionCount: group.sessions.length,
        places: body.places,
        pricePence: locked.pricePence,
        refundDeadline,
        refillDeadline,
        boughtByOrganisationId: payer,
        boughtBy: actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const highest = await trx.selectFrom('groupPlace').select(sql<number>`coalesce(max(number), 0)::int`.as('n')).where('groupId', '=', group.id).executeTakeFirstOrThrow();
    await trx
      .insertInto('groupPlace')
      .values(
        Array.from({ length: body.places }, (_, i) => ({
          organisationId: contract.organisationId,
          contractId: contract.id,
          blockId: block.id,
          groupId: group.id,
          number: Number(highest.n) + i + 1,
          payerOrganisationId: payer,
        })),
      )
      .execute();
    await recordAudit(trx, {
      organisationId: contract.organisationId,
      actorUserId: actor.userId,
      action: 'buy:places',
      entityType: 'contract',
      entityId: contract.id,
      ip: actor.ip,
      detail: { blockId: block.id, groupId: group.id, places: body.places, pricePence: locked.pricePence, buyerOrganisationId: buyerOrg, payerOrganisationId: payer },
    });
  });
};

/** Placing a family takes the lowest-numbered empty bought place on the group that can still be filled (listener). */
export const takePlace = async (trx: Trx, event: PlacementEvent): Promise<void> => {
  const today = londonToday();
  const candidates = await trx
    .selectFrom('groupPlace')
    .innerJoin('placeBlock', 'placeBlock.id', 'groupPlace.blockId')
    .innerJoin('contract', 'contract.id', 'groupPlace.contractId')
    .select(['groupPlace.id', 'groupPlace.status', 'groupPlace.freedLate', 'placeBlock.refillDeadline', 'groupPlace.contractId'])
    .where('groupPlace.organisationId', '=', event.organisationId)
    .where('groupPlace.groupId', '=', event.groupId)
    .where('groupPlace.status', '<>', 'filled')
    .where('groupPlace.freedLate', '=', false)
    .where('contract.status', '=', 'active')
    .orderBy('groupPlace.number')
    .forUpdate()
    .execute();
  // A place whose re-fill deadline has passed is still better filled than left empty: take those last.
  const place = candidates.find((c) => fillable(c, c.refillDeadline, today)) ?? candidates[0];
  if (!place) return;
  await trx.insertInto('placeOccupancy').values({ organisationId: event.organisationId, groupPlaceId: place.id, placementId: event.placementId }).execute();
  await trx
    .updateTable('groupPlace')
    .set({ status: 'filled', everFilled: true, freedOn: null, freedLate: false, refundable: false, atRisk: false, sessionsAttended: 0, version: sql<number>`version + 1` })
    .where('id', '=', place.id)
    .execute();
  await trx.updateTable('vacancyClaim').set({ status: 'filled' }).where('groupPlaceId', '=', place.id).where('status', '=', 'claimed').execute();
  await recordAudit(trx, {
    organisationId: event.organisationId,
    actorUserId: event.userId,
    action: 'fill:place',
    entityType: 'group_place',
    entityId: place.id,
    detail: { contractId: place.contractId, placementId: event.placementId },
  });
};

/** A withdrawal frees the family's place: refundable before the refund point, late on or after the re-fill point. */
export const freePlace = async (trx: Trx, event: WithdrawalEvent): Promise<void> => {
  const occupancy = await trx
    .selectFrom('placeOccupancy')
    .innerJoin('groupPlace', 'groupPlace.id', 'placeOccupancy.groupPlaceId')
    .innerJoin('placeBlock', 'placeBlock.id', 'groupPlace.blockId')
    .select(['placeOccupancy.id', 'groupPlace.id as placeId', 'groupPlace.contractId', 'placeBlock.refundDeadline', 'placeBlock.refillDeadline'])
    .where('placeOccupancy.organisationId', '=', event.organisationId)
    .where('placeOccupancy.placementId', '=', event.placementId)
    .where('placeOccupancy.freedOn', 'is', null)
    .executeTakeFirst();
  if (!occupancy) return;
  const { refundable, late } = classifyWithdrawal(event.on, occupancy);
  await trx.updateTable('placeOccupancy').set({ freedOn: event.on, freedLate: late }).where('id', '=', occupancy.id).execute();
  await trx
    .updateTable('groupPlace')
    .set({ status: 'freed', freedOn: event.on, freedLate: late, refundable, atRisk: false, version: sql<number>`version + 1` })
    .where('id', '=', occupancy.placeId)
    .execute();
  await recordAudit(trx, {
    organisationId: event.organisationId,
    actorUserId: event.userId,
    action: 'free:place',
    entityType: 'group_place',
    entityId: occupancy.placeId,
    detail: { contractId: occupancy.contractId, placementId: event.placementId, on: event.on, refundable, late },
  });
};

type Vacancy = z.infer<typeof vacancy>;

/**
 * Shared vacancies: empty places that can still be filled on the contracts the organisation commissions (or, for the
 * provider, on all its contracts). Partners see each other's; a commissioner does not see its own as claimable.
 */
export const listVacancies = async (db: Db, actor: Actor): Promise<Vacancy[]> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const org = orgOf(actor);
    const contracts = (await visibleContracts(trx, actor)).filter((c) => c.contract.status === 'active' && c.contract.purchaseKind !== 'grant');
    const { blocks, places } = await placesOfContracts(trx, contracts.map((c) => c.contract.id));
    const today = londonToday();
    const names = await organisationNames(trx, places.map((p) => p.payerOrganisationId));
    return places.flatMap((p): Vacancy[] => {
      const b = blocks.find((x) => x.id === p.blockId);
      const c = contracts.find((x) => x.contract.id === p.contractId);
      if (!b || !c || !fillable(p, b.refillDeadline, today)) return [];
      if (isCommissioner(actor) && p.payerOrganisationId === org) return [];
      return [
        {
          placeId: p.id,
          contractId: c.contract.id,
          contractReference: c.contract.reference,
          groupLabel: b.groupLabel,
          groupStartDate: b.groupStartDate,
          number: p.number,
          status: p.status,
          freedOn: p.freedOn,
          claimUntil: b.refillDeadline,
          payerName: names.get(p.payerOrganisationId) ?? '',
          pricePence: b.pricePence,
          version: p.version,
        },
      ];
    });
  });

/** A partner agency claims a shared vacancy: from now on it pays for the place, and its family can fill it. */
export const claimVacancy = async (db: Db, actor: Actor, placeId: string, body: { version: number }): Promise<Vacancy> => {
  const org = orgOf(actor);
  const seen = await inScope(db, scopeOf(actor), async (trx) => {
    const place = await trx.selectFrom('groupPlace').select(['id', 'contractId']).where('id', '=', placeId).executeTakeFirst();
    if (!place) throw notFound('Place');
    const { contract, myRole } = await visibleContract(trx, actor, place.contractId).catch((error: unknown) => {
      if (error instanceof AppError && error.code === 'not_found') throw notFound('Place');
      throw error;
    });
    if (myRole === 'provider') throw new AppError('forbidden', 'Vacancies are claimed by the commissioning agencies');
    return contract;
  });
  await asProvider(db, seen.organisationId, actor, async (trx) => {
    const place = await trx.selectFrom('groupPlace').selectAll().where('id', '=', placeId).forUpdate().executeTakeFirstOrThrow();
    const block = await trx.selectFrom('placeBlock').selectAll().where('id', '=', place.blockId).executeTakeFirstOrThrow();
    if (place.version !== body.version) throw staleVersion('This place');
    if (place.payerOrganisationId === org) throw new AppError('conflict', 'This place is already yours');
    if (place.status === 'filled') throw new AppError('conflict', 'This place has been filled');
    if (!fillable(place, block.refillDeadline, londonToday())) {
      throw new AppError('conflict', `This place can no longer be claimed: it could be re-filled until ${block.refillDeadline}`);
    }
    await trx
      .updateTable('groupPlace')
      .set({ payerOrganisationId: org, status: 'vacant', freedOn: null, freedLate: false, refundable: false, version: sql<number>`version + 1` })
      .where('id', '=', placeId)
      .execute();
    await trx.updateTable('vacancyClaim').set({ status: 'lapsed' }).where('groupPlaceId', '=', placeId).where('status', '=', 'claimed').execute();
    await trx.insertInto('vacancyClaim').values({ organisationId: seen.organisationId, contractId: seen.id, groupPlaceId: placeId, claimedByOrganisationId: org, claimedBy: actor.userId }).execute();
    await recordAudit(trx, {
      organisationId: seen.organisationId,
      actorUserId: actor.userId,
      action: 'claim:vacancy',
      entityType: 'group_place',
      entityId: placeId,
      ip: actor.ip,
      detail: { contractId: seen.id, from: place.payerOrganisationId, to: org, freedOn: place.freedOn },
    });
  });
  return inScope(db, scopeOf(actor), async (trx) => {
    const place = await trx.selectFrom('groupPlace').selectAll().where('id', '=', placeId).executeTakeFirstOrThrow();
    const block = await trx.selectFrom('placeBlock').selectAll().where('id', '=', place.blockId).executeTakeFirstOrThrow();
    const names = await organisationNames(trx, [place.payerOrganisationId]);
    return {
      placeId,
      contractId: seen.id,
      contractReference: seen.reference,
      groupLabel: block.groupLabel,
      groupStartDate: block.groupStartDate,
      number: place.number,
      status: place.status,
      freedOn: place.freedOn,
      claimUntil: block.refillDeadline,
      payerName: names.get(place.payerOrganisationId) ?? '',
      pricePence: block.pricePence,
      version: place.version,
    };
  });
};

/** Refreshes risk in each provider's scope, for the contracts the actor sees. */
export const refreshFor = async (db: Db, actor: Actor, contracts: readonly { contract: ContractRow }[]): Promise<void> => {
  const byProvider = new Map<string, string[]>();
  for (const { contract } of contracts) byProvider.set(contract.organisationId, [...(byProvider.get(contract.organisationId) ?? []), contract.id]);
  for (const [providerId, ids] of byProvider) await asProvider(db, providerId, actor, (trx) => refreshRisk(trx, providerId, ids));
};

/**
 * The commissioner's dashboard (its contracts, aggregates only, small numbers withheld) and the provider's finance
 * view (all its contracts, unsuppressed): places bought, filled, vacant, freed late, value lost and at risk.
 */
export const fundingDashboard = async (db: Db, actor: Actor): Promise<z.infer<typeof dashboardSchema>> => {
  const suppress = isCommissioner(actor);
  const contracts = await inScope(db, scopeOf(actor), (trx) => visibleContracts(trx, actor));
  await refreshFor(db, actor, contracts);
  return inScope(db, scopeOf(actor), async (trx) => {
    const today = londonToday();
    const { blocks, places } = await placesOfContracts(trx, contracts.map((c) => c.contract.id));
    const names = await organisationNames(trx, contracts.map((c) => c.contract.organisationId));
    const rows = contracts.map(({ contract, myRole }: { contract: ContractRow; myRole: MyRole }) => {
      const own = places.filter((p) => p.contractId === contract.id);
      const ownBlocks = blocks.filter((b) => b.contractId === contract.id);
      const groupIds = [...new Set(ownBlocks.map((b) => b.groupId))];
      return {
        contractId: contract.id,
        reference: contract.reference,
        title: contract.title,
        providerName: names.get(contract.organisationId) ?? '',
        myRole,
        risk: presentRisk(riskOf(own, ownBlocks, today), suppress),
        groups: groupIds.map((groupId) => {
          const gb = ownBlocks.filter((b) => b.groupId === groupId);
          return {
            groupLabel: gb[0]?.groupLabel ?? '',
            groupStartDate: gb[0]?.groupStartDate ?? '',
            risk: presentRisk(riskOf(own.filter((p) => p.groupId === groupId), gb, today), suppress),
          };
        }),
      };
    });
    if (!suppress) {
      await recordAudit(trx, { organisationId: orgOf(actor), actorUserId: actor.userId, action: 'view:funding', entityType: 'funding_dashboard', ip: actor.ip, detail: { contracts: contracts.length } });
    }
    return { asOf: new Date().toISOString(), suppressed: suppress, totals: presentRisk(riskOf(places, blocks, today), suppress), contracts: rows };
  });
};
