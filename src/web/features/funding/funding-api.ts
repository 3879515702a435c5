import type { z } from 'zod';
import {
  contractDetail,
  contractList,
  dashboard,
  familyMove,
  funder,
  funderList,
  fundingReturn,
  invoice,
  offeredGroups,
  organisationChoices,
  vacancy,
  vacancyList,
  type createContractBody,
} from '../../../shared/contracts/funding.ts';
import { request } from '../../api/client.ts';

/* Typed calls for the funding pages. */

export type ContractSummary = z.infer<typeof contractList>['contracts'][number];
export type ContractDetail = z.infer<typeof contractDetail>;
export type Dashboard = z.infer<typeof dashboard>;
export type Risk = Dashboard['totals'];
export type Vacancy = z.infer<typeof vacancy>;
export type Invoice = z.infer<typeof invoice>;
export type FundingReturn = z.infer<typeof fundingReturn>;

const id = encodeURIComponent;

export const fundingApi = {
  dashboard: () => request('GET', '/funding/dashboard', { schema: dashboard }),
  contracts: () => request('GET', '/funding/contracts', { schema: contractList }).then((r) => r.contracts),
  contract: (contractId: string) => request('GET', `/funding/contracts/${id(contractId)}`, { schema: contractDetail }),
  createContract: (body: z.input<typeof createContractBody>) => request('POST', '/funding/contracts', { body, schema: contractDetail }),
  funders: () => request('GET', '/funding/funders', { schema: funderList }).then((r) => r.funders),
  createFunder: (body: { name: string; kind: string }) => request('POST', '/funding/funders', { body, schema: funder }),
  organisations: () => request('GET', '/funding/organisations', { schema: organisationChoices }).then((r) => r.organisations),
  offeredGroups: (contractId: string) => request('GET', `/funding/contracts/${id(contractId)}/groups`, { schema: offeredGroups }).then((r) => r.groups),
  buy: (contractId: string, body: { groupId: string; places: number }) => request('POST', `/funding/contracts/${id(contractId)}/places`, { body, schema: contractDetail }),
  vacancies: () => request('GET', '/funding/vacancies', { schema: vacancyList }).then((r) => r.vacancies),
  claim: (placeId: string, version: number) => request('POST', `/funding/places/${id(placeId)}/claim`, { body: { version }, schema: vacancy }),
  draftInvoice: (contractId: string, body: { periodStart: string; periodEnd: string }) => request('POST', `/funding/contracts/${id(contractId)}/invoices`, { body, schema: invoice }),
  invoice: (invoiceId: string) => request('GET', `/funding/invoices/${id(invoiceId)}`, { schema: invoice }),
  issue: (invoiceId: string, version: number) => request('POST', `/funding/invoices/${id(invoiceId)}/issue`, { body: { version }, schema: invoice }),
  credit: (invoiceId: string, reason: string) => request('POST', `/funding/invoices/${id(invoiceId)}/credit-notes`, { body: { reason }, schema: invoice }),
  moveFamily: (placementId: string, body: { toPlaceId: string | null; on: string }) => request('POST', `/funding/placements/${id(placementId)}/move`, { body, schema: familyMove }),
  fundingReturn: (contractId: string, quarter: string) => request('GET', `/funding/contracts/${id(contractId)}/return`, { query: { quarter }, schema: fundingReturn }),
};

/** £1,234.56 from whole pence, without floating point. */
export const pounds = (pence: number | null): string => {
  if (pence === null) return 'withheld';
  const sign = pence < 0 ? '-' : '';
  const abs = Math.abs(pence);
  return `${sign}£${Math.floor(abs / 100).toLocaleString('en-GB')}.${String(abs % 100).padStart(2, '0')}`;
};

/** "500" or "500.5" or "£1,200.00" → pence, exactly; null when it is not an amount. */
export const toPence = (text: string): number | null => {
  const m = /^£?\s*(\d{1,3}(?:,\d{3})*|\d+)(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return null;
  const whole = Number((m[1] ?? '0').replaceAll(',', ''));
  const fraction = Number((m[2] ?? '').padEnd(2, '0') || '0');
  return whole * 100 + fraction;
};

export const count = (n: number | null): string => (n === null ? 'fewer than 5' : String(n));
