/**
 * Which lines a new invoice carries and what a credit note gives back, pure: each place's charge now, less what
 * each payer has already been billed for it (issued invoices less credit notes). A positive difference is invoiced;
 * a negative one is owed back and goes on a credit note against the invoice that billed it.
 */
export type PlaceCharge = { placeId: string; description: string; payerOrganisationId: string; pence: number };
export type Billed = { placeId: string; payerOrganisationId: string; pence: number };

const key = (placeId: string, payer: string): string => `${placeId}|${payer}`;

export const netBilled = (invoiced: readonly Billed[], credited: readonly Billed[]): Map<string, number> => {
  const net = new Map<string, number>();
  for (const b of invoiced) net.set(key(b.placeId, b.payerOrganisationId), (net.get(key(b.placeId, b.payerOrganisationId)) ?? 0) + b.pence);
  for (const c of credited) net.set(key(c.placeId, c.payerOrganisationId), (net.get(key(c.placeId, c.payerOrganisationId)) ?? 0) - c.pence);
  return net;
};

/** For each place and payer: charge now minus billed so far. */
export const differences = (charges: readonly PlaceCharge[], net: ReadonlyMap<string, number>): (PlaceCharge & { due: number })[] => {
  const out: (PlaceCharge & { due: number })[] = [];
  for (const c of charges) {
    const payers = new Set([c.payerOrganisationId]);
    for (const k of net.keys()) if (k.startsWith(`${c.placeId}|`)) payers.add(k.slice(c.placeId.length + 1));
    for (const payer of payers) {
      const now = payer === c.payerOrganisationId ? c.pence : 0;
      const due = now - (net.get(key(c.placeId, payer)) ?? 0);
      if (due !== 0) out.push({ ...c, payerOrganisationId: payer, due });
    }
  }
  return out;
};

export const invoiceLinesFor = (charges: readonly PlaceCharge[], net: ReadonlyMap<string, number>) => differences(charges, net).filter((d) => d.due > 0);

/** Credits owed, each limited to what the given invoice billed that payer for that place. */
export const creditsFor = (charges: readonly PlaceCharge[], net: ReadonlyMap<string, number>, onInvoice: readonly Billed[]) =>
  differences(charges, net)
    .filter((d) => d.due < 0)
    .flatMap((d) => {
      const billed = onInvoice.filter((b) => b.placeId === d.placeId && b.payerOrganisationId === d.payerOrganisationId).reduce((s, b) => s + b.pence, 0);
      const pence = Math.min(-d.due, billed);
      return pence > 0 ? [{ placeId: d.placeId, description: d.description, payerOrganisationId: d.payerOrganisationId, pence }] : [];
    });
