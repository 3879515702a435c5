import type { z } from 'zod';
import {
  caseScoresSchema,
  funderReturnList,
  funderReturnSchema,
  reportPageSchema,
  type FunderReturnInput,
} from '../../../shared/contracts/evaluation-outputs.ts';
import { request } from '../../api/client.ts';

/* Typed calls for the evaluation pages (kept beside them, as the group pages do). */

export type ReportPage = z.infer<typeof reportPageSchema>;
export type CaseScores = z.infer<typeof caseScoresSchema>;
export type FunderReturn = z.infer<typeof funderReturnSchema>;
export type ReportQuery = { programme?: string; site?: string; group?: string; role?: string; from?: string; to?: string; facilitator?: string; dose?: string };

const id = encodeURIComponent;

/** The same query string for the page's data and its download links, empty values left out. */
export const queryString = (query: Record<string, string | undefined>): string => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : '';
};

export const evaluationApi = {
  reportPage: (query: ReportQuery) => request('GET', '/evaluation/report/page', { query, schema: reportPageSchema }),
  caseScores: (caseId: string) => request('GET', `/cases/${id(caseId)}/scores`, { schema: caseScoresSchema }),
  returns: () => request('GET', '/evaluation/returns', { schema: funderReturnList }).then((list) => list.returns),
  createReturn: (body: FunderReturnInput) => request('POST', '/evaluation/returns', { body, schema: funderReturnSchema }),
};
