import { sql } from 'kysely';
import type { z } from 'zod';
import type { contractDetail, contractSummary, createContractBody, funder as funderSchema, funderBody, outcomeTarget, updateContractBody, updateFunderBody } from '../../../shared/contracts/funding.ts';
import type { Db, Trx } from '../../db.ts';
import { inScope } from '../../platform/db/scope.ts';
import { scopeOf, type Actor } from '../../platform/http/actor.ts';
import { AppError, badField, notFound, staleVersion } from '../../platform/http/app-error.ts';
import { recordAudit } from '../audit/index.ts';
import { outcomeSpecProblem } from '../evaluation/index.ts';
import { isCommissioner, num, organisationNames, orgOf, visibleContract, visibleContracts, type ContractRow, type MyRole } from './funding-access.ts';
import type { OutcomeTarget } from './funding.tables.ts';
import { grantInstalments, instalmentProblem } from './grant-instalments.ts';
import { findProgramme } from '../programmes/index.ts';
import { londonToday } from './money.ts';
import { placesOfContracts, presentBlocks, presentRisk, refreshFor, riskOf } from './places.service.ts';

type Funder = z.infer<typeof funderSchema>;
type Summary = z.infer<typeof contractSummary>;
type Detail = z.infer<typeof contractDetail>;

const presentFunder = (f: { id: string; name: string; kind: Funder['kind']; funderOrganisationId: string | null; active: boolean; version: number }): Funder => ({
  id: f.id,
  name: f.name,
  kind: f.kind,
  funderOrganisationId: f.funderOrganisationId,
  active: f.active,
  version: f.version,
});

const assertOrganisation = async (trx: Trx, id: string, path: string): Promise<void> => {
  const row = await trx.selectFrom('organisation').select('id').where('id', '=', id).executeTakeFirst();
  if (!row) throw badField(path, 'is not an organisation in Tandem');
};

export const listFunders = async (db: Db, actor: Actor): Promise<Funder[]> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const rows = await trx.selectFrom('funder').selectAll().where('organisationId', '=', orgOf(actor)).orderBy('name').execute();
    return rows.map(presentFunder);
  });

export const createFunder = async (db: Db, actor: Actor, body: z.infer<typeof funderBody>): Promise<Funder> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    if (body.funderOrganisationId) await assertOrganisation(trx, body.funderOrganisationId, 'body.funderOrganisationId');
    const taken = await trx.selectFrom('funder').select('id').where('organisationId', '=', organisationId).where('name', '=', body.name).executeTakeFirst();
    if (taken) throw badField('body.name', 'another funder already has this name');
    const row = await trx
      .insertInto('funder')
      .values({ organisationId, name: body.name, kind: body.kind, funderOrganisationId: body.funderOrganisationId ?? null })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, { organisationId, actorUserId: actor.userId, action: 'create:funder', entityType: 'funder', entityId: row.id, ip: actor.ip, detail: { name: body.name, kind: body.kind } });
    return presentFunder(row);
  });

export const updateFunder = async (db: Db, actor: Actor, funderId: string, body: z.infer<typeof updateFunderBody>): Promise<Funder> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const f = await trx.selectFrom('funder').selectAll().where('organisationId', '=', organisationId).where('id', '=', funderId).executeTakeFirst();
    if (!f) throw notFound('Funder');
    if (f.version !== body.version) throw staleVersion('This funder');
    if (body.name && body.name !== f.name) {
      const taken = await trx.selectFrom('funder').select('id').where('organisationId', '=', organisationId).where('name', '=', body.name).executeTakeFirst();
      if (taken) throw badField('body.name', 'another funder already has this name');
    }
    const row = await trx
      .updateTable('funder')
      .set({ ...(body.name ? { name: body.name } : {}), ...(body.kind ? { kind: body.kind } : {}), ...(body.active !== undefined ? { active: body.active } : {}), version: sql<number>`version + 1` })
      .where('id', '=', funderId)
      .where('version', '=', body.version)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw staleVersion('This funder');
    await recordAudit(trx, { organisationId, actorUserId: actor.userId, action: 'update:funder', entityType: 'funder', entityId: funderId, ip: actor.ip, detail: { before: { name: f.name, kind: f.kind, active: f.active }, ...body } });
    return presentFunder(row);
  });

/** Only commissioning bodies can be parties to a contract; other providers are not listed to each other. */
export const commissioningKinds = ['regional_adoption_agency', 'local_authority', 'commissioner'] as const;

/** Organisations that can commission (deployment-wide rows, not tenant data): agencies, authorities, funders. */
export const commissioningOrganisations = async (db: Db, actor: Actor): Promise<{ id: string; name: string; kind: string }[]> =>
  inScope(db, scopeOf(actor), async (trx) =>
    trx.selectFrom('organisation').select(['id', 'name', 'kind']).where('id', '<>', orgOf(actor)).where('kind', 'in', [...commissioningKinds]).orderBy('name').limit(500).execute(),
  );

const summaries = async (trx: Trx, rows: { contract: ContractRow; myRole: MyRole }[]): Promise<Summary[]> => {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.contract.id);
  const funders = await trx.selectFrom('funder').select(['id', 'name']).where('id', 'in', [...new Set(rows.map((r) => r.contract.funderId))]).execute();
  const bought = await trx.selectFrom('groupPlace').select(['contractId', sql<number>`count(*)::int`.as('n')]).where('contractId', 'in', ids).groupBy('contractId').execute();
  const names = await organisationNames(trx, rows.map((r) => r.contract.organisationId));
  return rows.map(({ contract: c, myRole }) => ({
    id: c.id,
    reference: c.reference,
    title: c.title,
    providerName: names.get(c.organisationId) ?? '',
    funderName: funders.find((f) => f.id === c.funderId)?.name ?? '',
    purchaseKind: c.purchaseKind,
    periodStart: c.periodStart,
    periodEnd: c.periodEnd,
    valuePence: num(c.valuePence),
    pricePence: c.pricePence,
    priceUnit: c.priceUnit,
    status: c.status,
    myRole,
    placesBought: Number(bought.find((b) => b.contractId === c.id)?.n ?? 0),
    version: c.version,
  }));
};

export const listContracts = async (db: Db, actor: Actor): Promise<Summary[]> => inScope(db, scopeOf(actor), async (trx) => summaries(trx, await visibleContracts(trx, actor)));

const detailIn = async (trx: Trx, actor: Actor, contractId: string): Promise<Detail> => {
  const { contract, myRole } = await visibleContract(trx, actor, contractId);
  const commissioner = isCommissioner(actor);
  const [summary] = await summaries(trx, [{ contract, myRole }]);
  if (!summary) throw notFound('Contract');
  const parties = await trx.selectFrom('contractParty').select(['partyOrganisationId', 'role']).where('contractId', '=', contract.id).orderBy('role').execute();
  const names = await organisationNames(trx, parties.map((p) => p.partyOrganisationId));
  const { blocks, places } = await placesOfContracts(trx, [contract.id]);
  let invoices = trx.selectFrom('invoice').selectAll().where('contractId', '=', contract.id);
  if (commissioner) invoices = invoices.where('status', '=', 'issued');
  const invoiceRows = await invoices.orderBy('createdAt').execute();
  const credits =
    invoiceRows.length === 0
      ? []
      : await trx.selectFrom('creditNote').select(['invoiceId', sql<string>`sum(total_pence)::text`.as('pence')]).where('invoiceId', 'in', invoiceRows.map((i) => i.id)).groupBy('invoiceId').execute();
  return {
    ...summary,
    funderId: contract.funderId,
    targetFamilies: contract.targetFamilies,
    targetCompleters: contract.targetCompleters,
    outcomeTargets: storedTargets(contract.outcomeTargets),
    refundableBeforeSession: contract.refundableBeforeSession,
    refillBeforeSession: contract.refillBeforeSession,
    lateChargePercent: contract.lateChargePercent,
    requiresParticipantApplications: contract.requiresParticipantApplications,
    programmeId: contract.programmeId,
    programmeName: contract.programmeLabel,
    instalmentList: await instalmentsOf(trx, contract),
    parties: parties.map((p) => ({ organisationId: p.partyOrganisationId, name: names.get(p.partyOrganisationId) ?? '', role: p.role })),
    blocks: await presentBlocks(trx, blocks, places, commissioner),
    risk: presentRisk(riskOf(places, blocks, londonToday()), commissioner),
    invoices: invoiceRows.map((i) => ({
      id: i.id,
      number: i.number,
      periodStart: i.periodStart,
      periodEnd: i.periodEnd,
      status: i.status,
      totalPence: num(i.totalPence),
      creditedPence: num(credits.find((c) => c.invoiceId === i.id)?.pence),
    })),
  };
};

export const getContract = async (db: Db, actor: Actor, contractId: string): Promise<Detail> => {
  const seen = await inScope(db, scopeOf(actor), (trx) => visibleContract(trx, actor, contractId));
  await refreshFor(db, actor, [seen]);
  return inScope(db, scopeOf(actor), (trx) => detailIn(trx, actor, contractId));
};

/** A grant's instalments, each with the issued invoice that billed it (none for places contracts). */
export const instalmentsOf = async (trx: Trx, contract: ContractRow): Promise<Detail['instalmentList']> => {
  if (contract.purchaseKind !== 'grant') return [];
  const billed = await trx
    .selectFrom('invoiceLine')
    .innerJoin('invoice', 'invoice.id', 'invoiceLine.invoiceId')
    .select(['invoiceLine.grantInstalment', 'invoice.number'])
    .where('invoiceLine.contractId', '=', contract.id)
    .where('invoice.status', '=', 'issued')
    .where('invoiceLine.grantInstalment', 'is not', null)
    .execute();
  return grantInstalments(contract.periodStart, contract.periodEnd, num(contract.valuePence), contract.instalments).map((i) => ({
    ...i,
    invoiceNumber: billed.find((b) => b.grantInstalment === i.number)?.number ?? null,
  }));
};

/** Old targets (before they named a measure) read with nulls. */
export const storedTargets = (targets: readonly OutcomeTarget[]): Detail['outcomeTargets'] =>
  targets.map((t) => ({ instrument: t.instrument, scale: t.scale ?? null, measure: t.measure ?? null, description: t.description, target: t.target }));

/** Each target must be one the outcomes report can give a figure for, and a percentage at most 100. */
const targetProblems = (targets: readonly z.infer<typeof outcomeTarget>[] | undefined): { path: string; message: string }[] =>
  (targets ?? []).flatMap((t, i) => {
    const problem = outcomeSpecProblem({ instrument: t.instrument, scale: t.scale ?? null, measure: t.measure });
    const out = problem ? [{ path: `body.outcomeTargets.${i}.${problem.field}`, message: problem.message }] : [];
    if (t.measure !== 'mean_improvement' && t.target > 100) out.push({ path: `body.outcomeTargets.${i}.target`, message: 'a percentage must be at most 100' });
    return out;
  });

export const createContract = async (db: Db, actor: Actor, body: z.infer<typeof createContractBody>): Promise<Detail> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const problems: { path: string; message: string }[] = [];
    const f = await trx.selectFrom('funder').select(['id', 'active']).where('organisationId', '=', organisationId).where('id', '=', body.funderId).executeTakeFirst();
    if (!f) problems.push({ path: 'body.funderId', message: 'is not a funder of this organisation' });
    else if (!f.active) problems.push({ path: 'body.funderId', message: 'this funder is no longer active' });
    if (body.periodEnd < body.periodStart) problems.push({ path: 'body.periodEnd', message: 'must be on or after the period start' });
    if (body.purchaseKind !== 'grant' && !body.pricePence) problems.push({ path: 'body.pricePence', message: 'a block or spot purchase needs a price per place or family' });
    const partners = body.partnerOrganisationIds ?? [];
    if (body.leadOrganisationId === organisationId) problems.push({ path: 'body.leadOrganisationId', message: 'the provider cannot commission itself' });
    if (partners.includes(body.leadOrganisationId) || new Set(partners).size !== partners.length) problems.push({ path: 'body.partnerOrganisationIds', message: 'each agency is named once' });
    if (partners.includes(organisationId)) problems.push({ path: 'body.partnerOrganisationIds', message: 'the provider cannot commission itself' });
    const known = await trx.selectFrom('organisation').select('id').where('id', 'in', [body.leadOrganisationId, ...partners]).where('kind', 'in', [...commissioningKinds]).execute();
    if (body.leadOrganisationId !== organisationId && !known.some((k) => k.id === body.leadOrganisationId)) problems.push({ path: 'body.leadOrganisationId', message: 'is not a commissioning agency in Tandem' });
    if (partners.some((p) => !known.some((k) => k.id === p))) problems.push({ path: 'body.partnerOrganisationIds', message: 'names an organisation that is not a commissioning agency in Tandem' });
    const taken = await trx.selectFrom('contract').select('id').where('organisationId', '=', organisationId).where('reference', '=', body.reference).executeTakeFirst();
    if (taken) problems.push({ path: 'body.reference', message: 'another contract already has this reference' });
    problems.push(...targetProblems(body.outcomeTargets));
    let programmeLabel: string | null = null;
    if (body.purchaseKind === 'grant') {
      const split = body.periodEnd >= body.periodStart ? instalmentProblem(body.periodStart, body.periodEnd, body.instalments ?? 1) : null;
      if (split) problems.push({ path: 'body.instalments', message: split });
      if (body.programmeId) {
        const programme = await findProgramme(trx, organisationId, body.programmeId);
        if (programme) programmeLabel = programme.name;
        else problems.push({ path: 'body.programmeId', message: 'is not a programme of this organisation' });
      }
    } else {
      if (body.programmeId) problems.push({ path: 'body.programmeId', message: 'only a grant funds a programme; a block or spot purchase buys places on groups' });
      if (body.instalments !== undefined && body.instalments !== 1) problems.push({ path: 'body.instalments', message: 'only a grant is paid in instalments; places are invoiced as they are bought and filled' });
    }
    if (problems.length > 0) throw new AppError('bad_request', problems.map((p) => `${p.path}: ${p.message}`).join('; '), { fields: problems });
    const row = await trx
      .insertInto('contract')
      .values({
        organisationId,
        funderId: body.funderId,
        reference: body.reference,
        title: body.title,
        purchaseKind: body.purchaseKind,
        periodStart: body.periodStart,
        periodEnd: body.periodEnd,
        valuePence: body.valuePence,
        pricePence: body.pricePence ?? 0,
        priceUnit: body.priceUnit ?? (body.purchaseKind === 'spot' ? 'family' : 'place'),
        targetFamilies: body.targetFamilies ?? 0,
        targetCompleters: body.targetCompleters ?? 0,
        outcomeTargets: JSON.stringify(body.outcomeTargets ?? []),
        refundableBeforeSession: body.refundableBeforeSession,
        refillBeforeSession: body.refillBeforeSession,
        lateChargePercent: body.lateChargePercent,
        requiresParticipantApplications: body.requiresParticipantApplications ?? false,
        programmeId: body.purchaseKind === 'grant' ? (body.programmeId ?? null) : null,
        programmeLabel,
        instalments: body.purchaseKind === 'grant' ? (body.instalments ?? 1) : 1,
        createdBy: actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('contractParty')
      .values([
        { organisationId, contractId: row.id, partyOrganisationId: body.leadOrganisationId, role: 'lead' as const },
        ...partners.map((p) => ({ organisationId, contractId: row.id, partyOrganisationId: p, role: 'partner' as const })),
      ])
      .execute();
    await recordAudit(trx, { organisationId, actorUserId: actor.userId, action: 'create:contract', entityType: 'contract', entityId: row.id, ip: actor.ip, detail: { ...body } });
    return detailIn(trx, actor, row.id);
  });

export const updateContract = async (db: Db, actor: Actor, contractId: string, body: z.infer<typeof updateContractBody>): Promise<Detail> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const { contract } = await visibleContract(trx, actor, contractId);
    if (contract.version !== body.version) throw staleVersion('This contract');
    const badTargets = targetProblems(body.outcomeTargets);
    if (badTargets.length > 0) throw new AppError('bad_request', badTargets.map((p) => `${p.path}: ${p.message}`).join('; '), { fields: badTargets });
    if (body.periodEnd && body.periodEnd < contract.periodStart) throw badField('body.periodEnd', 'must be on or after the period start');
    if (contract.purchaseKind === 'grant' && (body.valuePence !== undefined || body.periodEnd !== undefined)) {
      // The instalments follow from the value and the period; once one is invoiced they are fixed.
      const invoiced = (await instalmentsOf(trx, contract)).filter((i) => i.invoiceNumber !== null);
      const changes = (body.valuePence !== undefined && body.valuePence !== num(contract.valuePence)) || (body.periodEnd !== undefined && body.periodEnd !== contract.periodEnd);
      if (invoiced.length > 0 && changes) throw badField(body.valuePence !== undefined ? 'body.valuePence' : 'body.periodEnd', `instalments are already invoiced (${invoiced.map((i) => i.invoiceNumber).join(', ')}): the grant's value and period can no longer change`);
      const split = instalmentProblem(contract.periodStart, body.periodEnd ?? contract.periodEnd, contract.instalments);
      if (split) throw badField('body.periodEnd', split);
    }
    if (body.valuePence !== undefined) {
      const spent = await trx.selectFrom('placeBlock').select(sql<string>`coalesce(sum(places::bigint * price_pence), 0)::text`.as('pence')).where('contractId', '=', contractId).executeTakeFirstOrThrow();
      if (body.valuePence < num(spent.pence)) throw badField('body.valuePence', `places worth ${num(spent.pence)} pence are already bought on this contract`);
    }
    const updated = await trx
      .updateTable('contract')
      .set({
        ...(body.title ? { title: body.title } : {}),
        ...(body.periodEnd ? { periodEnd: body.periodEnd } : {}),
        ...(body.valuePence !== undefined ? { valuePence: body.valuePence } : {}),
        ...(body.targetFamilies !== undefined ? { targetFamilies: body.targetFamilies } : {}),
        ...(body.targetCompleters !== undefined ? { targetCompleters: body.targetCompleters } : {}),
        ...(body.outcomeTargets !== undefined ? { outcomeTargets: JSON.stringify(body.outcomeTargets) } : {}),
        ...(body.status ? { status: body.status } : {}),
        updatedAt: new Date(),
        version: sql<number>`version + 1`,
      })
      .where('id', '=', contractId)
      .where('organisationId', '=', organisationId)
      .where('version', '=', body.version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw staleVersion('This contract');
    await recordAudit(trx, {
      organisationId,
      actorUserId: actor.userId,
      action: 'update:contract',
      entityType: 'contract',
      entityId: contractId,
      ip: actor.ip,
      detail: { before: { title: contract.title, periodEnd: contract.periodEnd, valuePence: num(contract.valuePence), status: contract.status, outcomeTargets: contract.outcomeTargets }, ...body },
    });
    return detailIn(trx, actor, contractId);
  });

/** For other modules (fund applications): the provider's contracts, for pickers. */
export const contractsOf = async (trx: Trx, organisationId: string): Promise<{ id: string; reference: string; title: string; funderId: string; purchaseKind: ContractRow['purchaseKind']; requiresParticipantApplications: boolean }[]> =>
  trx.selectFrom('contract').select(['id', 'reference', 'title', 'funderId', 'purchaseKind', 'requiresParticipantApplications']).where('organisationId', '=', organisationId).orderBy('reference').execute();
