import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { importCsvBody, importQuery, importResult } from '../../../shared/contracts/measures.ts';
import { errorBodySchema } from '../../../shared/errors.ts';
import type { Db } from '../../db.ts';
import { requireActor } from '../../platform/http/access.ts';
import { AppError } from '../../platform/http/app-error.ts';
import { formatProblem } from './import-rows.ts';
import { importAdministrationCsv } from './import.service.ts';
import { instrumentsRoutes } from './instruments.routes.ts';
import { questionnairesRoutes } from './questionnaires.routes.ts';

/** Uploads are bigger than the 1 MB JSON limit: about 60,000 rows of CORE-10 fit in 20 MB. */
export const IMPORT_BODY_LIMIT = 20 * 1024 * 1024;

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 413: errorBodySchema, 415: errorBodySchema };

export const measuresRoutes =
  (db: Db): FastifyPluginAsyncZod =>
  async (app) => {
    // Scoped to this plugin: only the import routes accept CSV bodies.
    app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: IMPORT_BODY_LIMIT }, (_request, body, done) => done(null, body));

    app.post(
      '/api/measures/imports',
      {
        bodyLimit: IMPORT_BODY_LIMIT,
        config: { access: 'import:administrations' },
        schema: {
          tags: ['measures'],
          summary: 'Import questionnaire administrations from a CSV file (dryRun=true previews the problems and counts)',
          consumes: ['text/csv'],
          querystring: importQuery,
          body: importCsvBody,
          response: { 200: importResult, ...errors },
        },
      },
      async (request) => {
        const actor = requireActor(request);
        const organisationId = actor.organisationId;
        if (!organisationId) throw new AppError('forbidden', 'Choose an organisation first');
        const { dryRun, skipInvalid, fileName } = request.query;
        const outcome = await importAdministrationCsv(
          db,
          { organisationId, userId: actor.userId, ip: actor.ip, via: 'web' },
          { name: fileName, content: request.body },
          { dryRun, skipInvalid },
        );
        if (outcome.status === 'refused') {
          const rows = new Set(outcome.problems.map((problem) => problem.line)).size;
          throw new AppError(
            'bad_request',
            `Nothing was imported: ${rows === 1 ? '1 line has' : `${rows} lines have`} problems. Correct them, or import with skipInvalid=true to leave those rows out.`,
            { fields: outcome.problems.map((problem) => ({ path: `line ${problem.line}, ${problem.column}`, message: formatProblem(problem) })) },
          );
        }
        return {
          status: outcome.status,
          batchId: outcome.batchId,
          rowsTotal: outcome.rowsTotal,
          inserted: outcome.inserted,
          updated: outcome.updated,
          unchanged: outcome.unchanged,
          rejected: outcome.rejected,
          problems: outcome.problems,
        };
      },
    );

    // Links for parents, paper entry and the case's questionnaires (issue 4 items 5–7).
    await app.register(questionnairesRoutes(db));
    // The instrument library, organisations' own instruments and FHIR (issue 4 items 1–2).
    await app.register(instrumentsRoutes(db));
  };
