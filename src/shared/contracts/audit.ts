import { z } from 'zod';
import { isoTimestamp, uuid } from './common.ts';

export const auditQuery = z
  .object({
    entityType: z.string().trim().max(60).optional(),
    entityId: z.string().trim().max(100).optional(),
    actorUserId: uuid.optional(),
    action: z.string().trim().max(100).optional(),
    from: z.iso.date({ message: 'must be a date YYYY-MM-DD' }).optional(),
    to: z.iso.date({ message: 'must be a date YYYY-MM-DD' }).optional(),
    before: z.coerce.number().int().positive().optional().describe('Page: events older than this sequence number'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  // No component id: query strings are described inline in OpenAPI, one parameter per field.
  .describe('Filters for the audit trail');
export type AuditQuery = z.infer<typeof auditQuery>;

export const auditEvent = z
  .object({
    seq: z.number().int(),
    at: isoTimestamp,
    actorUserId: uuid.nullable(),
    actorName: z.string().nullable(),
    action: z.string(),
    entityType: z.string(),
    entityId: z.string().nullable(),
    ip: z.string().nullable(),
    detail: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'AuditEvent' });

export const auditPage = z
  .object({ events: z.array(auditEvent), nextBefore: z.number().int().nullable() })
  .meta({ id: 'AuditPage' });
