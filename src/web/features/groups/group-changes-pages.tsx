import { useState } from 'react';
import { programmeTemplate } from '../../../shared/contracts/programmes.ts';
import { isApiError, request } from '../../api/client.ts';
import { api } from '../../api/endpoints.ts';
import { LoadFailed, Loading } from '../../components/feedback.tsx';
import { Button, Checkboxes, DateInput, emptyDate, ErrorSummary, Form, SelectField, TextField, type DateParts } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { formatDay } from '../../lib/format.ts';
import { hasProblems, noProblems, problemsFromError, withLabel, type FormProblems } from '../../lib/form-problems.ts';
import { useLoad } from '../../lib/use-load.ts';
import { Link, useRouter } from '../../router.tsx';
import { useSignedIn } from '../../session.tsx';
import { readDate } from '../referrals/referral-values.ts';
import { groupsApi } from './groups-api.ts';

const id = encodeURIComponent;
const todayParts = (): DateParts => {
  const [year = '', month = '', day = ''] = new Date().toISOString().slice(0, 10).split('-');
  return { day: String(Number(day)), month: String(Number(month)), year };
};

/** Moves one session, or it and every later one weekly from the new date (closures skipped again). */
export const MoveSessionPage = ({ groupId, sessionId }: { groupId: string; sessionId: string }) => {
  const { navigate } = useRouter();
  const [group] = useLoad(() => groupsApi.get(groupId), [groupId]);
  const [onDate, setOnDate] = useState<DateParts>(emptyDate);
  const [startTime, setStartTime] = useState('');
  const [rest, setRest] = useState(false);
  const [problems, setProblems] = useState<FormProblems>(noProblems);
  if (group.status === 'loading') return <Loading what="the group" />;
  if (group.status === 'failed') return <LoadFailed message={isApiError(group.error) ? group.error.message : 'The group could not be loaded.'} />;
  const s = group.data.sessions.find((x) => x.id === sessionId);
  if (!s) return <LoadFailed message="Session not found" />;
  const labels = { onDate: 'New date', startTime: 'New start time', rescheduleRest: 'Later sessions' };
  const submit = async () => {
    const date = readDate(onDate);
    if (date.problem) return setProblems({ fields: { onDate: date.problem === 'blank' ? 'Enter the new date' : withLabel(labels.onDate, date.problem) }, general: [] });
    try {
      await request('POST', `/sessions/${id(s.id)}/move`, { body: { onDate: date.iso ?? '', ...(startTime.trim() ? { startTime: startTime.trim() } : {}), rescheduleRest: rest, version: s.version } });
      navigate(`/groups/${groupId}`, { flash: { heading: `Session ${s.number} moved`, text: `To ${formatDay(date.iso)}${rest ? ', with the sessions after it' : ''}` } });
    } catch (error) {
      setProblems(problemsFromError(error, labels));
    }
  };
  return (
    <Page title={`Move session ${s.number}`} caption={group.data.name} hasErrors={hasProblems(problems)}>
      <p className="govuk-body">{`Now ${formatDay(s.onDate)} at ${s.startTime}: ${s.topic || 'no topic'}.`}</p>
      <ErrorSummary problems={problems} fieldOrder={[{ name: 'onDate', id: 'move-day' }, { name: 'startTime', id: 'move-time' }]} />
      <Form onSubmit={submit}>
        <DateInput id="move" legend={labels.onDate} value={onDate} onChange={setOnDate} hint="Not in a closure. For example, 12 1 2027" error={problems.fields.onDate} />
        <TextField id="move-time" label={labels.startTime} hint={`Leave empty to keep ${s.startTime}`} value={startTime} onChange={setStartTime} width="5" error={problems.fields.startTime} />
        <Checkboxes
          id="move-rest"
          legend={labels.rescheduleRest}
          legendSize="s"
          items={[{ id: 'move-rest-all', label: 'Move every later session too, weekly from the new date', checked: rest, onChange: setRest }]}
        />
        <Button>Move the session</Button>
      </Form>
      <p className="govuk-body">
        <Link className="govuk-link" href={`/groups/${groupId}`}>
          Back to the group
        </Link>
      </p>
    </Page>
  );
};

/** Records that a family dropped out of a group: the day and the reason; the case is withdrawn. */
export const WithdrawPage = ({ groupId, placementId }: { groupId: string; placementId: string }) => {
  const { navigate } = useRouter();
  const [group] = useLoad(() => groupsApi.get(groupId), [groupId]);
  const [on, setOn] = useState<DateParts>(todayParts);
  const [reason, setReason] = useState('');
  const [problems, setProblems] = useState<FormProblems>(noProblems);
  if (group.status === 'loading') return <Loading what="the group" />;
  if (group.status === 'failed') return <LoadFailed message={isApiError(group.error) ? group.error.message : 'The group could not be loaded.'} />;
  const p = group.data.placements.find((x) => x.id === placementId);
  if (!p) return <LoadFailed message="Placement not found" />;
  const labels = { on: 'The day they dropped out', reason: 'Why' };
  const submit = async () => {
    const date = readDate(on);
    if (date.problem) return setProblems({ fields: { on: date.problem === 'blank' ? 'Enter the day they dropped out' : withLabel(labels.on, date.problem) }, general: [] });
    try {
      await groupsApi.withdraw(p.id, { on: date.iso ?? '', reason, version: p.version });
      navigate(`/groups/${groupId}`, { flash: { heading: `${p.familyLabel} recorded as dropped out`, text: 'The case is withdrawn and the place is free again.' } });
    } catch (error) {
      setProblems(problemsFromError(error, labels));
    }
  };
  return (
    <Page title={`Record a drop-out: ${p.familyLabel}`} caption={group.data.name} hasErrors={hasProblems(problems)}>
      <ErrorSummary problems={problems} fieldOrder={[{ name: 'on', id: 'dropout-day' }, { name: 'reason', id: 'dropout-reason' }]} />
      <Form onSubmit={submit}>
        <DateInput id="dropout" legend={labels.on} value={on} onChange={setOn} hint="Today or earlier" error={problems.fields.on} />
        <TextField id="dropout-reason" label={labels.reason} hint="For the drop-out figures and the case file" value={reason} onChange={setReason} error={problems.fields.reason} />
        <Button variant="warning">Record the drop-out</Button>
      </Form>
      <p className="govuk-body">
        <Link className="govuk-link" href={`/groups/${groupId}`}>
          Back to the group
        </Link>
      </p>
    </Page>
  );
};

/** Copies a programme (its template) under a new name; the copy takes no referrals until enabled. */
export const CopyProgrammePage = () => {
  const session = useSignedIn();
  const { navigate } = useRouter();
  const [programmes] = useLoad(() => api.listProgrammes(), [session.currentOrganisation?.id]);
  const [programmeId, setProgrammeId] = useState('');
  const [name, setName] = useState('');
  const [problems, setProblems] = useState<FormProblems>(noProblems);
  if (programmes.status === 'loading') return <Loading what="programmes" />;
  if (programmes.status === 'failed') return <LoadFailed message="The programmes could not be loaded." />;
  const labels = { programmeId: 'Programme to copy', name: 'Name of the copy' };
  const submit = async () => {
    if (!programmeId) return setProblems({ fields: { programmeId: 'Select a programme to copy' }, general: [] });
    try {
      const copy = await request('POST', `/programmes/${id(programmeId)}/copy`, { body: { name }, schema: programmeTemplate });
      navigate('/groups/new', { flash: { heading: `${copy.name} created`, text: `A copy of its template with ${copy.sessionCount} sessions; plan a group from it.` } });
    } catch (error) {
      setProblems(problemsFromError(error, labels));
    }
  };
  return (
    <Page title="Copy a programme" caption={session.currentOrganisation?.name} hasErrors={hasProblems(problems)}>
      <p className="govuk-body">The copy keeps the sessions, topics, facilitator rule, capacity and attendance statuses; groups already planned are not changed.</p>
      <ErrorSummary problems={problems} fieldOrder={[{ name: 'programmeId', id: 'copy-programme' }, { name: 'name', id: 'copy-name' }]} />
      <Form onSubmit={submit}>
        <SelectField
          id="copy-programme"
          label={labels.programmeId}
          options={[{ value: '', label: 'Select a programme' }, ...programmes.data.map((p) => ({ value: p.id, label: p.name }))]}
          value={programmeId}
          onChange={setProgrammeId}
          error={problems.fields.programmeId}
        />
        <TextField id="copy-name" label={labels.name} hint="For example, Parents as Partners (Thursday evenings)" value={name} onChange={setName} error={problems.fields.name} />
        <Button>Copy the programme</Button>
      </Form>
    </Page>
  );
};
