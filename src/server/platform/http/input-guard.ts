import type { FastifyInstance } from 'fastify';
import { AppError, type FieldProblem } from './app-error.ts';

/*
 * PostgreSQL cannot store the NUL character in text or jsonb: a NUL anywhere in a query string, path or body that
 * reaches a query makes the database refuse it, which surfaced as a 500 (found by the fuzz tests: `?site=%00` on the
 * evaluation report). No legitimate input contains one, so every request is checked once here, before validation,
 * and refused with a 400 that names the field. Binary uploads (Buffers) are bytes for storage, not text, and pass.
 */

const NUL = '\u0000';
const MAX_DEPTH = 64;

const findNul = (value: unknown, path: string, depth = 0): string | null => {
  if (typeof value === 'string') return value.includes(NUL) ? path : null;
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return null;
  for (const [key, inner] of Object.entries(value)) {
    if (key.includes(NUL)) return `${path}.${key.replaceAll(NUL, '\\0')}`;
    const found = findNul(inner, `${path}.${key}`, depth + 1);
    if (found) return found;
  }
  return null;
};

export const registerInputGuard = (app: FastifyInstance): void => {
  app.addHook('preValidation', async (request) => {
    const problems: FieldProblem[] = [];
    for (const [where, value] of [
      ['params', request.params],
      ['query', request.query],
      ['body', request.body],
    ] as const) {
      const path = findNul(value, where);
      if (path) problems.push({ path, message: 'contains a NUL character (\\0), which cannot be stored' });
    }
    if (problems.length > 0) {
      throw new AppError('bad_request', `Some details need correcting: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`, { fields: problems });
    }
  });
};
