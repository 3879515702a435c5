import { useRef, useState } from 'react';
import { noteBody, noteKinds } from '../../../shared/contracts/records.ts';
import { isApiError } from '../../api/client.ts';
import { api, documentHref, type CaseDocument, type CaseNote, type NoteKind } from '../../api/endpoints.ts';
import { LoadFailed, Loading } from '../../components/feedback.tsx';
import { Button, DateInput, emptyDate, ErrorSummary, Form, Radios, TextArea, type DateParts } from '../../components/form.tsx';
import { formatDay, formatWhen } from '../../lib/format.ts';
import { parseForm } from '../../lib/form-problems.ts';
import { useLoad } from '../../lib/use-load.ts';
import { useSignedIn } from '../../session.tsx';
import { readDate } from '../referrals/referral-values.ts';
import { useSectionForm, type SectionProps } from './case-section.ts';

export const noteKindLabels: Record<NoteKind, string> = {
  contact: 'Contact',
  home_visit: 'Home visit',
  phone_call: 'Phone call',
  follow_up_meeting: 'Follow-up meeting',
  other: 'Other',
};

type RecordsProps = Pick<SectionProps, 'item' | 'reload' | 'reportProblems'> & { announce: (message: string) => void };

// ---------------------------------------------------------------------------------------------------------------
// Notes

const noteLabels = { kind: 'Kind of note', occurredOn: 'Date', body: 'Note' };

const NoteForm = ({ onAdded, ...props }: RecordsProps & { onAdded: (note: CaseNote) => void }) => {
  const { item } = props;
  const { problems, setProblems, failed } = useSectionForm('note', props, noteLabels);
  const [kind, setKind] = useState('');
  const [date, setDate] = useState<DateParts>(emptyDate);
  const [body, setBody] = useState('');

  const submit = async () => {
    const day = readDate(date);
    const parsed = parseForm(noteBody, { kind, occurredOn: day.iso ?? '', body }, noteLabels, { kind: 'Select the kind of note', occurredOn: 'Enter the date', body: 'Enter the note' });
    const fields = parsed.ok ? {} : { ...parsed.problems.fields };
    if (day.problem && day.problem !== 'blank') fields.occurredOn = `Date ${day.problem}`;
    if (!parsed.ok || Object.keys(fields).length > 0) return setProblems({ fields, general: parsed.ok ? [] : parsed.problems.general });
    try {
      const note = await api.addNote(item.id, parsed.data);
      setKind('');
      setDate(emptyDate);
      setBody('');
      setProblems({ fields: {}, general: [] });
      onAdded(note);
    } catch (error) {
      await failed(error);
    }
  };

  return (
    <>
      <h3 className="govuk-heading-s">Add a note</h3>
      <ErrorSummary
        problems={problems}
        fieldOrder={[
          { name: 'kind', id: 'note-kind' },
          { name: 'occurredOn', id: 'note-date-day' },
          { name: 'body', id: 'note-body' },
        ]}
      />
      <Form onSubmit={submit}>
        <Radios
          id="note-kind"
          name="note-kind"
          legend="Kind of note"
          legendSize="s"
          options={noteKinds.map((value) => ({ value, label: noteKindLabels[value] }))}
          value={kind}
          onChange={setKind}
          error={problems.fields.kind}
        />
        <DateInput id="note-date" legend="When it happened" value={date} onChange={setDate} hint="Today or earlier, for example 27 3 2026" error={problems.fields.occurredOn} />
        <TextArea id="note-body" label="Note" rows={5} value={body} onChange={setBody} error={problems.fields.body} maxLength={20000} />
        <Button variant="secondary">Add note</Button>
      </Form>
    </>
  );
};

export const NotesSection = (props: RecordsProps) => {
  const { item, announce } = props;
  const session = useSignedIn();
  const [notes, reloadNotes] = useLoad(() => api.listNotes(item.id), [item.id]);
  return (
    <section className="tandem-two-thirds" aria-labelledby="notes-heading">
      <h2 className="govuk-heading-m" id="notes-heading">
        Case notes
      </h2>
      {notes.status === 'loading' ? <Loading what="case notes" /> : null}
      {notes.status === 'failed' ? <LoadFailed message={isApiError(notes.error) ? notes.error.message : 'The case notes could not be loaded.'} /> : null}
      {notes.status === 'done' ? (
        notes.data.length === 0 ? (
          <p className="govuk-body">There are no notes on this case yet.</p>
        ) : (
          <ul className="govuk-list tandem-notes">
            {notes.data.map((note) => (
              <li key={note.id} className="tandem-note">
                <h3 className="govuk-heading-s govuk-!-margin-bottom-1">
                  {noteKindLabels[note.kind]}, {formatDay(note.occurredOn)}
                </h3>
                <p className="govuk-body tandem-pre-wrap govuk-!-margin-bottom-1">{note.body}</p>
                <p className="govuk-body-s tandem-secondary-text">
                  Written by {note.authorName ?? 'Tandem'}, <time dateTime={note.createdAt}>{formatWhen(note.createdAt)}</time>
                </p>
              </li>
            ))}
          </ul>
        )
      ) : null}
      {session.can('update:case') ? (
        <NoteForm
          {...props}
          onAdded={(note) => {
            reloadNotes();
            announce(`${noteKindLabels[note.kind]} note added`);
          }}
        />
      ) : null}
    </section>
  );
};

// ---------------------------------------------------------------------------------------------------------------
// Documents

const MAX_BYTES = 10 * 1024 * 1024;

export const formatSize = (bytes: number): string =>
  bytes < 1024 ? `${bytes} bytes` : bytes < 1024 * 1024 ? `${Math.round(bytes / 1024)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

const typeLabel = (contentType: string): string => {
  const type = contentType.split(';')[0] ?? contentType;
  const known: Record<string, string> = {
    'application/pdf': 'PDF',
    'image/png': 'PNG image',
    'image/jpeg': 'JPEG image',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word document',
    'text/plain': 'Text',
  };
  return known[type] ?? type;
};

const UploadForm = ({ onUploaded, ...props }: RecordsProps & { onUploaded: (document: CaseDocument) => void }) => {
  const { item } = props;
  const { problems, setProblems, failed } = useSectionForm('document', props, { file: 'File' });
  const input = useRef<HTMLInputElement>(null);
  const [inputKey, setInputKey] = useState(0);
  const error = problems.fields.file ?? problems.fields.fileName ?? problems.fields.body;

  const submit = async () => {
    const file = input.current?.files?.[0];
    if (!file) return setProblems({ fields: { file: 'Select a file to upload' }, general: [] });
    if (file.size === 0) return setProblems({ fields: { file: 'The selected file is empty' }, general: [] });
    if (file.size > MAX_BYTES) return setProblems({ fields: { file: 'The selected file must be smaller than 10 MB' }, general: [] });
    try {
      const document = await api.uploadDocument(item.id, file);
      setProblems({ fields: {}, general: [] });
      setInputKey((n) => n + 1);
      onUploaded(document);
    } catch (caught) {
      if (isApiError(caught) && caught.status === 413) return setProblems({ fields: { file: 'The selected file must be smaller than 10 MB' }, general: [] });
      if (isApiError(caught) && caught.status === 415) {
        return setProblems({ fields: { file: 'The selected file must be a PDF, PNG, JPEG, Word (.docx) or plain text file' }, general: [] });
      }
      const field = isApiError(caught) ? caught.fields[0] : undefined;
      if (field) {
        // The server names the file's bytes (body) or its name (query.fileName); either way it is about the file chosen.
        const message = field.path.endsWith('fileName') ? `The file name ${field.message}` : field.message.charAt(0).toUpperCase() + field.message.slice(1);
        return setProblems({ fields: { file: message }, general: [] });
      }
      await failed(caught);
    }
  };

  return (
    <>
      <h3 className="govuk-heading-s">Upload a document</h3>
      <ErrorSummary problems={{ fields: error ? { file: error } : {}, general: problems.general }} fieldOrder={[{ name: 'file', id: 'document-file' }]} />
      <Form onSubmit={submit}>
        <div className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
          <label className="govuk-label" htmlFor="document-file">
            Upload a file
          </label>
          <div id="document-file-hint" className="govuk-hint">
            A PDF, PNG, JPEG, Word (.docx) or plain text file, up to 10 MB. Tandem checks what the file really is.
          </div>
          {error ? (
            <p id="document-file-error" className="govuk-error-message">
              <span className="govuk-visually-hidden">Error:</span> {error}
            </p>
          ) : null}
          <input
            key={inputKey}
            ref={input}
            className={`govuk-file-upload${error ? ' govuk-file-upload--error' : ''}`}
            id="document-file"
            name="document-file"
            type="file"
            accept=".pdf,.png,.jpg,.jpeg,.docx,.txt,application/pdf,image/png,image/jpeg,text/plain,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            aria-describedby={error ? 'document-file-hint document-file-error' : 'document-file-hint'}
            aria-invalid={error ? true : undefined}
          />
        </div>
        <Button variant="secondary">Upload file</Button>
      </Form>
    </>
  );
};

export const DocumentsSection = (props: RecordsProps) => {
  const { item, announce } = props;
  const session = useSignedIn();
  const [documents, reloadDocuments] = useLoad(() => api.listDocuments(item.id), [item.id]);
  return (
    <section aria-labelledby="documents-heading">
      <h2 className="govuk-heading-m" id="documents-heading">
        Documents
      </h2>
      {documents.status === 'loading' ? <Loading what="documents" /> : null}
      {documents.status === 'failed' ? (
        <LoadFailed message={isApiError(documents.error) ? documents.error.message : 'The documents could not be loaded.'} />
      ) : null}
      {documents.status === 'done' ? (
        documents.data.length === 0 ? (
          <p className="govuk-body">There are no documents on this case yet.</p>
        ) : (
          <div className="tandem-table-scroll" role="region" aria-label="Documents on this case" tabIndex={0}>
            <table className="govuk-table">
              <caption className="govuk-table__caption govuk-table__caption--s">Newest first</caption>
              <thead className="govuk-table__head">
                <tr className="govuk-table__row">
                  <th scope="col" className="govuk-table__header">
                    File
                  </th>
                  <th scope="col" className="govuk-table__header">
                    Type
                  </th>
                  <th scope="col" className="govuk-table__header">
                    Size
                  </th>
                  <th scope="col" className="govuk-table__header">
                    Uploaded by
                  </th>
                  <th scope="col" className="govuk-table__header">
                    Uploaded
                  </th>
                </tr>
              </thead>
              <tbody className="govuk-table__body">
                {documents.data.map((document) => (
                  <tr className="govuk-table__row" key={document.id}>
                    <td className="govuk-table__cell tandem-break-anywhere">
                      <a className="govuk-link" href={documentHref(document.id)} download={document.fileName}>
                        {document.fileName}
                        <span className="govuk-visually-hidden"> (download)</span>
                      </a>
                    </td>
                    <td className="govuk-table__cell">{typeLabel(document.contentType)}</td>
                    <td className="govuk-table__cell tandem-nowrap">{formatSize(document.sizeBytes)}</td>
                    <td className="govuk-table__cell">{document.uploadedByName ?? 'Tandem'}</td>
                    <td className="govuk-table__cell tandem-nowrap">
                      <time dateTime={document.uploadedAt}>{formatWhen(document.uploadedAt)}</time>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
      {session.can('update:case') ? (
        <div className="tandem-two-thirds">
          <UploadForm
            {...props}
            onUploaded={(document) => {
              reloadDocuments();
              announce(`${document.fileName} uploaded`);
            }}
          />
        </div>
      ) : null}
    </section>
  );
};
