import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { ErrorBody, ErrorCode } from '../../../shared/errors.ts';
import { AppError, statusOf, type FieldProblem } from './app-error.ts';

const codeForStatus = (status: number): ErrorCode => {
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 413) return 'payload_too_large';
  if (status === 429) return 'too_many_requests';
  if (status >= 500) return 'internal';
  return 'bad_request';
};

const send = (reply: FastifyReply, status: number, body: ErrorBody): FastifyReply => reply.status(status).type('application/json').send(body);

/** Field paths read like `body.email` or `query.from`, the same names the web app puts next to its inputs. */
const contextName = (context: string | undefined): string => (context === 'querystring' ? 'query' : (context ?? 'body'));

export const errorHandler = (error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
  if (error instanceof AppError) {
    if (error.headers) reply.headers(error.headers);
    return send(reply, statusOf[error.code], {
      error: { code: error.code, message: error.message, ...(error.fields ? { fields: error.fields } : {}) },
    });
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const context = contextName((error as { validationContext?: string }).validationContext);
    const fields: FieldProblem[] = error.validation.map((v) => {
      const path = [context, ...v.instancePath.split('/').filter(Boolean)].join('.');
      return { path, message: v.message ?? 'is not valid' };
    });
    const summary = fields.map((f) => `${f.path} ${f.message}`).join('; ');
    return send(reply, 400, { error: { code: 'bad_request', message: `Some details need correcting: ${summary}`, fields } });
  }
  if (isResponseSerializationError(error)) {
    request.log.error({ err: error }, 'response did not match its schema');
    return send(reply, 500, { error: { code: 'internal', message: 'Something went wrong on our side', requestId: String(request.id) } });
  }
  const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
  if (status >= 400 && status < 500) {
    // Fastify's own client errors (bad JSON, body too large, wrong content type) carry safe messages.
    return send(reply, status, { error: { code: codeForStatus(status), message: error.message } });
  }
  request.log.error({ err: error }, 'unhandled error');
  return send(reply, 500, { error: { code: 'internal', message: 'Something went wrong on our side', requestId: String(request.id) } });
};
