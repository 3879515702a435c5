import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { programmesOverview } from '../../../shared/contracts/programmes-overview.ts';
import { errorBodySchema } from '../../../shared/errors.ts';
import type { Db } from '../../db.ts';
import { requireActor } from '../../platform/http/access.ts';
import { programmesOverviewFor } from './overview.service.ts';

export const overviewRoutes =
  (db: Db): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/programmes-overview',
      {
        config: { access: 'manage:groups' },
        schema: {
          tags: ['groups'],
          summary: "The service manager's overview across sites: groups by site and state, places, the waiting list, drop-out risk, uncovered sessions, facilitators' load",
          response: { 200: programmesOverview, 401: errorBodySchema, 403: errorBodySchema },
        },
      },
      async (request) => programmesOverviewFor(db, requireActor(request)),
    );
  };
