import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditPage, auditQuery } from '../../../shared/contracts/audit.ts';
import { errorBodySchema } from '../../../shared/errors.ts';
import type { Db } from '../../db.ts';
import { requireActor } from '../../platform/http/access.ts';
import { searchAudit } from './audit.service.ts';

export const auditRoutes =
  (db: Db): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/audit',
      {
        config: { access: 'view:audit' },
        schema: {
          tags: ['audit'],
          summary: 'Search the audit trail of the current organisation',
          querystring: auditQuery,
          response: { 200: auditPage, 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema },
        },
      },
      async (request) => searchAudit(db, requireActor(request), request.query),
    );
  };
