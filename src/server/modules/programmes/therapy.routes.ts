import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { uuid } from '../../../shared/contracts/common.ts';
import {
  bookSeriesBody,
  diary,
  diaryQuery,
  outcomeBody,
  rescheduleBody,
  therapyAppointmentIdParams,
  therapySeriesDetail,
  therapySeriesIdParams,
  therapySeriesList,
  therapySeriesQuery,
  therapistAvailability,
  therapistAvailabilityBody,
  therapistIdParams,
} from '../../../shared/contracts/therapy.ts';
import { errorBodySchema } from '../../../shared/errors.ts';
import type { Db } from '../../db.ts';
import { requireActor } from '../../platform/http/access.ts';
import { bookSeries, getAvailability, getSeries, setAvailability, listSeries, recordOutcome, rescheduleAppointment, therapistDiary } from './therapy.service.ts';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };
const tags = ['therapy'];

export const therapyRoutes =
  (db: Db): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/therapy-series',
      { config: { access: 'view:groups' }, schema: { tags, summary: 'Therapy series (a therapist sees their own; a case worker those of their cases)', querystring: therapySeriesQuery, response: { 200: therapySeriesList, ...errors } } },
      async (request) => ({ series: await listSeries(db, requireActor(request), request.query) }),
    );
    app.post(
      '/api/cases/:caseId/therapy-series',
      {
        config: { access: 'manage:groups' },
        schema: {
          tags,
          summary: "Book a consultation or a series of up to 20 weekly appointments with one therapist; refused whole on a clash with the therapist's diary",
          params: z.object({ caseId: uuid }),
          body: bookSeriesBody,
          response: { 201: therapySeriesDetail, ...errors },
        },
      },
      async (request, reply) => reply.status(201).send(await bookSeries(db, requireActor(request), request.params.caseId, request.body)),
    );
    app.get(
      '/api/therapy-series/:therapySeriesId',
      { config: { access: 'view:groups' }, schema: { tags, summary: "A series: its appointments with their moves and outcomes, and the case's therapy dose", params: therapySeriesIdParams, response: { 200: therapySeriesDetail, ...errors } } },
      async (request) => getSeries(db, requireActor(request), request.params.therapySeriesId),
    );
    app.post(
      '/api/therapy-appointments/:therapyAppointmentId/reschedule',
      {
        config: { access: 'take:attendance' },
        schema: { tags, summary: "Move one appointment (checked against closures and the therapist's diary); the move is kept", params: therapyAppointmentIdParams, body: rescheduleBody, response: { 200: therapySeriesDetail, ...errors } },
      },
      async (request) => rescheduleAppointment(db, requireActor(request), request.params.therapyAppointmentId, request.body),
    );
    app.post(
      '/api/therapy-appointments/:therapyAppointmentId/outcome',
      {
        config: { access: 'take:attendance' },
        schema: { tags, summary: 'Record attended, did not attend, or a cancellation by the family (late within a day) or by the service', params: therapyAppointmentIdParams, body: outcomeBody, response: { 200: therapySeriesDetail, ...errors } },
      },
      async (request) => recordOutcome(db, requireActor(request), request.params.therapyAppointmentId, request.body),
    );
    app.get(
      '/api/diary',
      { config: { access: 'view:groups' }, schema: { tags, summary: "A therapist's diary: appointments and group sessions between two dates", querystring: diaryQuery, response: { 200: diary, ...errors } } },
      async (request) => therapistDiary(db, requireActor(request), request.query),
    );
    app.get(
      '/api/therapists/:userId/availability',
      {
        config: { access: 'take:attendance' },
        schema: { tags, summary: "A therapist's weekly availability (a therapist reads their own; a manager anyone's)", params: therapistIdParams, response: { 200: therapistAvailability, ...errors } },
      },
      async (request) => getAvailability(db, requireActor(request), request.params.userId),
    );
    app.put(
      '/api/therapists/:userId/availability',
      {
        config: { access: 'take:attendance' },
        schema: {
          tags,
          summary: "Replace a therapist's whole week of availability; bookings outside it then need a reason",
          params: therapistIdParams,
          body: therapistAvailabilityBody,
          response: { 200: therapistAvailability, ...errors },
        },
      },
      async (request) => setAvailability(db, requireActor(request), request.params.userId, request.body),
    );
  };
