import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  assignFacilitatorsBody,
  calendarFeedCreated,
  calendarFeedRevoked,
  calendarFeedStatus,
  calendarTokenParams,
  createGroupBody,
  groupDetail,
  groupDose,
  groupIdParams,
  groupList,
  groupQuery,
  moveSessionBody,
  placeBody,
  placement,
  placementIdParams,
  register,
  registerSaved,
  saveRegisterBody,
  sessionIdParams,
  updateGroupBody,
  withdrawBody,
} from '../../../shared/contracts/programmes.ts';
import { errorBodySchema } from '../../../shared/errors.ts';
import type { Db } from '../../db.ts';
import { requireActor } from '../../platform/http/access.ts';
import { calendarByToken, createFeed, facilitatorCalendar, feedStatus, revokeFeed } from './calendar.ts';
import { assignFacilitators, createGroup, getGroup, listGroups, moveSession, placeFamily, updateGroup, withdrawPlacement } from './groups.service.ts';
import { getGroupDose, getRegister, saveRegister } from './register.service.ts';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };
const tags = ['groups'];

export const groupsRoutes =
  (db: Db): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/groups',
      { config: { access: 'view:groups' }, schema: { tags, summary: 'Groups with places filled and free (a facilitator sees the groups they run)', querystring: groupQuery, response: { 200: groupList, ...errors } } },
      async (request) => ({ groups: await listGroups(db, requireActor(request), request.query) }),
    );
    app.post(
      '/api/groups',
      {
        config: { access: 'manage:groups' },
        schema: { tags, summary: "Plan a group from a programme's template: weekly sessions from the start date, skipping closures", body: createGroupBody, response: { 201: groupDetail, ...errors } },
      },
      async (request, reply) => reply.status(201).send(await createGroup(db, requireActor(request), request.body)),
    );
    app.get(
      '/api/groups/:groupId',
      { config: { access: 'view:groups' }, schema: { tags, summary: 'A group: sessions, facilitators (rule checked), placements', params: groupIdParams, response: { 200: groupDetail, ...errors } } },
      async (request) => getGroup(db, requireActor(request), request.params.groupId),
    );
    app.patch(
      '/api/groups/:groupId',
      { config: { access: 'manage:groups' }, schema: { tags, summary: 'Rename, change venue or capacity, or move a group to running, finished or cancelled', params: groupIdParams, body: updateGroupBody, response: { 200: groupDetail, ...errors } } },
      async (request) => updateGroup(db, requireActor(request), request.params.groupId, request.body),
    );
    app.put(
      '/api/sessions/:sessionId/facilitators',
      {
        config: { access: 'manage:groups' },
        schema: { tags, summary: "Assign a session's facilitators (the pair rule is checked; a manager may override with a reason)", params: sessionIdParams, body: assignFacilitatorsBody, response: { 200: groupDetail, ...errors } },
      },
      async (request) => assignFacilitators(db, requireActor(request), request.params.sessionId, request.body),
    );
    app.post(
      '/api/sessions/:sessionId/move',
      {
        config: { access: 'manage:groups' },
        schema: { tags, summary: 'Move a session to another date; optionally reschedule every later session weekly from it', params: sessionIdParams, body: moveSessionBody, response: { 200: groupDetail, ...errors } },
      },
      async (request) => moveSession(db, requireActor(request), request.params.sessionId, request.body),
    );
    app.post(
      '/api/groups/:groupId/placements',
      {
        config: { access: 'manage:groups' },
        schema: { tags, summary: 'Place a family (both parents) from the waiting list; the case moves to in service', params: groupIdParams, body: placeBody, response: { 201: placement, ...errors } },
      },
      async (request, reply) => reply.status(201).send(await placeFamily(db, requireActor(request), request.params.groupId, request.body)),
    );
    app.post(
      '/api/placements/:placementId/withdraw',
      {
        config: { access: 'update:case' },
        schema: { tags, summary: 'Record that a family dropped out, with the date and reason; the case is withdrawn', params: placementIdParams, body: withdrawBody, response: { 200: placement, ...errors } },
      },
      async (request) => withdrawPlacement(db, requireActor(request), request.params.placementId, request.body),
    );
    app.get(
      '/api/sessions/:sessionId/register',
      { config: { access: 'take:attendance' }, schema: { tags, summary: "A session's whole register: every participant, the crèche, the statuses", params: sessionIdParams, response: { 200: register, ...errors } } },
      async (request) => getRegister(db, requireActor(request), request.params.sessionId),
    );
    app.put(
      '/api/sessions/:sessionId/register',
      {
        config: { access: 'take:attendance' },
        schema: { tags, summary: 'Save the register in one go with its version; two absences in a row tell the case worker', params: sessionIdParams, body: saveRegisterBody, response: { 200: registerSaved, ...errors } },
      },
      async (request) => saveRegister(db, requireActor(request), request.params.sessionId, request.body),
    );
    app.get(
      '/api/groups/:groupId/dose',
      { config: { access: 'view:groups' }, schema: { tags, summary: 'Dose per participant: sessions attended, attendance rate, absences in a row, completer', params: groupIdParams, response: { 200: groupDose, ...errors } } },
      async (request) => getGroupDose(db, requireActor(request), request.params.groupId),
    );
    app.get(
      '/api/me/calendar.ics',
      {
        config: { access: 'view:groups' },
        schema: {
          tags,
          summary: "The signed-in person's sessions as an iCalendar feed (text/calendar); no family is named in it",
          produces: ['text/calendar'],
          response: { 200: z.string().describe('text/calendar'), ...errors },
        },
      },
      async (request, reply) => reply.type('text/calendar; charset=utf-8').header('content-disposition', 'inline; filename="tandem-sessions.ics"').send(await facilitatorCalendar(db, requireActor(request))),
    );
    app.get(
      '/api/me/calendar-feed',
      { config: { access: 'view:groups' }, schema: { tags, summary: 'Whether you have a live calendar feed URL', response: { 200: calendarFeedStatus, ...errors } } },
      async (request) => feedStatus(db, requireActor(request)),
    );
    app.post(
      '/api/me/calendar-feed',
      {
        config: { access: 'view:groups' },
        schema: { tags, summary: 'A new secret calendar feed URL for calendar apps (shown once); any earlier one stops working', response: { 201: calendarFeedCreated, ...errors } },
      },
      async (request, reply) => reply.status(201).send(await createFeed(db, requireActor(request))),
    );
    app.delete(
      '/api/me/calendar-feed',
      { config: { access: 'view:groups' }, schema: { tags, summary: 'Revoke your calendar feed URL', response: { 200: calendarFeedRevoked, ...errors } } },
      async (request) => revokeFeed(db, requireActor(request)),
    );
    app.get(
      '/api/calendar-feeds/:token',
      {
        // A calendar app polls this with no cookie: the secret in the URL is the credential.
        config: { access: 'public', rateLimit: { max: 60, timeWindow: '1 minute' } },
        schema: {
          tags,
          summary: "A facilitator's sessions and therapy appointments as iCalendar, by the secret feed URL; revoked or unknown is 404",
          params: calendarTokenParams,
          produces: ['text/calendar'],
          response: { 200: z.string().describe('text/calendar'), 404: errorBodySchema, 429: errorBodySchema },
        },
      },
      async (request, reply) => reply.type('text/calendar; charset=utf-8').header('cache-control', 'private, no-store').send(await calendarByToken(db, request.params.token)),
    );
  };
