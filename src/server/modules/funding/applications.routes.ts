import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  applicationIdParams,
  applicationList,
  applicationQuery,
  applicationRule,
  applicationRules,
  caseApplications,
  caseIdParams,
  changeStatusBody,
  createApplicationBody,
  fundApplication,
  funderIdParams,
  putRuleBody,
  updateApplicationBody,
} from '../../../shared/contracts/fund-applications.ts';
import { errorBodySchema } from '../../../shared/errors.ts';
import type { Db } from '../../db.ts';
import { requireActor } from '../../platform/http/access.ts';
import { onPlacement } from '../programmes/index.ts';
import { checkPlacedFamily } from './applications-start.ts';
import { changeStatus, createApplication, getApplication, getCaseApplications, listApplications, listRules, putRule, updateApplication } from './applications.service.ts';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };
const tags = ['fund applications'];

/**
 * Fund applications' routes. Registering them also registers the placement check: app.ts registers this plugin
 * after the funding routes, so funding's own listener has taken a bought place before this one looks at it.
 */
export const fundApplicationsRoutes =
  (db: Db): FastifyPluginAsyncZod =>
  async (app) => {
    onPlacement('fund-applications', { placed: checkPlacedFamily });
    app.get(
      '/api/cases/:caseId/fund-applications',
      {
        config: { access: 'apply:fund' },
        schema: { tags, summary: "A case's fund applications, with the funders, children, assessments and services to apply with", params: caseIdParams, response: { 200: caseApplications, ...errors } },
      },
      async (request) => getCaseApplications(db, requireActor(request), request.params.caseId),
    );
    app.post(
      '/api/cases/:caseId/fund-applications',
      {
        config: { access: 'apply:fund' },
        schema: { tags, summary: 'Start a draft application in the name of a child or the family', params: caseIdParams, body: createApplicationBody, response: { 201: fundApplication, ...errors } },
      },
      async (request, reply) => reply.status(201).send(await createApplication(db, requireActor(request), request.params.caseId, request.body)),
    );
    app.get(
      '/api/fund-applications',
      {
        config: { access: 'view:fund_applications' },
        schema: { tags, summary: 'Applications per participant (case reference and child number, never names), with totals', querystring: applicationQuery, response: { 200: applicationList, ...errors } },
      },
      async (request) => listApplications(db, requireActor(request), request.query),
    );
    app.get(
      '/api/fund-applications/:applicationId',
      { config: { access: 'apply:fund' }, schema: { tags, summary: 'One application with its history', params: applicationIdParams, response: { 200: fundApplication, ...errors } } },
      async (request) => getApplication(db, requireActor(request), request.params.applicationId),
    );
    app.patch(
      '/api/fund-applications/:applicationId',
      {
        config: { access: 'apply:fund' },
        schema: { tags, summary: 'Correct a draft application', params: applicationIdParams, body: updateApplicationBody, response: { 200: fundApplication, ...errors } },
      },
      async (request) => updateApplication(db, requireActor(request), request.params.applicationId, request.body),
    );
    app.post(
      '/api/fund-applications/:applicationId/status',
      {
        config: { access: 'apply:fund' },
        schema: {
          tags,
          summary: 'Move an application: submit (needs a current assessment and the money within the limit), approve or reject, delivered, claimed, paid, withdrawn',
          params: applicationIdParams,
          body: changeStatusBody,
          response: { 200: fundApplication, ...errors },
        },
      },
      async (request) => changeStatus(db, requireActor(request), request.params.applicationId, request.body),
    );
    app.get(
      '/api/fund-application-rules',
      { config: { access: 'apply:fund' }, schema: { tags, summary: "Each funder's per-child annual limit, assessment months and funding year", response: { 200: applicationRules, ...errors } } },
      async (request) => ({ rules: await listRules(db, requireActor(request)) }),
    );
    app.put(
      '/api/fund-application-rules/:funderId',
      {
        config: { access: 'manage:fund_rules' },
        schema: { tags, summary: "Set a funder's per-child annual limit (e.g. a fair-access limit), assessment months and funding year", params: funderIdParams, body: putRuleBody, response: { 200: applicationRule, ...errors } },
      },
      async (request) => putRule(db, requireActor(request), request.params.funderId, request.body),
    );
  };
