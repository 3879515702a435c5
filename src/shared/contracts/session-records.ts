import { z } from 'zod';
import { isoTimestamp, uuid } from './common.ts';
import { isoDate } from './programmes.ts';

// Session records (issue 5, item 5). No transforms or defaults in schemas that also describe responses.
const text = (max: number) => z.string().trim().max(max, { message: `must be at most ${max} characters` });
export const fidelityStatusSchema = z.enum(['covered', 'partly', 'not_covered'], { message: 'must be covered, partly or not_covered' });
const recordVersion = z.number().int().min(0).describe('The version you last read (0 before anything is recorded); a stale one gets 409');

export const sessionRecord = z
  .object({
    sessionId: uuid,
    groupId: uuid,
    groupName: z.string(),
    number: z.number().int(),
    onDate: isoDate,
    strand: z.string(),
    topic: z.string(),
    items: z.array(z.object({ key: z.string(), label: z.string(), status: fidelityStatusSchema.nullable(), note: z.string() })),
    adherence: z.object({ rated: z.number().int(), of: z.number().int(), percent: z.number().int().nullable() }).describe('Covered counts 1, partly a half; unrated items are left out'),
    notes: z.string(),
    updatedAt: isoTimestamp.nullable(),
    updatedBy: z.string().nullable(),
    version: recordVersion,
    families: z.array(z.object({ caseId: uuid, familyLabel: z.string() })).describe('Families a concern can be raised about'),
    concerns: z.array(
      z.object({
        id: uuid,
        flagId: uuid,
        caseId: uuid,
        familyLabel: z.string(),
        raisedBy: z.string(),
        raisedAt: isoTimestamp,
        flagStatus: z.enum(['open', 'resolved']),
        reason: z.string().nullable().describe('Only for those who see safeguarding decisions'),
      }),
    ),
  })
  .meta({ id: 'SessionRecord' });

export const saveSessionRecordBody = z
  .object({
    items: z
      .array(z.object({ key: z.string().min(1).max(40), status: fidelityStatusSchema, note: text(1000) }))
      .max(20)
      .refine((items) => new Set(items.map((i) => i.key)).size === items.length, { message: 'rates an item twice' }),
    notes: text(10000),
    version: recordVersion,
  })
  .meta({ id: 'SaveSessionRecordBody' });

export const raiseSessionConcernBody = z
  .object({
    caseId: uuid,
    reason: text(2000).min(1, { message: 'is required' }).describe('What was seen or said; goes to the safeguarding flag, not the session notes'),
  })
  .meta({ id: 'RaiseSessionConcernBody' });
