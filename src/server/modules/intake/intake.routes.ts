import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  orgSlugParams,
  publicReferralBody,
  publicReferralForm as publicReferralFormSchema,
  referralDecisionBody,
  referralDetail,
  referralIdParams,
  referralList,
  referralQuery,
  referralReceipt,
  staffReferralBody,
} from '../../../shared/contracts/journey.ts';
import { errorBodySchema } from '../../../shared/errors.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db.ts';
import { requireActor } from '../../platform/http/access.ts';
import { decideReferral, getReferral, listReferrals, publicReferralForm, submitPublicReferral, submitStaffReferral } from './intake.service.ts';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema, 413: errorBodySchema, 429: errorBodySchema };

/** A referral is a few kilobytes; anything much larger is not a referral. */
const PUBLIC_BODY_LIMIT = 64 * 1024;

export const intakeRoutes =
  (db: Db, config: Config): FastifyPluginAsyncZod =>
  async (app) => {
    const publicRate = { max: config.authRatePerMinute, timeWindow: '1 minute' };
    app.get(
      '/api/public/referral-forms/:orgSlug',
      {
        config: { access: 'public', rateLimit: publicRate },
        schema: { tags: ['intake'], summary: "An organisation's public referral form: its name and the programmes taking referrals", params: orgSlugParams, response: { 200: publicReferralFormSchema, ...errors } },
      },
      async (request) => publicReferralForm(db, request.params.orgSlug),
    );
    app.post(
      '/api/public/referral-forms/:orgSlug',
      {
        config: { access: 'public', rateLimit: publicRate },
        bodyLimit: PUBLIC_BODY_LIMIT,
        schema: { tags: ['intake'], summary: 'Send a referral (self-referral or a professional) without signing in', params: orgSlugParams, body: publicReferralBody, response: { 201: referralReceipt, ...errors } },
      },
      async (request, reply) =>
        reply.status(201).send(
          await submitPublicReferral(db, { slug: request.params.orgSlug, submission: request.body.submission, honeypot: request.body.website, ip: request.ip }),
        ),
    );
    app.post(
      '/api/referrals',
      {
        config: { access: 'create:referral' },
        bodyLimit: PUBLIC_BODY_LIMIT,
        schema: { tags: ['intake'], summary: 'Enter an agency referral', body: staffReferralBody, response: { 201: referralDetail, ...errors } },
      },
      async (request, reply) => reply.status(201).send(await submitStaffReferral(db, requireActor(request), request.body.submission)),
    );
    app.get(
      '/api/referrals',
      { config: { access: 'view:referrals' }, schema: { tags: ['intake'], summary: 'The triage queue', querystring: referralQuery, response: { 200: referralList, ...errors } } },
      async (request) => ({ referrals: await listReferrals(db, requireActor(request), request.query.status) }),
    );
    app.get(
      '/api/referrals/:referralId',
      {
        config: { access: 'view:referrals' },
        schema: { tags: ['intake'], summary: 'A referral with its eligibility check and possible duplicates', params: referralIdParams, response: { 200: referralDetail, ...errors } },
      },
      async (request) => getReferral(db, requireActor(request), request.params.referralId),
    );
    app.post(
      '/api/referrals/:referralId/decision',
      {
        config: { access: 'triage:referral' },
        schema: { tags: ['intake'], summary: 'Accept, decline, wait-list or redirect a referral', params: referralIdParams, body: referralDecisionBody, response: { 200: referralDetail, ...errors } },
      },
      async (request) => decideReferral(db, requireActor(request), request.params.referralId, request.body),
    );
  };
