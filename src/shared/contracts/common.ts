import { z } from 'zod';

export const uuid = z.uuid({ message: 'must be a UUID' });
export const email = z
  .string()
  .trim()
  .max(254, { message: 'must be at most 254 characters' })
  .pipe(z.email({ message: 'must be an email address' }))
  .transform((value) => value.toLowerCase());
export const personName = z.string().trim().min(1, { message: 'is required' }).max(200, { message: 'must be at most 200 characters' });
export const isoTimestamp = z.string().describe('ISO 8601 date and time');
export const version = z.number().int().min(1).describe('The version you last read; a stale one gets 409');
export const okSchema = z.object({ ok: z.literal(true) }).meta({ id: 'Ok' });
