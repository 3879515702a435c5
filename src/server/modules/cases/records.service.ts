import { createHash, randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { caseDocument, caseNote, noteBody } from '../../../shared/contracts/records.ts';
import type { Db } from '../../db.ts';
import { inScope } from '../../platform/db/scope.ts';
import { scopeOf, type Actor } from '../../platform/http/actor.ts';
import { AppError, badField, notFound } from '../../platform/http/app-error.ts';
import type { FileStorage } from '../../platform/storage/storage.ts';
import { recordAudit } from '../audit/index.ts';
import { loadCase, orgOf } from './case-access.ts';
import { detectFileType, MAX_DOCUMENT_BYTES } from './file-types.ts';

type Note = z.infer<typeof caseNote>;
type Document = z.infer<typeof caseDocument>;

export const listNotes = async (db: Db, actor: Actor, caseId: string): Promise<Note[]> =>
  inScope(db, scopeOf(actor), async (trx) => {
    await loadCase(trx, actor, caseId);
    const rows = await trx
      .selectFrom('caseNote')
      .leftJoin('appUser', 'appUser.id', 'caseNote.authorId')
      .select(['caseNote.id', 'caseNote.kind', 'caseNote.occurredOn', 'caseNote.body', 'appUser.name as authorName', 'caseNote.createdAt', 'caseNote.version'])
      .where('caseNote.caseId', '=', caseId)
      .where('caseNote.erasedAt', 'is', null)
      .orderBy('caseNote.occurredOn', 'desc')
      .orderBy('caseNote.createdAt', 'desc')
      .execute();
    await recordAudit(trx, { organisationId: orgOf(actor), actorUserId: actor.userId, action: 'view:case_note', entityType: 'case', entityId: caseId, ip: actor.ip, detail: { count: rows.length } });
    return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
  });

export const addNote = async (db: Db, actor: Actor, caseId: string, body: z.infer<typeof noteBody>): Promise<Note> =>
  inScope(db, scopeOf(actor), async (trx) => {
    await loadCase(trx, actor, caseId);
    const row = await trx
      .insertInto('caseNote')
      .values({ organisationId: orgOf(actor), caseId, kind: body.kind, occurredOn: body.occurredOn, body: body.body, authorId: actor.userId, erasedAt: null })
      .returning(['id', 'kind', 'occurredOn', 'body', 'createdAt', 'version'])
      .executeTakeFirstOrThrow();
    await recordAudit(trx, { organisationId: orgOf(actor), actorUserId: actor.userId, action: 'create:case_note', entityType: 'case_note', entityId: row.id, ip: actor.ip, detail: { caseId, kind: body.kind } });
    const author = await trx.selectFrom('appUser').select('name').where('id', '=', actor.userId).executeTakeFirst();
    return { ...row, authorName: author?.name ?? null, createdAt: row.createdAt.toISOString() };
  });

export const listDocuments = async (db: Db, actor: Actor, caseId: string): Promise<Document[]> =>
  inScope(db, scopeOf(actor), async (trx) => {
    await loadCase(trx, actor, caseId);
    const rows = await trx
      .selectFrom('caseDocument')
      .leftJoin('appUser', 'appUser.id', 'caseDocument.uploadedBy')
      .select(['caseDocument.id', 'caseDocument.fileName', 'caseDocument.contentType', 'caseDocument.sizeBytes', 'appUser.name as uploadedByName', 'caseDocument.uploadedAt'])
      .where('caseDocument.caseId', '=', caseId)
      .where('caseDocument.erasedAt', 'is', null)
      .orderBy('caseDocument.uploadedAt', 'desc')
      .execute();
    await recordAudit(trx, { organisationId: orgOf(actor), actorUserId: actor.userId, action: 'list:case_document', entityType: 'case', entityId: caseId, ip: actor.ip, detail: { count: rows.length } });
    return rows.map((r) => ({ ...r, uploadedAt: r.uploadedAt.toISOString() }));
  });

/**
 * Stores an upload: the size and the real type (from the bytes) are checked first; the file is written before
 * its row, and removed again if the row cannot be written, so neither is left without the other.
 */
export const uploadDocument = async (db: Db, storage: FileStorage, actor: Actor, caseId: string, fileName: string, bytes: Buffer): Promise<Document> => {
  if (bytes.length === 0) throw badField('body', 'the file is empty');
  if (bytes.length > MAX_DOCUMENT_BYTES) throw new AppError('payload_too_large', `Files can be at most ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB`);
  const type = detectFileType(bytes);
  if (!type) throw badField('body', 'this kind of file cannot be stored: use PDF, PNG, JPEG, Word (.docx) or plain text');
  const organisationId = orgOf(actor);
  // Check the case before writing anything.
  await inScope(db, scopeOf(actor), (trx) => loadCase(trx, actor, caseId));
  const storageKey = `${organisationId}/${randomUUID()}.${type.extension}`;
  await storage.put(storageKey, bytes);
  try {
    return await inScope(db, scopeOf(actor), async (trx) => {
      await loadCase(trx, actor, caseId);
      const row = await trx
        .insertInto('caseDocument')
        .values({
          organisationId,
          caseId,
          fileName,
          contentType: type.contentType,
          sizeBytes: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          storageKey,
          uploadedBy: actor.userId,
          erasedAt: null,
        })
        .returning(['id', 'fileName', 'contentType', 'sizeBytes', 'uploadedAt'])
        .executeTakeFirstOrThrow();
      await recordAudit(trx, { organisationId, actorUserId: actor.userId, action: 'create:case_document', entityType: 'case_document', entityId: row.id, ip: actor.ip, detail: { caseId, sizeBytes: bytes.length } });
      const uploader = await trx.selectFrom('appUser').select('name').where('id', '=', actor.userId).executeTakeFirst();
      return { ...row, uploadedByName: uploader?.name ?? null, uploadedAt: row.uploadedAt.toISOString() };
    });
  } catch (error) {
    await storage.remove(storageKey);
    throw error;
  }
};

export const downloadDocument = async (
  db: Db,
  storage: FileStorage,
  actor: Actor,
  documentId: string,
): Promise<{ fileName: string; contentType: string; bytes: Buffer }> => {
  const doc = await inScope(db, scopeOf(actor), async (trx) => {
    const row = await trx
      .selectFrom('caseDocument')
      .select(['caseId', 'fileName', 'contentType', 'storageKey', 'sha256'])
      .where('organisationId', '=', orgOf(actor))
      .where('id', '=', documentId)
      .where('erasedAt', 'is', null)
      .executeTakeFirst();
    if (!row) throw notFound('Document');
    await loadCase(trx, actor, row.caseId).catch(() => {
      throw notFound('Document');
    });
    await recordAudit(trx, { organisationId: orgOf(actor), actorUserId: actor.userId, action: 'view:case_document', entityType: 'case_document', entityId: documentId, ip: actor.ip, detail: { caseId: row.caseId } });
    return row;
  });
  const bytes = await storage.get(doc.storageKey);
  if (createHash('sha256').update(bytes).digest('hex') !== doc.sha256) throw new Error(`stored file ${doc.storageKey} does not match its checksum`);
  return { fileName: doc.fileName, contentType: doc.contentType, bytes };
};
