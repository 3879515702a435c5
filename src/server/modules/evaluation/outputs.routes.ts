import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  caseScoresSchema,
  funderReturnBody,
  funderReturnList,
  funderReturnParams,
  funderReturnSchema,
  funderReturnUpdateBody,
  produceReturnQuery,
  pseudonymisedExportQuery,
  reportPageSchema,
} from '../../../shared/contracts/evaluation-outputs.ts';
import { reportQuery } from '../../../shared/contracts/evaluation.ts';
import { errorBodySchema } from '../../../shared/errors.ts';
import type { Db } from '../../db.ts';
import { requireActor } from '../../platform/http/access.ts';
import { scopeOf } from '../../platform/http/actor.ts';
import { describeSession } from '../identity/index.ts';
import { pseudonymisedExport } from './export/pseudonymised.service.ts';
import { caseScores } from './outputs/person-scores.service.ts';
import { produceReportPage } from './outputs/report-page.service.ts';
import { createReturn, getReturn, listReturns, produceReturn, updateReturn } from './returns/returns.service.ts';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };
const download = z.unknown().describe('The file');
const caseIdParams = z.object({ caseId: z.uuid({ message: 'must be a case id' }) });

/**
 * What people see and take away beyond the report JSON (issue 6 items 3, 5, 6): the report page with its charts,
 * a participant's own chart, the evaluators' pseudonymised export and funders' saved returns. Thin: one service
 * call each.
 */
export const evaluationOutputsRoutes =
  (db: Db, options: { minCellSize: number }): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/evaluation/report/page',
      {
        config: { access: 'view:evaluation' },
        schema: {
          tags: ['evaluation'],
          summary: 'The outcomes report with its charts as SVG and the filter choices (the report page)',
          querystring: reportQuery,
          response: { 200: reportPageSchema, ...errors },
        },
      },
      async (request) => {
        const actor = requireActor(request);
        return produceReportPage(db, { scope: scopeOf(actor), actor }, request.query, options.minCellSize);
      },
    );

    app.get(
      '/api/cases/:caseId/scores',
      {
        config: { access: 'view:case' },
        schema: {
          tags: ['evaluation'],
          summary: "Each parent's headline questionnaire scores over time with the cut-off and reliable-change band (audited per person)",
          params: caseIdParams,
          response: { 200: caseScoresSchema, ...errors },
        },
      },
      async (request) => caseScores(db, requireActor(request), request.params.caseId),
    );

    app.get(
      '/api/evaluation/pseudonymised.csv',
      {
        config: { access: 'export:pseudonymised' },
        schema: {
          tags: ['evaluation'],
          summary: 'One row per questionnaire with item answers and scores; people replaced by keys specific to this export, dates to the month (audited)',
          querystring: pseudonymisedExportQuery,
          produces: ['text/csv'],
          response: { 200: download, ...errors },
        },
      },
      async (request, reply) => {
        const result = await pseudonymisedExport(db, requireActor(request), request.query);
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="pseudonymised-${new Date().toISOString().slice(0, 10)}.csv"`)
          .header('cache-control', 'no-store')
          .send(result.csv);
      },
    );

    app.get(
      '/api/evaluation/returns',
      { config: { access: 'manage:returns' }, schema: { tags: ['evaluation'], summary: "Funders' saved returns", response: { 200: funderReturnList, ...errors } } },
      async (request) => ({ returns: await listReturns(db, requireActor(request)) }),
    );
    app.post(
      '/api/evaluation/returns',
      {
        config: { access: 'manage:returns' },
        schema: { tags: ['evaluation'], summary: "Save a funder's return (which questionnaires, period and breakdowns)", body: funderReturnBody, response: { 201: funderReturnSchema, ...errors } },
      },
      async (request, reply) => reply.code(201).send(await createReturn(db, requireActor(request), request.body)),
    );
    app.get(
      '/api/evaluation/returns/:funderReturnId',
      {
        config: { access: 'manage:returns' },
        schema: { tags: ['evaluation'], summary: "One funder's return", params: funderReturnParams, response: { 200: funderReturnSchema, ...errors } },
      },
      async (request) => getReturn(db, requireActor(request), request.params.funderReturnId),
    );
    app.put(
      '/api/evaluation/returns/:funderReturnId',
      {
        config: { access: 'manage:returns' },
        schema: { tags: ['evaluation'], summary: "Change a funder's return", params: funderReturnParams, body: funderReturnUpdateBody, response: { 200: funderReturnSchema, ...errors } },
      },
      async (request) => updateReturn(db, requireActor(request), request.params.funderReturnId, request.body),
    );
    for (const format of ['pdf', 'html', 'csv'] as const) {
      app.get(
        `/api/evaluation/returns/:funderReturnId/report.${format}`,
        {
          config: { access: 'manage:returns' },
          schema: {
            tags: ['evaluation'],
            summary: `A funder's return for one quarter as a ${format.toUpperCase()} download (small numbers suppressed, as funders see reports)`,
            params: funderReturnParams,
            querystring: produceReturnQuery,
            produces: [format === 'pdf' ? 'application/pdf' : format === 'csv' ? 'text/csv' : 'text/html'],
            response: { 200: download, ...errors },
          },
        },
        async (request, reply) => {
          const actor = requireActor(request);
          const organisationName = (await describeSession(db, actor)).currentOrganisation?.name ?? '';
          const produced = await produceReturn(db, actor, request.params.funderReturnId, { quarter: request.query.quarter, format, minCellSize: options.minCellSize, organisationName });
          const slug = produced.definition.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'return';
          return reply
            .header('content-type', produced.rendered.contentType)
            .header('content-disposition', `attachment; filename="${slug}-${produced.period.quarter}.${produced.rendered.extension}"`)
            .header('cache-control', 'no-store')
            .send(produced.rendered.body);
        },
      );
    }
  };
