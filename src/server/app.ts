import { existsSync } from 'node:fs';
import { join } from 'node:path';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from './config.ts';
import type { Db } from './db.ts';
import { auditRoutes } from './modules/audit/index.ts';
import { casesRoutes, recordsRoutes } from './modules/cases/index.ts';
import { evaluationOutputsRoutes, evaluationRoutes } from './modules/evaluation/index.ts';
import { identityRoutes, loadSession } from './modules/identity/index.ts';
import { fundApplicationsRoutes, fundingRoutes } from './modules/funding/index.ts';
import { intakeRoutes } from './modules/intake/index.ts';
import { crecheRoutes, groupsRoutes, overviewRoutes, programmesRoutes, sessionRecordRoutes, therapyRoutes } from './modules/programmes/index.ts';
import { measuresRoutes } from './modules/measures/index.ts';
import { registerAccessControl } from './platform/http/access.ts';
import { AppError } from './platform/http/app-error.ts';
import { errorHandler } from './platform/http/error-handler.ts';
import { registerInputGuard } from './platform/http/input-guard.ts';
import { registerSecurityHeaders } from './platform/http/security-headers.ts';
import { storageFor, type FileStorage } from './platform/storage/storage.ts';

/** Where the built web app is served from; TANDEM_WEB_DIST lets parallel test runs each build their own copy. */
export const WEB_DIST = process.env.TANDEM_WEB_DIST ?? new URL('../../dist/web/', import.meta.url).pathname;

export type AppDeps = { db: Db; config: Config; webDir?: string | null; logger?: boolean; storage?: FileStorage };

/** Builds the HTTP application; tests call this and use app.inject(), main.ts calls it and listens. */
export const buildApp = async ({ db, config, webDir = WEB_DIST, logger = false, storage }: AppDeps): Promise<FastifyInstance> => {
  const files = storage ?? (await storageFor(config));
  const app = Fastify({
    logger: logger
      ? {
          level: config.logLevel,
          // Personal data must not reach the logs: bodies are never logged, and these fields are redacted if they slip in.
          redact: ['req.headers.cookie', 'req.headers["x-csrf-token"]', '*.password', '*.email', '*.name', '*.dateOfBirth'],
        }
      : false,
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    genReqId: () => crypto.randomUUID(),
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Tandem API',
        version: '0.1.0',
        description: 'Runs and evaluates family relationship-support services. Every route but the public ones needs a session cookie.',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'tandem_session' } } },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  registerSecurityHeaders(app);
  registerInputGuard(app);
  registerAccessControl(app, (request, token) => loadSession(db, token, request.ip, config));

  app.get(
    '/api/health',
    {
      config: { access: 'public' },
      schema: { tags: ['platform'], summary: 'Is Tandem up and its database reachable', response: { 200: z.object({ status: z.literal('ok') }) } },
    },
    async () => {
      await db.selectNoFrom((eb) => eb.val(1).as('one')).execute();
      return { status: 'ok' as const };
    },
  );
  app.get(
    '/api/openapi.json',
    { config: { access: 'public' }, schema: { hide: true } },
    async () => app.swagger(),
  );

  await app.register(identityRoutes(db, config));
  await app.register(auditRoutes(db));
  await app.register(programmesRoutes(db));
  await app.register(groupsRoutes(db));
  await app.register(therapyRoutes(db));
  await app.register(overviewRoutes(db));
  await app.register(crecheRoutes(db));
  await app.register(sessionRecordRoutes(db));
  await app.register(intakeRoutes(db, config));
  await app.register(casesRoutes(db));
  await app.register(recordsRoutes(db, files));
  await app.register(measuresRoutes(db));
  await app.register(evaluationRoutes(db, { minCellSize: config.minCellSize }));
  await app.register(evaluationOutputsRoutes(db, { minCellSize: config.minCellSize }));
  await app.register(fundingRoutes(db, { minCellSize: config.minCellSize }));
  // After the funding routes: its placement check runs once funding has taken a bought place for the family.
  await app.register(fundApplicationsRoutes(db));

  const haveWeb = webDir !== null && existsSync(join(webDir, 'index.html'));
  if (haveWeb) {
    await app.register(fastifyStatic, { root: webDir, prefix: '/', wildcard: false, index: ['index.html'] });
  }
  app.setNotFoundHandler(async (request, reply) => {
    if (request.url.startsWith('/api') || request.method !== 'GET' || !haveWeb) {
      throw new AppError('not_found', `No such address: ${request.method} ${request.url.split('?')[0]}`);
    }
    // The web app routes on the client: every other page address gets the app's shell.
    return reply.type('text/html').sendFile('index.html');
  });

  return app;
};
