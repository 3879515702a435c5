import type { z } from 'zod';
import { errorBodySchema, type ErrorCode } from '../../shared/errors.ts';

/** A problem with one field, as the server names it: `body.email`, `query.from`. */
export type FieldProblem = { path: string; message: string };

/** Codes the server sends, plus two the client can meet on its own. */
export type ApiErrorCode = ErrorCode | 'network' | 'invalid_response';

/** Every failed call ends in this error, whatever went wrong, so pages have one thing to handle. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly fields: FieldProblem[];
  readonly requestId: string | undefined;

  constructor(status: number, code: ApiErrorCode, message: string, fields: FieldProblem[] = [], requestId?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.requestId = requestId;
  }
}

export const isApiError = (error: unknown): error is ApiError => error instanceof ApiError;

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

type RequestOptions<T> = {
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  /** Validates the answer; leave out for answers with no body (204, 202). */
  schema?: z.ZodType<T>;
  /** Sign-in, password reset and invitations happen before there is a session, so they carry no CSRF token. */
  withoutCsrf?: boolean;
};

let csrfToken: string | null = null;
let onUnauthenticated: (() => void) | null = null;

/** The session's CSRF token, sent back as `X-CSRF-Token` on every write. */
export const setCsrfToken = (token: string | null): void => {
  csrfToken = token;
};

/** Called when a signed-in call answers 401: the session has ended (timed out or revoked elsewhere). */
export const setUnauthenticatedHandler = (handler: (() => void) | null): void => {
  onUnauthenticated = handler;
};

const queryString = (query: RequestOptions<unknown>['query']): string => {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
};

const readJson = async (response: Response): Promise<unknown> => {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

const errorFrom = async (response: Response): Promise<ApiError> => {
  const parsed = errorBodySchema.safeParse(await readJson(response));
  if (parsed.success) {
    const { code, message, fields, requestId } = parsed.data.error;
    return new ApiError(response.status, code, message, fields ?? [], requestId);
  }
  const code: ErrorCode = response.status === 401 ? 'unauthenticated' : response.status >= 500 ? 'internal' : 'bad_request';
  return new ApiError(response.status, code, 'Something went wrong. Try again later.');
};

/** Turns an answer into the result a page expects, or the ApiError it must handle. */
const handle = async <T>(response: Response, schema: z.ZodType<T> | undefined, signedInCall: boolean, path: string): Promise<T> => {
  if (!response.ok) {
    const error = await errorFrom(response);
    if (error.status === 401 && signedInCall && path !== '/session') onUnauthenticated?.();
    throw error;
  }
  if (!schema) return undefined as T;

  const parsed = schema.safeParse(await readJson(response));
  if (!parsed.success) {
    throw new ApiError(response.status, 'invalid_response', 'Tandem sent an answer this page does not understand. Reload the page and try again.');
  }
  return parsed.data;
};

const unreachable = (): ApiError => new ApiError(0, 'network', 'Tandem could not be reached. Check your connection and try again.');

/** The one way the web app talks to the API: JSON in, JSON out, validated against the shared contracts. */
export async function request<T = undefined>(method: Method, path: string, options: RequestOptions<T> = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && !options.withoutCsrf && csrfToken) headers['x-csrf-token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(`/api${path}${queryString(options.query)}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw unreachable();
  }
  return handle(response, options.schema, !options.withoutCsrf, path);
}

/** Types the server accepts as an upload's Content-Type; it recognises the real type from the bytes either way. */
const uploadTypes = new Set([
  'application/pdf',
  'image/png',
  'image/jpeg',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'text/plain',
]);

/**
 * Sends a file as the raw request body (POST), with its own Content-Type. A type the browser does not know, or
 * one the server does not take, goes as application/octet-stream: the server decides from the bytes.
 */
export async function upload<T>(
  path: string,
  file: Blob,
  options: { query?: RequestOptions<T>['query']; schema: z.ZodType<T>; /** A route that takes one type only (CSV imports) names it. */ contentType?: string },
): Promise<T> {
  const type = file.type.split(';')[0]?.trim().toLowerCase() ?? '';
  const headers: Record<string, string> = {
    accept: 'application/json',
    'content-type': options.contentType ?? (uploadTypes.has(type) ? type : 'application/octet-stream'),
  };
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(`/api${path}${queryString(options.query)}`, { method: 'POST', headers, credentials: 'same-origin', body: file });
  } catch {
    throw unreachable();
  }
  return handle(response, options.schema, true, path);
}
