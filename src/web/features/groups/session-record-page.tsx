import { useEffect, useState } from 'react';
import type { z } from 'zod';
import { sessionRecord } from '../../../shared/contracts/session-records.ts';
import { isApiError, request } from '../../api/client.ts';
import { LoadFailed, Loading, SuccessBanner, Tag } from '../../components/feedback.tsx';
import { Button, ErrorSummary, Form, Radios, SelectField, TextArea, TextField } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { formatDay, formatWhen } from '../../lib/format.ts';
import { hasProblems, noProblems, problemsFromError, type FormProblems } from '../../lib/form-problems.ts';
import { useLoad } from '../../lib/use-load.ts';
import { Link } from '../../router.tsx';

type SessionRecord = z.infer<typeof sessionRecord>;
type Status = 'covered' | 'partly' | 'not_covered';
const id = encodeURIComponent;
const recordApi = {
  get: (sessionId: string) => request('GET', `/sessions/${id(sessionId)}/record`, { schema: sessionRecord }),
  save: (sessionId: string, body: { items: { key: string; status: Status; note: string }[]; notes: string; version: number }) =>
    request('PUT', `/sessions/${id(sessionId)}/record`, { body, schema: sessionRecord }),
  raise: (sessionId: string, body: { caseId: string; reason: string }) => request('POST', `/sessions/${id(sessionId)}/concerns`, { body, schema: sessionRecord }),
};

const statusOptions = [
  { value: 'covered', label: 'Covered' },
  { value: 'partly', label: 'Partly' },
  { value: 'not_covered', label: 'Not covered' },
];

/** A safeguarding concern goes to the family's safeguarding flag, not into the session notes. */
const RaiseConcern = ({ record, onDone }: { record: SessionRecord; onDone: (message: string) => void }) => {
  const [caseId, setCaseId] = useState('');
  const [reason, setReason] = useState('');
  const [problems, setProblems] = useState<FormProblems>(noProblems);
  const submit = async () => {
    if (!caseId) return setProblems({ fields: { caseId: 'Select the family' }, general: [] });
    try {
      await recordApi.raise(record.sessionId, { caseId, reason });
      setProblems(noProblems);
      setCaseId('');
      setReason('');
      onDone('Safeguarding concern raised: the case worker and the service managers have been told');
    } catch (error) {
      setProblems(problemsFromError(error, { caseId: 'Family', reason: 'What happened' }));
    }
  };
  return (
    <Form onSubmit={submit}>
      <h2 className="govuk-heading-m">Raise a safeguarding concern</h2>
      <ErrorSummary problems={problems} fieldOrder={[{ name: 'caseId', id: 'concern-family' }, { name: 'reason', id: 'concern-reason' }]} />
      <SelectField
        id="concern-family"
        label="Family"
        options={[{ value: '', label: 'Select the family' }, ...record.families.map((f) => ({ value: f.caseId, label: f.familyLabel }))]}
        value={caseId}
        onChange={setCaseId}
        error={problems.fields.caseId}
      />
      <TextArea
        id="concern-reason"
        label="What happened"
        hint="What was seen or said, in the words used. It goes to the family's safeguarding record for a manager's decision."
        value={reason}
        onChange={setReason}
        rows={4}
        error={problems.fields.reason}
      />
      <Button variant="warning">Raise the concern</Button>
    </Form>
  );
};

/** What a session covered against its curriculum, the facilitators' notes, and concerns raised from it. */
export const SessionRecordPage = ({ sessionId }: { sessionId: string }) => {
  const [loaded, reload] = useLoad(() => recordApi.get(sessionId), [sessionId]);
  const [statuses, setStatuses] = useState<Record<string, string>>({});
  const [itemNotes, setItemNotes] = useState<Record<string, string>>({});
  const [notes, setNotes] = useState('');
  const [problems, setProblems] = useState<FormProblems>(noProblems);
  const [done, setDone] = useState<string | null>(null);

  useEffect(() => {
    if (loaded.status !== 'done') return;
    setStatuses(Object.fromEntries(loaded.data.items.flatMap((i) => (i.status ? [[i.key, i.status]] : []))));
    setItemNotes(Object.fromEntries(loaded.data.items.map((i) => [i.key, i.note])));
    setNotes(loaded.data.notes);
  }, [loaded]);

  if (loaded.status === 'loading') return <Loading what="the session record" />;
  if (loaded.status === 'failed') return <LoadFailed message={isApiError(loaded.error) ? loaded.error.message : 'The session record could not be loaded.'} />;
  const record = loaded.data;
  const changed = (message: string) => {
    setDone(message);
    reload();
  };
  const save = async () => {
    try {
      await recordApi.save(sessionId, {
        items: record.items.flatMap((i) => (statuses[i.key] ? [{ key: i.key, status: statuses[i.key] as Status, note: itemNotes[i.key] ?? '' }] : [])),
        notes,
        version: record.version,
      });
      setProblems(noProblems);
      changed('Session record saved');
    } catch (error) {
      setDone(null);
      const found = problemsFromError(error, { notes: 'Notes' });
      if (isApiError(error) && error.status === 409) found.general = ['Someone else saved this record since you opened it. Reload it to see their changes, then save again.'];
      setProblems(found);
    }
  };
  return (
    <Page title={`Session ${record.number} record`} caption={record.groupName} width="full" hasErrors={hasProblems(problems)}>
      {done ? <SuccessBanner heading={done} /> : null}
      <ErrorSummary problems={problems} fieldOrder={[{ name: 'notes', id: 'record-notes' }]} />
      <p className="govuk-body">
        {formatDay(record.onDate)}
        {record.strand ? `, ${record.strand}` : ''}.{' '}
        <Link className="govuk-link" href={`/groups/${record.groupId}`}>
          Back to the group
        </Link>
      </p>
      <p className="govuk-body">
        {record.adherence.percent === null ? 'Nothing rated yet.' : `Adherence ${record.adherence.percent}% (${record.adherence.rated} of ${record.adherence.of} items rated).`}
        {record.updatedBy && record.updatedAt ? ` Last saved by ${record.updatedBy}, ${formatWhen(record.updatedAt)}.` : ''}
      </p>
      <Form onSubmit={save}>
        <h2 className="govuk-heading-m">Fidelity checklist</h2>
        {record.items.map((item, i) => (
          <div key={item.key}>
            <Radios
              id={`item-${i}`}
              name={`item-${item.key}`}
              legend={item.label}
              legendSize="s"
              inline
              options={statusOptions}
              value={statuses[item.key] ?? ''}
              onChange={(value) => setStatuses({ ...statuses, [item.key]: value })}
            />
            <TextField id={`item-${i}-note`} label={`Note on this item (optional)`} value={itemNotes[item.key] ?? ''} onChange={(value) => setItemNotes({ ...itemNotes, [item.key]: value })} />
          </div>
        ))}
        <TextArea id="record-notes" label="Facilitators' notes" value={notes} onChange={setNotes} rows={6} error={problems.fields.notes} />
        <Button>Save the record</Button>
      </Form>
      <h2 className="govuk-heading-m">Safeguarding concerns from this session</h2>
      {record.concerns.length === 0 ? <p className="govuk-body">None raised.</p> : null}
      <ul className="govuk-list">
        {record.concerns.map((c) => (
          <li key={c.id}>
            {`${c.familyLabel}: raised by ${c.raisedBy}, ${formatWhen(c.raisedAt)} `}
            {c.flagStatus === 'open' ? <Tag colour="red">Open</Tag> : <Tag colour="green">Decided</Tag>}
            {c.reason ? <span className="tandem-block govuk-body-s">{c.reason}</span> : null}
          </li>
        ))}
      </ul>
      {record.families.length > 0 ? <RaiseConcern record={record} onDone={changed} /> : null}
    </Page>
  );
};
