import { z } from 'zod';
import { isoTimestamp, uuid, version } from './common.ts';
import { pastDate } from './journey.ts';

export const noteKinds = ['contact', 'home_visit', 'phone_call', 'follow_up_meeting', 'other'] as const;

export const noteBody = z
  .object({
    kind: z.enum(noteKinds, { message: 'must be contact, home_visit, phone_call, follow_up_meeting or other' }),
    occurredOn: pastDate,
    body: z.string().trim().min(1, { message: 'is required' }).max(20000, { message: 'must be at most 20000 characters' }),
  })
  .meta({ id: 'NoteBody' });

export const caseNote = z
  .object({ id: uuid, kind: z.enum(noteKinds), occurredOn: z.string(), body: z.string(), authorName: z.string().nullable(), createdAt: isoTimestamp, version })
  .meta({ id: 'CaseNote' });
export const caseNoteList = z.object({ notes: z.array(caseNote) }).meta({ id: 'CaseNoteList' });

export const caseDocument = z
  .object({ id: uuid, fileName: z.string(), contentType: z.string(), sizeBytes: z.number().int(), uploadedByName: z.string().nullable(), uploadedAt: isoTimestamp })
  .meta({ id: 'CaseDocument' });
export const caseDocumentList = z.object({ documents: z.array(caseDocument) }).meta({ id: 'CaseDocumentList' });

export const uploadQuery = z.object({
  fileName: z
    .string()
    .trim()
    .min(1, { message: 'is required' })
    .max(200, { message: 'must be at most 200 characters' })
    .regex(/^[^\\/:*?"<>|\u0000-\u001f]+$/, { message: 'must be a plain file name' }),
});
export const documentIdParams = z.object({ documentId: uuid });
export const personIdParams = z.object({ personId: uuid });

export const retentionRecordTypes = ['closed_case', 'declined_referral', 'case_note', 'case_document', 'administration'] as const;
export const retentionPolicies = z
  .object({ policies: z.array(z.object({ recordType: z.enum(retentionRecordTypes), keepMonths: z.number().int().min(1).max(1200) })) })
  .meta({ id: 'RetentionPolicies' });

export const erasureBody = z
  .object({ reason: z.string().trim().min(1, { message: 'record why the person is erased' }).max(2000) })
  .meta({ id: 'ErasureBody' });
export const erasureResult = z
  .object({ erased: z.boolean(), keptBecause: z.array(z.string()), records: z.array(z.object({ recordType: z.string(), count: z.number().int() })) })
  .meta({ id: 'ErasureResult' });

export const sarQuery = z.object({ format: z.enum(['json', 'html', 'pdf'], { message: 'must be json, html or pdf' }).default('json') });
