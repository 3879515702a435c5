import type { Trx } from '../../db.ts';
import type { FunderKind, PurchaseKind } from './funding.tables.ts';

export type PlaceFunding = {
  contractId: string;
  contractReference: string;
  purchaseKind: PurchaseKind;
  requiresParticipantApplications: boolean;
  funderId: string;
  funderName: string;
  funderKind: FunderKind;
  groupPlaceId: string;
  /** Who pays for the place: the contract's lead party, or the partner agency that claimed it. */
  payerOrganisationId: string;
};

/**
 * How a placement is funded: the contract owning the place it occupies (now), with its funder. Null when the
 * placement is in no bought place (an unfunded place). Runs in the provider's scope (the caller's transaction).
 */
export const placeFunding = async (trx: Trx, placementId: string): Promise<PlaceFunding | null> => {
  const row = await trx
    .selectFrom('placeOccupancy')
    .innerJoin('groupPlace', 'groupPlace.id', 'placeOccupancy.groupPlaceId')
    .innerJoin('contract', 'contract.id', 'groupPlace.contractId')
    .innerJoin('funder', 'funder.id', 'contract.funderId')
    .select([
      'contract.id as contractId',
      'contract.reference',
      'contract.purchaseKind',
      'contract.requiresParticipantApplications',
      'funder.id as funderId',
      'funder.name as funderName',
      'funder.kind as funderKind',
      'groupPlace.id as groupPlaceId',
      'groupPlace.payerOrganisationId',
    ])
    .where('placeOccupancy.placementId', '=', placementId)
    .orderBy('placeOccupancy.filledAt', 'desc')
    .executeTakeFirst();
  if (!row) return null;
  return {
    contractId: row.contractId,
    contractReference: row.reference,
    purchaseKind: row.purchaseKind,
    requiresParticipantApplications: row.requiresParticipantApplications,
    funderId: row.funderId,
    funderName: row.funderName,
    funderKind: row.funderKind,
    groupPlaceId: row.groupPlaceId,
    payerOrganisationId: row.payerOrganisationId,
  };
};
