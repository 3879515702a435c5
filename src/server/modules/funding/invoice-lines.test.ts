import { describe, expect, it } from 'vitest';
import { creditsFor, invoiceLinesFor, netBilled } from './invoice-lines.ts';

const charge = (placeId: string, payer: string, pence: number) => ({ placeId, description: `place ${placeId}`, payerOrganisationId: payer, pence });

describe('invoice lines and credits', () => {
  it('invoices every charge the first time', () => {
    const lines = invoiceLinesFor([charge('1', 'lead', 50_000), charge('2', 'lead', 0)], new Map());
    expect(lines.map((l) => [l.placeId, l.payerOrganisationId, l.due])).toEqual([['1', 'lead', 50_000]]);
  });
  it('invoices nothing again once billed, and a partner that claimed a credited place', () => {
    const net = netBilled([{ placeId: '1', payerOrganisationId: 'lead', pence: 50_000 }], []);
    expect(invoiceLinesFor([charge('1', 'lead', 50_000)], net)).toEqual([]);
    const claimed = [charge('1', 'partner', 50_000)];
    expect(invoiceLinesFor(claimed, net).map((l) => [l.payerOrganisationId, l.due])).toEqual([['partner', 50_000]]);
    // The lead is owed its payment back, limited to what the invoice billed it.
    const onInvoice = [{ placeId: '1', payerOrganisationId: 'lead', pence: 50_000 }];
    expect(creditsFor(claimed, net, onInvoice)).toEqual([{ placeId: '1', description: 'place 1', payerOrganisationId: 'lead', pence: 50_000 }]);
    // Once credited, nothing more is owed.
    const after = netBilled(onInvoice, [{ placeId: '1', payerOrganisationId: 'lead', pence: 50_000 }]);
    expect(creditsFor(claimed, after, onInvoice)).toEqual([]);
  });
  it('credits a refundable withdrawal only up to what that invoice billed', () => {
    const net = netBilled([{ placeId: '1', payerOrganisationId: 'lead', pence: 30_000 }, { placeId: '1', payerOrganisationId: 'lead', pence: 20_000 }], []);
    expect(creditsFor([charge('1', 'lead', 0)], net, [{ placeId: '1', payerOrganisationId: 'lead', pence: 20_000 }])[0]?.pence).toBe(20_000);
  });
});
