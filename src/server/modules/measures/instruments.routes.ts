import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  administrationIdParams,
  fhirQuestionnaire,
  fhirQuestionnaireBody,
  fhirQuestionnaireResponse,
  importQuestionnaireQuery,
  importedInstrument,
  instrumentIdParams,
  instrumentLicenceBody,
  instrumentLicenceResult,
  instrumentLicenceState,
  instrumentList,
  instrumentVersionQuery,
  licenceParams,
} from '../../../shared/contracts/measures.ts';
import { errorBodySchema } from '../../../shared/errors.ts';
import type { Db } from '../../db.ts';
import { requireActor } from '../../platform/http/access.ts';
import { exportAdministrationResponse, exportQuestionnaire, importQuestionnaire, instrumentLicenceState as readLicence, listInstruments, setInstrumentLicence } from './instruments.service.ts';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema, 413: errorBodySchema, 415: errorBodySchema };

/** The instrument library and FHIR (issue 4 items 1–2). */
export const instrumentsRoutes =
  (db: Db): FastifyPluginAsyncZod =>
  async (app) => {
    // FHIR clients send application/fhir+json; it is JSON. Scoped to this plugin.
    app.addContentTypeParser('application/fhir+json', { parseAs: 'string' }, (_request, body, done) => {
      try {
        done(null, JSON.parse(body as string));
      } catch {
        const error = Object.assign(new Error('The body is not valid JSON'), { statusCode: 400 });
        done(error, undefined);
      }
    });

    app.get(
      '/api/measures/instruments',
      {
        config: { access: 'view:programmes' },
        schema: { tags: ['measures'], summary: "The instruments the organisation can use: the built-ins and its own (latest versions)", response: { 200: instrumentList, ...errors } },
      },
      async (request) => ({ instruments: await listInstruments(db, requireActor(request)) }),
    );
    app.get(
      '/api/measures/instruments/:instrumentId/fhir',
      {
        config: { access: 'view:programmes' },
        schema: {
          tags: ['measures'],
          summary: 'An instrument as a FHIR R4 Questionnaire (SDC: weights, calculatedExpression); wording only where the licence allows',
          params: instrumentIdParams,
          querystring: instrumentVersionQuery,
          response: { 200: fhirQuestionnaire, ...errors },
        },
      },
      async (request) => exportQuestionnaire(db, requireActor(request), request.params.instrumentId, request.query.version),
    );
    app.post(
      '/api/measures/instruments/fhir',
      {
        config: { access: 'import:administrations' },
        schema: {
          tags: ['measures'],
          summary: "Import a FHIR R4 Questionnaire as the organisation's own instrument (a changed one becomes a new version)",
          consumes: ['application/fhir+json', 'application/json'],
          querystring: importQuestionnaireQuery,
          body: fhirQuestionnaireBody,
          response: { 200: importedInstrument, 201: importedInstrument, ...errors },
        },
      },
      async (request, reply) => {
        const result = await importQuestionnaire(db, requireActor(request), request.body, { id: request.query.id });
        return reply.status(result.created ? 201 : 200).send(result);
      },
    );
    // Keyed by the built-in instrument (not a record of the organisation's), hence a name without "Id".
    app.get(
      '/api/measures/licences/:instrument',
      {
        config: { access: 'import:administrations' },
        schema: {
          tags: ['measures'],
          summary: "The licensed wording and BCAP key the organisation has loaded for an instrument that ships without wording (to replace them)",
          params: licenceParams,
          response: { 200: instrumentLicenceState, ...errors },
        },
      },
      async (request) => readLicence(db, requireActor(request), request.params.instrument),
    );
    app.put(
      '/api/measures/licences/:instrument',
      {
        config: { access: 'import:administrations' },
        schema: {
          tags: ['measures'],
          summary: "Load the organisation's licensed wording (SDQ, BCAP, SWEMWBS) or the BCAP key; shown only to this organisation, never exported",
          params: licenceParams,
          body: instrumentLicenceBody,
          response: { 200: instrumentLicenceResult, ...errors },
        },
      },
      async (request) => setInstrumentLicence(db, requireActor(request), request.params.instrument, request.body),
    );
    app.get(
      '/api/measures/administrations/:administrationId/fhir',
      {
        config: { access: 'view:case' },
        schema: {
          tags: ['measures'],
          summary: 'A completed administration as a FHIR R4 QuestionnaireResponse (audited)',
          params: administrationIdParams,
          response: { 200: fhirQuestionnaireResponse, ...errors },
        },
      },
      async (request) => exportAdministrationResponse(db, requireActor(request), request.params.administrationId),
    );
  };
