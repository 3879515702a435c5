import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { bookCrecheBody, crecheBookingIdParams, crecheRegisterBody, crecheSession, crecheStaffBody, updateCrecheBookingBody } from '../../../shared/contracts/creche.ts';
import { sessionIdParams } from '../../../shared/contracts/programmes.ts';
import { errorBodySchema } from '../../../shared/errors.ts';
import type { Db } from '../../db.ts';
import { requireActor } from '../../platform/http/access.ts';
import { bookCreche, getCreche, rosterCrecheStaff, saveCrecheRegister, updateCrecheBooking } from './creche.service.ts';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };
const tags = ['groups'];

export const crecheRoutes =
  (db: Db): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/sessions/:sessionId/creche',
      {
        config: { access: 'view:creche' },
        schema: { tags, summary: "A session's crèche: staff, the ratio by age band, booked children (health notes for its staff only), the register", params: sessionIdParams, response: { 200: crecheSession, ...errors } },
      },
      async (request) => getCreche(db, requireActor(request), request.params.sessionId),
    );
    app.post(
      '/api/sessions/:sessionId/creche/bookings',
      {
        config: { access: 'book:creche' },
        schema: { tags, summary: 'Book a child into the crèche (optionally every later session too); over ratio is refused', params: sessionIdParams, body: bookCrecheBody, response: { 201: crecheSession, ...errors } },
      },
      async (request, reply) => reply.status(201).send(await bookCreche(db, requireActor(request), request.params.sessionId, request.body)),
    );
    app.patch(
      '/api/creche-bookings/:crecheBookingId',
      {
        config: { access: 'book:creche' },
        schema: { tags, summary: "Correct a booked child's needs, allergies, medical notes or consent, or cancel the booking", params: crecheBookingIdParams, body: updateCrecheBookingBody, response: { 200: crecheSession, ...errors } },
      },
      async (request) => updateCrecheBooking(db, requireActor(request), request.params.crecheBookingId, request.body),
    );
    app.put(
      '/api/sessions/:sessionId/creche/staff',
      {
        config: { access: 'manage:groups' },
        schema: { tags, summary: "Roster a session's crèche staff; fewer than the booked children need is refused", params: sessionIdParams, body: crecheStaffBody, response: { 200: crecheSession, ...errors } },
      },
      async (request) => rosterCrecheStaff(db, requireActor(request), request.params.sessionId, request.body),
    );
    app.put(
      '/api/sessions/:sessionId/creche/register',
      {
        config: { access: 'take:attendance' },
        schema: { tags, summary: 'Save the crèche register (present, collected by) with its version; its rostered staff or a manager', params: sessionIdParams, body: crecheRegisterBody, response: { 200: crecheSession, ...errors } },
      },
      async (request) => saveCrecheRegister(db, requireActor(request), request.params.sessionId, request.body),
    );
  };
