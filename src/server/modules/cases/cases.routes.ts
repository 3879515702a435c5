import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  assessment,
  assessmentIdParams,
  assessmentOutcomeBody,
  bookAssessmentBody,
  flagIdParams,
  flagQuery,
  jointInterviewBody,
  resolveFlagBody,
  riskAssessmentBody,
  riskParams,
  safeguardingFlag,
  safeguardingFlagList,
} from '../../../shared/contracts/assessment.ts';
import {
  allocateBody,
  caseDetail,
  caseIdParams,
  caseList,
  caseQuery,
  myWork,
  notificationIdParams,
  stageChangeBody,
  takeCaseBody,
} from '../../../shared/contracts/journey.ts';
import { errorBodySchema } from '../../../shared/errors.ts';
import type { Db } from '../../db.ts';
import { requireActor } from '../../platform/http/access.ts';
import { bookAssessment, getAssessment, listFlags, recordJointInterview, recordOutcome, recordRiskAssessment, resolveFlag } from './assessment.service.ts';
import { allocateCase, changeStage, getCase, listCases, markNotificationRead, myWorkFor, takeCase } from './cases.service.ts';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };

export const casesRoutes =
  (db: Db): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/cases',
      { config: { access: 'view:case' }, schema: { tags: ['cases'], summary: 'Cases one may see (a caseload; a manager sees all)', querystring: caseQuery, response: { 200: caseList, ...errors } } },
      async (request) => ({ cases: await listCases(db, requireActor(request), request.query) }),
    );
    app.get(
      '/api/cases/:caseId',
      { config: { access: 'view:case' }, schema: { tags: ['cases'], summary: 'A case: the family, its people and its history', params: caseIdParams, response: { 200: caseDetail, ...errors } } },
      async (request) => getCase(db, requireActor(request), request.params.caseId),
    );
    app.post(
      '/api/cases/:caseId/stage',
      {
        config: { access: 'update:case' },
        schema: { tags: ['cases'], summary: 'Move a case to its next stage, with a reason', params: caseIdParams, body: stageChangeBody, response: { 200: caseDetail, ...errors } },
      },
      async (request) => changeStage(db, requireActor(request), request.params.caseId, request.body),
    );
    app.put(
      '/api/cases/:caseId/case-worker',
      {
        config: { access: 'allocate:case' },
        schema: { tags: ['cases'], summary: 'Allocate or reallocate the case worker', params: caseIdParams, body: allocateBody, response: { 200: caseDetail, ...errors } },
      },
      async (request) => allocateCase(db, requireActor(request), request.params.caseId, request.body),
    );
    app.post(
      '/api/cases/:caseId/assessments',
      {
        config: { access: 'book:assessment' },
        schema: { tags: ['cases'], summary: "Book the assessment with facilitators (the programme's pair rule is checked)", params: caseIdParams, body: bookAssessmentBody, response: { 201: assessment, ...errors } },
      },
      async (request, reply) => reply.status(201).send(await bookAssessment(db, requireActor(request), request.params.caseId, request.body)),
    );
    app.get(
      '/api/assessments/:assessmentId',
      { config: { access: 'view:case' }, schema: { tags: ['cases'], summary: 'An assessment with each parent’s risk assessment', params: assessmentIdParams, response: { 200: assessment, ...errors } } },
      async (request) => getAssessment(db, requireActor(request), request.params.assessmentId),
    );
    app.put(
      '/api/assessments/:assessmentId/joint-interview',
      {
        config: { access: 'record:assessment' },
        schema: { tags: ['cases'], summary: 'Record the joint interview', params: assessmentIdParams, body: jointInterviewBody, response: { 200: assessment, ...errors } },
      },
      async (request) => recordJointInterview(db, requireActor(request), request.params.assessmentId, request.body),
    );
    app.put(
      '/api/assessments/:assessmentId/risk/:personId',
      {
        config: { access: 'record:assessment' },
        schema: { tags: ['cases'], summary: "Record one parent's separate risk assessment (and any private disclosure)", params: riskParams, body: riskAssessmentBody, response: { 200: assessment, ...errors } },
      },
      async (request) => recordRiskAssessment(db, requireActor(request), request.params.assessmentId, request.params.personId, request.body),
    );
    app.post(
      '/api/assessments/:assessmentId/outcome',
      {
        config: { access: 'record:assessment' },
        schema: { tags: ['cases'], summary: 'Record the outcome: suitable, suitable with conditions, or not suitable with an onward referral', params: assessmentIdParams, body: assessmentOutcomeBody, response: { 200: assessment, ...errors } },
      },
      async (request) => recordOutcome(db, requireActor(request), request.params.assessmentId, request.body),
    );
    app.get(
      '/api/safeguarding-flags',
      { config: { access: 'view:safeguarding' }, schema: { tags: ['cases'], summary: 'Safeguarding flags', querystring: flagQuery, response: { 200: safeguardingFlagList, ...errors } } },
      async (request) => ({ flags: await listFlags(db, requireActor(request), request.query.status) }),
    );
    app.post(
      '/api/safeguarding-flags/:flagId/resolve',
      {
        config: { access: 'resolve:safeguarding' },
        schema: { tags: ['cases'], summary: 'Resolve a safeguarding flag with a recorded decision (service managers)', params: flagIdParams, body: resolveFlagBody, response: { 200: safeguardingFlag, ...errors } },
      },
      async (request) => resolveFlag(db, requireActor(request), request.params.flagId, request.body),
    );
    app.post(
      '/api/cases/:caseId/take',
      {
        config: { access: 'update:case' },
        schema: { tags: ['cases'], summary: 'Take an unallocated case into one’s own caseload', params: caseIdParams, body: takeCaseBody, response: { 200: caseDetail, ...errors } },
      },
      async (request) => takeCase(db, requireActor(request), request.params.caseId, request.body.version),
    );
    app.post(
      '/api/notifications/:notificationId/read',
      {
        config: { access: 'view:my_work' },
        schema: { tags: ['cases'], summary: 'Mark a notification read', params: notificationIdParams, response: { 204: z.null(), ...errors } },
      },
      async (request, reply) => {
        await markNotificationRead(db, requireActor(request), request.params.notificationId);
        return reply.status(204).send(null);
      },
    );
    app.get(
      '/api/my-work',
      { config: { access: 'view:my_work' }, schema: { tags: ['cases'], summary: 'Tasks due and unread notifications', response: { 200: myWork, ...errors } } },
      async (request) => myWorkFor(db, requireActor(request)),
    );
  };
