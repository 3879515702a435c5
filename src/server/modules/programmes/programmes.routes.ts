import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { programmeList } from '../../../shared/contracts/journey.ts';
import { errorBodySchema } from '../../../shared/errors.ts';
import type { Db } from '../../db.ts';
import { requireActor } from '../../platform/http/access.ts';
import { listProgrammes } from './programmes.service.ts';

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
  };
