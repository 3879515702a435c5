import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sessionIdParams } from '../../../shared/contracts/programmes.ts';
import { raiseSessionConcernBody, saveSessionRecordBody, sessionRecord } from '../../../shared/contracts/session-records.ts';
import { errorBodySchema } from '../../../shared/errors.ts';
import type { Db } from '../../db.ts';
import { requireActor } from '../../platform/http/access.ts';
import { getSessionRecord, raiseConcern, saveSessionRecord } from './session-record.service.ts';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };
const tags = ['groups'];

export const sessionRecordRoutes =
  (db: Db): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/sessions/:sessionId/record',
      {
        config: { access: 'take:attendance' },
        schema: { tags, summary: "A session's record: the fidelity checklist from its curriculum, the facilitators' notes, concerns raised", params: sessionIdParams, response: { 200: sessionRecord, ...errors } },
      },
      async (request) => getSessionRecord(db, requireActor(request), request.params.sessionId),
    );
    app.put(
      '/api/sessions/:sessionId/record',
      {
        config: { access: 'take:attendance' },
        schema: { tags, summary: 'Save the fidelity checklist and notes with the version (0 for the first save)', params: sessionIdParams, body: saveSessionRecordBody, response: { 200: sessionRecord, ...errors } },
      },
      async (request) => saveSessionRecord(db, requireActor(request), request.params.sessionId, request.body),
    );
    app.post(
      '/api/sessions/:sessionId/concerns',
      {
        config: { access: 'take:attendance' },
        schema: { tags, summary: "Raise a safeguarding concern about a family from the session: a flag in the journey's safeguarding flow", params: sessionIdParams, body: raiseSessionConcernBody, response: { 201: sessionRecord, ...errors } },
      },
      async (request, reply) => reply.status(201).send(await raiseConcern(db, requireActor(request), request.params.sessionId, request.body)),
    );
  };
