import type { ErrorCode } from '../../../shared/errors.ts';

export type FieldProblem = { path: string; message: string };

/** The one error type the application throws on purpose; the error handler turns it into an HTTP answer. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields: FieldProblem[] | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(code: ErrorCode, message: string, options: { fields?: FieldProblem[]; headers?: Record<string, string> } = {}) {
    super(message);
    this.code = code;
    this.fields = options.fields;
    this.headers = options.headers;
  }
}

export const statusOf: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  too_many_requests: 429,
  internal: 500,
};

export const notFound = (what: string): AppError => new AppError('not_found', `${what} not found`);
export const staleVersion = (what: string): AppError =>
  new AppError('conflict', `${what} was changed by someone else since you opened it; reload and try again`);
export const badField = (path: string, message: string): AppError =>
  new AppError('bad_request', `${path}: ${message}`, { fields: [{ path, message }] });
