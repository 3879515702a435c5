import type { Selectable } from 'kysely';
import type { Trx } from '../../db.ts';
import type { Actor } from '../../platform/http/actor.ts';
import { AppError, notFound } from '../../platform/http/app-error.ts';
import type { ContractTable } from './funding.tables.ts';

export type ContractRow = Selectable<ContractTable>;
export type MyRole = 'provider' | 'lead' | 'partner';

export const orgOf = (actor: Actor): string => {
  if (!actor.organisationId) throw new AppError('forbidden', 'Choose an organisation first');
  return actor.organisationId;
};

/**
 * Commissioners work from their own organisation and see only contracts it is a party to; everyone else with
 * funding permissions works for the provider and sees the provider's own contracts. A commissioner role inside the
 * provider's organisation is not a party, so it sees none (its reports come from the evaluation module).
 */
export const isCommissioner = (actor: Actor): boolean => actor.role === 'commissioner';

export const visibleContract = async (trx: Trx, actor: Actor, contractId: string): Promise<{ contract: ContractRow; myRole: MyRole }> => {
  const org = orgOf(actor);
  if (isCommissioner(actor)) {
    const party = await trx
      .selectFrom('contractParty')
      .select(['role'])
      .where('contractId', '=', contractId)
      .where('partyOrganisationId', '=', org)
      .executeTakeFirst();
    if (!party) throw notFound('Contract');
    const contract = await trx.selectFrom('contract').selectAll().where('id', '=', contractId).executeTakeFirst();
    if (!contract) throw notFound('Contract');
    return { contract, myRole: party.role };
  }
  const contract = await trx.selectFrom('contract').selectAll().where('organisationId', '=', org).where('id', '=', contractId).executeTakeFirst();
  if (!contract) throw notFound('Contract');
  return { contract, myRole: 'provider' };
};

/** Contracts the actor may see, with their part in each. */
export const visibleContracts = async (trx: Trx, actor: Actor): Promise<{ contract: ContractRow; myRole: MyRole }[]> => {
  const org = orgOf(actor);
  if (isCommissioner(actor)) {
    const rows = await trx
      .selectFrom('contract')
      .innerJoin('contractParty', 'contractParty.contractId', 'contract.id')
      .selectAll('contract')
      .select('contractParty.role as partyRole')
      .where('contractParty.partyOrganisationId', '=', org)
      .orderBy('contract.periodStart', 'desc')
      .orderBy('contract.reference')
      .execute();
    return rows.map(({ partyRole, ...contract }) => ({ contract, myRole: partyRole }));
  }
  const rows = await trx.selectFrom('contract').selectAll().where('organisationId', '=', org).orderBy('periodStart', 'desc').orderBy('reference').execute();
  return rows.map((contract) => ({ contract, myRole: 'provider' as const }));
};

export const organisationNames = async (trx: Trx, ids: readonly string[]): Promise<Map<string, string>> => {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await trx.selectFrom('organisation').select(['id', 'name']).where('id', 'in', unique).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
};

export const num = (value: string | number | bigint | null | undefined): number => Number(value ?? 0);
