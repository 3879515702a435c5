import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { reportQuery, reportSchema } from '../../../shared/contracts/evaluation.ts';
import { errorBodySchema } from '../../../shared/errors.ts';
import type { Db } from '../../db.ts';
import { scopeOf } from '../../platform/http/actor.ts';
import { requireActor } from '../../platform/http/access.ts';
import { describeSession } from '../identity/index.ts';
import { renderReport } from './render/export.ts';
import { produceReport, type ReportFormat } from './report/report.service.ts';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema };
const download = z.unknown().describe('The report file (HTML, PDF or CSV)');

/** GET /api/evaluation/report (JSON) and the .html / .pdf / .csv downloads: thin, one service call each. */
export const evaluationRoutes =
  (db: Db, options: { minCellSize: number }): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/evaluation/report',
      {
        config: { access: 'view:evaluation' },
        schema: {
          tags: ['evaluation'],
          summary: 'The outcomes report of the current organisation (aggregates; small numbers suppressed for commissioners)',
          querystring: reportQuery,
          response: { 200: reportSchema, ...errors },
        },
      },
      async (request) => {
        const actor = requireActor(request);
        const { report } = await produceReport(db, { scope: scopeOf(actor), actor }, { filters: request.query, format: 'json', minCellSize: options.minCellSize, via: 'http' });
        return report;
      },
    );

    for (const format of ['html', 'pdf', 'csv'] as const satisfies readonly ReportFormat[]) {
      app.get(
        `/api/evaluation/report.${format}`,
        {
          config: { access: 'view:evaluation' },
          schema: {
            tags: ['evaluation'],
            summary: `The outcomes report as a ${format.toUpperCase()} download`,
            querystring: reportQuery,
            produces: [format === 'pdf' ? 'application/pdf' : format === 'csv' ? 'text/csv' : 'text/html'],
            response: { 200: download, ...errors },
          },
        },
        async (request, reply) => {
          const actor = requireActor(request);
          const result = await produceReport(db, { scope: scopeOf(actor), actor }, { filters: request.query, format, minCellSize: options.minCellSize, via: 'http' });
          const organisationName = format === 'csv' ? '' : ((await describeSession(db, actor)).currentOrganisation?.name ?? '');
          const rendered = await renderReport(result, format, organisationName);
          const date = result.report.generated_at.slice(0, 10);
          return reply
            .header('content-type', rendered.contentType)
            .header('content-disposition', `attachment; filename="outcomes-report-${date}.${rendered.extension}"`)
            .header('cache-control', 'no-store')
            .send(rendered.body);
        },
      );
    }
  };
