import type { Trx } from '../../db.ts';

/**
 * Other modules react to placements in the same transaction (funding takes and frees a bought place) without
 * programmes importing them: they register here, through programmes' index.ts. A listener that throws refuses
 * the placement or withdrawal, and nothing is written.
 */
export type PlacementEvent = { organisationId: string; groupId: string; placementId: string; caseId: string; userId: string };
export type WithdrawalEvent = PlacementEvent & { on: string };

type Listeners = { placed: Map<string, (trx: Trx, event: PlacementEvent) => Promise<void>>; withdrawn: Map<string, (trx: Trx, event: WithdrawalEvent) => Promise<void>> };
const listeners: Listeners = { placed: new Map(), withdrawn: new Map() };

/** Registering again under the same name replaces the listener, so building the app twice is harmless. */
export const onPlacement = (
  name: string,
  handlers: { placed?: (trx: Trx, event: PlacementEvent) => Promise<void>; withdrawn?: (trx: Trx, event: WithdrawalEvent) => Promise<void> },
): void => {
  if (handlers.placed) listeners.placed.set(name, handlers.placed);
  if (handlers.withdrawn) listeners.withdrawn.set(name, handlers.withdrawn);
};

export const placementPlaced = async (trx: Trx, event: PlacementEvent): Promise<void> => {
  for (const listener of listeners.placed.values()) await listener(trx, event);
};

export const placementWithdrawn = async (trx: Trx, event: WithdrawalEvent): Promise<void> => {
  for (const listener of listeners.withdrawn.values()) await listener(trx, event);
};
