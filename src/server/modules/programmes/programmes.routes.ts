import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { programmeList } from '../../../shared/contracts/journey.ts';
import { copyProgrammeBody, programmeIdParams, programmeTemplate, templateBody } from '../../../shared/contracts/programmes.ts';
import { errorBodySchema } from '../../../shared/errors.ts';
import type { Db } from '../../db.ts';
import { requireActor } from '../../platform/http/access.ts';
import { listProgrammes } from './programmes.service.ts';
import { copyProgramme, getTemplate, updateTemplate } from './templates.service.ts';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };

export const programmesRoutes =
  (db: Db): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/programmes',
      {
        config: { access: 'view:programmes' },
        schema: { tags: ['programmes'], summary: "The organisation's programmes", response: { 200: programmeList, 401: errorBodySchema, 403: errorBodySchema } },
      },
      async (request) => ({ programmes: await listProgrammes(db, requireActor(request)) }),
    );
    app.get(
      '/api/programmes/:programmeId',
      {
        config: { access: 'view:programmes' },
        schema: { tags: ['programmes'], summary: 'A programme with its template: sessions, curriculum, capacity, crèche, completion rule, attendance labels', params: programmeIdParams, response: { 200: programmeTemplate, ...errors } },
      },
      async (request) => getTemplate(db, requireActor(request), request.params.programmeId),
    );
    app.post(
      '/api/programmes/:programmeId/copy',
      {
        config: { access: 'manage:programmes' },
        schema: { tags: ['programmes'], summary: 'Copy a programme (e.g. a built-in one) to adjust; the copy does not take referrals until enabled', params: programmeIdParams, body: copyProgrammeBody, response: { 201: programmeTemplate, ...errors } },
      },
      async (request, reply) => reply.status(201).send(await copyProgramme(db, requireActor(request), request.params.programmeId, request.body.name)),
    );
    app.put(
      '/api/programmes/:programmeId',
      {
        config: { access: 'manage:programmes' },
        schema: { tags: ['programmes'], summary: "Adjust a programme's template (groups already planned keep their sessions)", params: programmeIdParams, body: templateBody, response: { 200: programmeTemplate, ...errors } },
      },
      async (request) => updateTemplate(db, requireActor(request), request.params.programmeId, request.body),
    );
  };
