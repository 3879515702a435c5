import type { z } from 'zod';
import {
  administrationDetail,
  administrationSummary,
  cancelledLink,
  caseQuestionnaires,
  createdLink,
  programmeSchedule,
  publicQuestionnaire,
  questionnaireFormList,
  savedAnswers,
  setScheduleBody,
  submittedQuestionnaire,
  type Answers,
  type Timepoint,
} from '../../../shared/contracts/questionnaires.ts';
import { request } from '../../api/client.ts';

/* Typed calls for the questionnaire pages (kept beside them rather than in api/endpoints.ts, which other pages share). */

export type PublicQuestionnaire = z.infer<typeof publicQuestionnaire>;
export type CaseQuestionnairesData = z.infer<typeof caseQuestionnaires>;
export type CreatedLink = z.infer<typeof createdLink>;

const publicPath = (token: string): string => `/public/questionnaires/${encodeURIComponent(token)}`;

export const questionnaireApi = {
  // The parent's side: no session, so no CSRF token, and a 401 is not "your session ended".
  open: (token: string) => request('GET', publicPath(token), { schema: publicQuestionnaire, withoutCsrf: true }),
  save: (token: string, answers: Answers) => request('PUT', publicPath(token), { body: { answers }, schema: savedAnswers, withoutCsrf: true }),
  submit: (token: string, answers: Answers) => request('POST', publicPath(token), { body: { answers }, schema: submittedQuestionnaire, withoutCsrf: true }),

  forms: () => request('GET', '/measures/questionnaire-forms', { schema: questionnaireFormList }),
  ofCase: (caseId: string) => request('GET', `/cases/${caseId}/questionnaires`, { schema: caseQuestionnaires }),
  createLink: (caseId: string, body: { personId: string; instrumentId: string; timepoint: Timepoint; subjectPersonId?: string | undefined }) =>
    request('POST', `/cases/${caseId}/questionnaire-links`, { body, schema: createdLink }),
  enterPaper: (
    caseId: string,
    body: { personId: string; instrumentId: string; timepoint: Timepoint; subjectPersonId?: string | undefined; completedOn: string; responses: Answers; secondEntry?: Answers | undefined },
  ) => request('POST', `/cases/${caseId}/paper-forms`, { body, schema: administrationSummary }),
  cancelLink: (caseId: string, linkId: string) => request('POST', `/cases/${caseId}/questionnaire-links/${linkId}/cancel`, { schema: cancelledLink }),
  administration: (caseId: string, administrationId: string) => request('GET', `/cases/${caseId}/administrations/${administrationId}`, { schema: administrationDetail }),
  correct: (caseId: string, administrationId: string, body: { completedOn: string; responses: Answers; reason: string; version: number }) =>
    request('PUT', `/cases/${caseId}/administrations/${administrationId}`, { body, schema: administrationSummary }),
  schedule: (programmeId: string) => request('GET', `/programmes/${programmeId}/measurement-schedule`, { schema: programmeSchedule }),
  saveSchedule: (programmeId: string, body: z.input<typeof setScheduleBody>) => request('PUT', `/programmes/${programmeId}/measurement-schedule`, { body, schema: programmeSchedule }),
};
