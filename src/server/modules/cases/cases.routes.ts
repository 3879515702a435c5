import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { allocateBody, caseDetail, caseIdParams, caseList, caseQuery, myWork, stageChangeBody } from '../../../shared/contracts/journey.ts';
import { errorBodySchema } from '../../../shared/errors.ts';
import type { Db } from '../../db.ts';
import { requireActor } from '../../platform/http/access.ts';
import { allocateCase, changeStage, getCase, listCases, myWorkFor } from './cases.service.ts';

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
    app.get(
      '/api/my-work',
      { config: { access: 'view:my_work' }, schema: { tags: ['cases'], summary: 'Tasks due and unread notifications', response: { 200: myWork, ...errors } } },
      async (request) => myWorkFor(db, requireActor(request)),
    );
  };
