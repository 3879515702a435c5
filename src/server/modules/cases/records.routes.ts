import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { caseIdParams } from '../../../shared/contracts/journey.ts';
import {
  caseDocument,
  caseDocumentList,
  caseNote,
  caseNoteList,
  documentIdParams,
  erasureBody,
  erasureResult,
  noteBody,
  personIdParams,
  retentionPolicies,
  sarQuery,
  uploadQuery,
} from '../../../shared/contracts/records.ts';
import { errorBodySchema } from '../../../shared/errors.ts';
import type { Db } from '../../db.ts';
import { requireActor } from '../../platform/http/access.ts';
import { printPdf } from '../../platform/pdf/print-pdf.ts';
import type { FileStorage } from '../../platform/storage/storage.ts';
import { MAX_DOCUMENT_BYTES, uploadContentTypes } from './file-types.ts';
import { applyRetention, erasePerson, getRetention, setRetention, subjectAccess, subjectAccessHtml } from './privacy.service.ts';
import { addNote, downloadDocument, listDocuments, listNotes, uploadDocument } from './records.service.ts';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema, 413: errorBodySchema };

/** "Content-Disposition: attachment" with the name made safe for the header (RFC 6266 / 5987). */
const attachment = (fileName: string): string => {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
};

export const recordsRoutes =
  (db: Db, storage: FileStorage): FastifyPluginAsyncZod =>
  async (app) => {
    // Uploads arrive as the raw file; the route checks the real type from the bytes.
    app.addContentTypeParser(uploadContentTypes, { parseAs: 'buffer', bodyLimit: MAX_DOCUMENT_BYTES }, (_request, body, done) => done(null, body));

    app.get(
      '/api/cases/:caseId/notes',
      { config: { access: 'view:case' }, schema: { tags: ['cases'], summary: 'Case notes', params: caseIdParams, response: { 200: caseNoteList, ...errors } } },
      async (request) => ({ notes: await listNotes(db, requireActor(request), request.params.caseId) }),
    );
    app.post(
      '/api/cases/:caseId/notes',
      { config: { access: 'update:case' }, schema: { tags: ['cases'], summary: 'Add a case note', params: caseIdParams, body: noteBody, response: { 201: caseNote, ...errors } } },
      async (request, reply) => reply.status(201).send(await addNote(db, requireActor(request), request.params.caseId, request.body)),
    );
    app.get(
      '/api/cases/:caseId/documents',
      { config: { access: 'view:case' }, schema: { tags: ['cases'], summary: 'Documents on a case', params: caseIdParams, response: { 200: caseDocumentList, ...errors } } },
      async (request) => ({ documents: await listDocuments(db, requireActor(request), request.params.caseId) }),
    );
    app.post(
      '/api/cases/:caseId/documents',
      {
        config: { access: 'update:case' },
        bodyLimit: MAX_DOCUMENT_BYTES,
        schema: {
          tags: ['cases'],
          summary: 'Upload a document (the request body is the file: PDF, PNG, JPEG, .docx or plain text, at most 10 MB)',
          params: caseIdParams,
          querystring: uploadQuery,
          response: { 201: caseDocument, ...errors },
        },
      },
      async (request, reply) => {
        const bytes = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        return reply.status(201).send(await uploadDocument(db, storage, requireActor(request), request.params.caseId, request.query.fileName, bytes));
      },
    );
    app.get(
      '/api/documents/:documentId',
      {
        config: { access: 'view:case' },
        schema: { tags: ['cases'], summary: 'Download a document (the file itself)', params: documentIdParams, response: { 200: z.unknown().describe('The file'), ...errors } },
      },
      async (request, reply) => {
        const file = await downloadDocument(db, storage, requireActor(request), request.params.documentId);
        return reply.header('content-disposition', attachment(file.fileName)).type(file.contentType).send(file.bytes);
      },
    );
    app.get(
      '/api/people/:personId/subject-access',
      {
        config: { access: 'manage:privacy' },
        schema: { tags: ['privacy'], summary: 'Everything held about one person (subject access request), as JSON, a readable page or a PDF', params: personIdParams, querystring: sarQuery, response: { 200: z.unknown(), ...errors } },
      },
      async (request, reply) => {
        const bundle = await subjectAccess(db, requireActor(request), request.params.personId);
        if (request.query.format === 'html') return reply.type('text/html; charset=utf-8').header('content-disposition', attachment('subject-access.html')).send(subjectAccessHtml(bundle));
        if (request.query.format === 'pdf') return reply.type('application/pdf').header('content-disposition', attachment('subject-access.pdf')).send(await printPdf(subjectAccessHtml(bundle)));
        return bundle;
      },
    );
    app.post(
      '/api/people/:personId/erasure',
      {
        config: { access: 'manage:privacy' },
        schema: { tags: ['privacy'], summary: "Erase a person's identifying details, unless a legal hold applies", params: personIdParams, body: erasureBody, response: { 200: erasureResult, ...errors } },
      },
      async (request) => erasePerson(db, requireActor(request), request.params.personId, request.body.reason),
    );
    app.get(
      '/api/retention',
      { config: { access: 'manage:privacy' }, schema: { tags: ['privacy'], summary: 'Retention settings', response: { 200: retentionPolicies, ...errors } } },
      async (request) => ({ policies: await getRetention(db, requireActor(request)) }),
    );
    app.put(
      '/api/retention',
      { config: { access: 'manage:privacy' }, schema: { tags: ['privacy'], summary: 'Change retention settings', body: retentionPolicies, response: { 200: retentionPolicies, ...errors } } },
      async (request) => {
        const actor = requireActor(request);
        await setRetention(db, actor, request.body.policies);
        return { policies: await getRetention(db, actor) };
      },
    );
    app.post(
      '/api/retention/run',
      {
        config: { access: 'manage:privacy' },
        schema: {
          tags: ['privacy'],
          summary: 'Apply the retention settings now',
          response: { 200: z.object({ results: z.array(z.object({ recordType: z.string(), count: z.number().int(), kept: z.number().int() })) }).meta({ id: 'RetentionRun' }), ...errors },
        },
      },
      async (request) => ({ results: await applyRetention(db, storage, requireActor(request)) }),
    );
  };
