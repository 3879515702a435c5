import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { uuid } from '../../../shared/contracts/common.ts';
import {
  administrationDetail,
  administrationParams,
  administrationSummary,
  cancelledLink,
  correctPaperFormBody,
  linkParams,
  caseQuestionnaires,
  createLinkBody,
  createdLink,
  linkTokenParams,
  paperEntryBody,
  programmeSchedule,
  publicQuestionnaire,
  scheduleParams,
  setScheduleBody,
  questionnaireFormList,
  saveAnswersBody,
  savedAnswers,
  submitAnswersBody,
  submittedQuestionnaire,
} from '../../../shared/contracts/questionnaires.ts';
import { errorBodySchema } from '../../../shared/errors.ts';
import type { Db } from '../../db.ts';
import { requireActor } from '../../platform/http/access.ts';
import { administrationDetail as readAdministration, cancelQuestionnaireLink, correctPaperForm } from './corrections.service.ts';
import { openQuestionnaire, saveAnswers, submitQuestionnaire } from './public-questionnaire.service.ts';
import { caseQuestionnaires as listCaseQuestionnaires, createQuestionnaireLink, enterPaperForm, organisationForms, programmeSchedule as readProgrammeSchedule, saveProgrammeSchedule } from './questionnaires.service.ts';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema, 413: errorBodySchema, 429: errorBodySchema };
const caseIdParams = z.object({ caseId: uuid });

/*
 * A parent saves each answer as they go, so a questionnaire of 34 items is 40-odd requests; two people on one
 * household connection could double that. Guessing a 256-bit token is hopeless whatever the limit: this only stops
 * one address hammering the server.
 */
export const PUBLIC_LINK_RATE = { max: 240, timeWindow: '1 minute' };
/** Answers are a few hundred bytes; anything much larger is not answers. */
const PUBLIC_BODY_LIMIT = 16 * 1024;

export const questionnairesRoutes =
  (db: Db, publicRate: { max: number; timeWindow: string } = PUBLIC_LINK_RATE): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/measures/questionnaire-forms',
      {
        config: { access: 'view:case' },
        schema: { tags: ['measures'], summary: "The organisation's questionnaires (built-in and its own) as forms: items, answers, and wording where the licence allows", response: { 200: questionnaireFormList, ...errors } },
      },
      async (request) => ({ forms: await organisationForms(db, requireActor(request)) }),
    );
    app.get(
      '/api/cases/:caseId/questionnaires',
      {
        config: { access: 'view:case' },
        schema: {
          tags: ['measures'],
          summary: "A case's questionnaires: administrations with scores, bands, flags and alerts; links sent; what the schedule expects",
          params: caseIdParams,
          response: { 200: caseQuestionnaires, ...errors },
        },
      },
      async (request) => listCaseQuestionnaires(db, requireActor(request), request.params.caseId),
    );
    app.post(
      '/api/cases/:caseId/questionnaire-links',
      {
        config: { access: 'update:case' },
        schema: {
          tags: ['measures'],
          summary: 'A single-use link for a parent to answer a questionnaire (expires in 14 days; replaces an open link for the same questionnaire)',
          params: caseIdParams,
          body: createLinkBody,
          response: { 201: createdLink, ...errors },
        },
      },
      async (request, reply) => reply.status(201).send(await createQuestionnaireLink(db, requireActor(request), request.params.caseId, request.body)),
    );
    app.post(
      '/api/cases/:caseId/paper-forms',
      {
        config: { access: 'update:case' },
        schema: {
          tags: ['measures'],
          summary: 'Enter a paper questionnaire item by item (with secondEntry: a double-entry check, mismatches listed by item)',
          params: caseIdParams,
          body: paperEntryBody,
          response: { 201: administrationSummary, ...errors },
        },
      },
      async (request, reply) => reply.status(201).send(await enterPaperForm(db, requireActor(request), request.params.caseId, request.body)),
    );
    app.post(
      '/api/cases/:caseId/questionnaire-links/:linkId/cancel',
      {
        config: { access: 'update:case' },
        schema: { tags: ['measures'], summary: 'Cancel an open link: it then works no more', params: linkParams, response: { 200: cancelledLink, ...errors } },
      },
      async (request) => cancelQuestionnaireLink(db, requireActor(request), request.params.caseId, request.params.linkId),
    );
    app.get(
      '/api/cases/:caseId/administrations/:administrationId',
      {
        config: { access: 'view:case' },
        schema: {
          tags: ['measures'],
          summary: "One administration of the case: its answers as keyed, the form, and every correction made to it (audited)",
          params: administrationParams,
          response: { 200: administrationDetail, ...errors },
        },
      },
      async (request) => readAdministration(db, requireActor(request), request.params.caseId, request.params.administrationId),
    );
    app.put(
      '/api/cases/:caseId/administrations/:administrationId',
      {
        config: { access: 'update:case' },
        schema: {
          tags: ['measures'],
          summary: 'Correct a paper form keyed wrongly: rescored, the previous answers kept with the reason, audited',
          params: administrationParams,
          body: correctPaperFormBody,
          response: { 200: administrationSummary, ...errors },
        },
      },
      async (request) => correctPaperForm(db, requireActor(request), request.params.caseId, request.params.administrationId, request.body),
    );
    app.get(
      '/api/programmes/:programmeId/measurement-schedule',
      {
        config: { access: 'view:programmes' },
        schema: {
          tags: ['measures'],
          summary: "A programme's measurement schedule: which questionnaires, for whom, at which timepoints and within which windows",
          params: scheduleParams,
          response: { 200: programmeSchedule, ...errors },
        },
      },
      async (request) => readProgrammeSchedule(db, requireActor(request), request.params.programmeId),
    );
    app.put(
      '/api/programmes/:programmeId/measurement-schedule',
      {
        config: { access: 'manage:programmes' },
        schema: {
          tags: ['measures'],
          summary: "Set a programme's own measurement schedule (replaces the built-in one); stale version → 409",
          params: scheduleParams,
          body: setScheduleBody,
          response: { 200: programmeSchedule, ...errors },
        },
      },
      async (request) => saveProgrammeSchedule(db, requireActor(request), request.params.programmeId, request.body),
    );

    app.get(
      '/api/public/questionnaires/:token',
      {
        config: { access: 'public', rateLimit: publicRate },
        schema: { tags: ['measures'], summary: 'A questionnaire by its link, with the answers saved so far', params: linkTokenParams, response: { 200: publicQuestionnaire, ...errors } },
      },
      async (request) => openQuestionnaire(db, request.params.token, request.ip),
    );
    app.put(
      '/api/public/questionnaires/:token',
      {
        config: { access: 'public', rateLimit: publicRate },
        bodyLimit: PUBLIC_BODY_LIMIT,
        schema: { tags: ['measures'], summary: 'Save answers as they are given (merged; sending the same again changes nothing)', params: linkTokenParams, body: saveAnswersBody, response: { 200: savedAnswers, ...errors } },
      },
      async (request) => saveAnswers(db, request.params.token, request.body.answers, request.ip),
    );
    app.post(
      '/api/public/questionnaires/:token',
      {
        config: { access: 'public', rateLimit: publicRate },
        bodyLimit: PUBLIC_BODY_LIMIT,
        schema: { tags: ['measures'], summary: 'Submit the questionnaire; the link is spent', params: linkTokenParams, body: submitAnswersBody, response: { 200: submittedQuestionnaire, ...errors } },
      },
      async (request) => submitQuestionnaire(db, request.params.token, request.body.answers, request.ip),
    );
  };
