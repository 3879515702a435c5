import type { z } from 'zod';
import {
  applicationList,
  caseApplications,
  fundApplication,
  type ApplicationStatus,
  type createApplicationBody,
} from '../../../shared/contracts/fund-applications.ts';
import { request } from '../../api/client.ts';

export type CaseApplications = z.infer<typeof caseApplications>;
export type ApplicationList = z.infer<typeof applicationList>;
export type FundApplication = z.infer<typeof fundApplication>;

const id = (value: string): string => encodeURIComponent(value);

/** The fund-application calls of the web app, over the shared contracts. */
export const fundApplicationsApi = {
  ofCase: (caseId: string): Promise<CaseApplications> => request('GET', `/cases/${id(caseId)}/fund-applications`, { schema: caseApplications }),
  create: (caseId: string, body: z.input<typeof createApplicationBody>): Promise<FundApplication> =>
    request('POST', `/cases/${id(caseId)}/fund-applications`, { body, schema: fundApplication }),
  move: (applicationId: string, body: { to: ApplicationStatus; note: string | null; fundReference?: string | null; version: number }): Promise<FundApplication> =>
    request('POST', `/fund-applications/${id(applicationId)}/status`, { body, schema: fundApplication }),
  list: (status?: ApplicationStatus): Promise<ApplicationList> => request('GET', '/fund-applications', { query: { status }, schema: applicationList }),
};

/** "£2,500" or "2500.5" → pence, with no floating point; null when it is not an amount of money. */
export const poundsToPence = (text: string): number | null => {
  const cleaned = text.trim().replace(/^£/, '').replaceAll(',', '');
  const match = /^(\d{1,7})(?:\.(\d{1,2}))?$/.exec(cleaned);
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? '0').padEnd(2, '0'));
};
