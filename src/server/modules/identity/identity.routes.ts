import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { okSchema } from '../../../shared/contracts/common.ts';
import {
  createUserBody,
  createUserResult,
  passwordResetRequestBody,
  sessionInfo,
  signInBody,
  signInResult,
  staffList,
  staffMember,
  switchOrganisationBody,
  tokenPasswordBody,
  totpConfirmBody,
  totpSetup,
  updateUserBody,
  userIdParams,
} from '../../../shared/contracts/identity.ts';
import { errorBodySchema } from '../../../shared/errors.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db.ts';
import { requireActor, SESSION_COOKIE } from '../../platform/http/access.ts';
import {
  completeTokenPassword,
  confirmTotp,
  describeSession,
  requestPasswordReset,
  signIn,
  signOut,
  startTotpSetup,
  switchOrganisation,
} from './session.service.ts';
import { createStaffMember, getStaffMember, listStaff, updateStaffMember } from './users.service.ts';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema, 429: errorBodySchema };
const noContent = z.null().describe('No content');

export const baseUrlOf = (config: Config, request: FastifyRequest): string => config.publicUrl ?? `${request.protocol}://${request.host}`;

export const identityRoutes =
  (db: Db, config: Config): FastifyPluginAsyncZod =>
  async (app) => {
    const authRate = { max: config.authRatePerMinute, timeWindow: '1 minute' };
    const setSessionCookie = (request: FastifyRequest, reply: FastifyReply, token: string): void => {
      reply.setCookie(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: request.protocol === 'https',
        maxAge: config.sessionAbsoluteHours * 3600,
      });
    };

    app.post(
      '/api/auth/sign-in',
      {
        config: { access: 'public', rateLimit: authRate },
        schema: { tags: ['identity'], summary: 'Sign in with email and password (and a TOTP code when turned on)', body: signInBody, response: { 200: signInResult, ...errors } },
      },
      async (request, reply) => {
        const outcome = await signIn(
          db,
          { ...request.body, ip: request.ip, userAgent: request.headers['user-agent'] ?? null },
          config,
        );
        if (outcome.status === 'totp_required') return { status: 'totp_required' as const };
        setSessionCookie(request, reply, outcome.token);
        return { status: 'signed_in' as const, session: await describeSession(db, outcome.actor) };
      },
    );

    app.post(
      '/api/auth/sign-out',
      { config: { access: 'signed_in' }, schema: { tags: ['identity'], summary: 'End this session', response: { 204: noContent, ...errors } } },
      async (request, reply) => {
        await signOut(db, requireActor(request));
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/api/session',
      { config: { access: 'signed_in' }, schema: { tags: ['identity'], summary: 'The signed-in person, their organisations and permissions', response: { 200: sessionInfo, ...errors } } },
      async (request) => describeSession(db, requireActor(request)),
    );

    app.post(
      '/api/session/organisation',
      {
        config: { access: 'signed_in' },
        schema: { tags: ['identity'], summary: 'Switch the current organisation', body: switchOrganisationBody, response: { 200: sessionInfo, ...errors } },
      },
      async (request) => describeSession(db, await switchOrganisation(db, requireActor(request), request.body.organisationId)),
    );

    app.post(
      '/api/auth/password-reset/request',
      {
        config: { access: 'public', rateLimit: authRate },
        schema: { tags: ['identity'], summary: 'Ask for a password reset link (always accepted)', body: passwordResetRequestBody, response: { 202: okSchema, ...errors } },
      },
      async (request, reply) => {
        await requestPasswordReset(db, request.body.email, baseUrlOf(config, request), request.ip);
        return reply.status(202).send({ ok: true });
      },
    );

    app.post(
      '/api/auth/password-reset/complete',
      {
        config: { access: 'public', rateLimit: authRate },
        schema: { tags: ['identity'], summary: 'Choose a new password with a reset link', body: tokenPasswordBody, response: { 204: noContent, ...errors } },
      },
      async (request, reply) => {
        await completeTokenPassword(db, { ...request.body, purpose: 'password_reset', ip: request.ip });
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/auth/invitations/accept',
      {
        config: { access: 'public', rateLimit: authRate },
        schema: { tags: ['identity'], summary: 'Accept an invitation by choosing a password', body: tokenPasswordBody, response: { 204: noContent, ...errors } },
      },
      async (request, reply) => {
        await completeTokenPassword(db, { ...request.body, purpose: 'invitation', ip: request.ip });
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/auth/totp/setup',
      { config: { access: 'signed_in' }, schema: { tags: ['identity'], summary: 'Start turning on two-step sign-in', response: { 200: totpSetup, ...errors } } },
      async (request) => startTotpSetup(db, requireActor(request)),
    );

    app.post(
      '/api/auth/totp/confirm',
      {
        config: { access: 'signed_in' },
        schema: { tags: ['identity'], summary: 'Finish turning on two-step sign-in with a code', body: totpConfirmBody, response: { 204: noContent, ...errors } },
      },
      async (request, reply) => {
        await confirmTotp(db, requireActor(request), request.body.code);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/api/users',
      { config: { access: 'view:users' }, schema: { tags: ['identity'], summary: "The organisation's staff", response: { 200: staffList, ...errors } } },
      async (request) => ({ users: await listStaff(db, requireActor(request)) }),
    );

    app.post(
      '/api/users',
      {
        config: { access: 'manage:users' },
        schema: { tags: ['identity'], summary: 'Add a person to the organisation (invites them if new)', body: createUserBody, response: { 201: createUserResult, ...errors } },
      },
      async (request, reply) => reply.status(201).send(await createStaffMember(db, requireActor(request), request.body, baseUrlOf(config, request))),
    );

    app.get(
      '/api/users/:userId',
      { config: { access: 'view:users' }, schema: { tags: ['identity'], summary: 'One member of staff', params: userIdParams, response: { 200: staffMember, ...errors } } },
      async (request) => getStaffMember(db, requireActor(request), request.params.userId),
    );

    app.patch(
      '/api/users/:userId',
      {
        config: { access: 'manage:users' },
        schema: { tags: ['identity'], summary: "Change a person's role or deactivate them", params: userIdParams, body: updateUserBody, response: { 200: staffMember, ...errors } },
      },
      async (request) => updateStaffMember(db, requireActor(request), request.params.userId, request.body),
    );
  };
