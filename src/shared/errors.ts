import { z } from 'zod';

/** Stable error codes; the HTTP status follows from the code. */
export const errorCodes = [
  'bad_request',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'too_many_requests',
  'payload_too_large',
  'internal',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(errorCodes),
      message: z.string(),
      fields: z
        .array(z.object({ path: z.string().describe('Where the problem is, e.g. "body.email"'), message: z.string() }))
        .optional(),
      requestId: z.string().optional(),
    }),
  })
  .meta({ id: 'ErrorBody' })
  .describe('Every error answer has this shape.');
export type ErrorBody = z.infer<typeof errorBodySchema>;
