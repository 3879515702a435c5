import { useState } from 'react';
import { isApiError } from '../../api/client.ts';
import { api } from '../../api/endpoints.ts';
import { LoadFailed, Loading, SuccessBanner, Tag } from '../../components/feedback.tsx';
import { Button, ErrorSummary, Form, SelectField, TextField } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { formatDay } from '../../lib/format.ts';
import { noProblems, problemsFromError, type FormProblems } from '../../lib/form-problems.ts';
import { useLoad } from '../../lib/use-load.ts';
import { Link } from '../../router.tsx';
import { useSignedIn } from '../../session.tsx';
import { groupsApi, type GroupDetail } from './groups-api.ts';
import { GroupStatus } from './groups-page.tsx';

const Sessions = ({ group, canTakeRegister, canMove, canSeeCreche }: { group: GroupDetail; canTakeRegister: boolean; canMove: boolean; canSeeCreche: boolean }) => (
  <div className="tandem-table-scroll" role="region" aria-label="Sessions" tabIndex={0}>
    <table className="govuk-table">
      <caption className="govuk-table__caption govuk-table__caption--m">{`Sessions (${group.sessions.length})`}</caption>
      <thead className="govuk-table__head">
        <tr className="govuk-table__row">
          {['Session', 'Date', 'Topic', 'Facilitators', 'Register'].map((h) => (
            <th scope="col" className="govuk-table__header" key={h}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="govuk-table__body">
        {group.sessions.map((s) => (
          <tr className="govuk-table__row" key={s.id}>
            <th scope="row" className="govuk-table__header">
              {s.number}
            </th>
            <td className="govuk-table__cell tandem-nowrap">
              {formatDay(s.onDate)}, {s.startTime}
            </td>
            <td className="govuk-table__cell">
              {s.topic}
              {s.strand ? <span className="tandem-block govuk-body-s tandem-secondary-text">{s.strand}</span> : null}
              {s.splitByGender ? <Tag colour="blue">{s.childrenJoin ? "Mothers' and fathers' groups; children join" : "Mothers' and fathers' groups"}</Tag> : null}
            </td>
            <td className="govuk-table__cell">
              {s.facilitators.map((f) => f.name).join(' and ') || 'None yet'}
              {s.facilitatorProblem ? (
                <span className="tandem-block">
                  <Tag colour="yellow">{`Rule not met: ${s.facilitatorProblem}`}</Tag>
                </span>
              ) : null}
              {s.ruleOverrideReason ? <span className="tandem-block govuk-body-s tandem-secondary-text">{`Rule overridden: ${s.ruleOverrideReason}`}</span> : null}
            </td>
            <td className="govuk-table__cell">
              {canTakeRegister ? (
                <Link className="govuk-link" href={`/sessions/${s.id}/register`}>
                  {s.registerTaken ? 'Open the register' : 'Take the register'}
                  <span className="govuk-visually-hidden">{` for session ${s.number}`}</span>
                </Link>
              ) : s.registerTaken ? (
                'Taken'
              ) : (
                'Not taken'
              )}
              {canTakeRegister ? (
                <span className="tandem-block">
                  <Link className="govuk-link" href={`/sessions/${s.id}/record`}>
                    Session record
                    <span className="govuk-visually-hidden">{` of session ${s.number}`}</span>
                  </Link>
                </span>
              ) : null}
              {canSeeCreche && s.creche ? (
                <span className="tandem-block">
                  <Link className="govuk-link" href={`/sessions/${s.id}/creche`}>
                    Crèche
                    <span className="govuk-visually-hidden">{` of session ${s.number}`}</span>
                  </Link>
                </span>
              ) : null}
              {canMove && !s.registerTaken ? (
                <span className="tandem-block">
                  <Link className="govuk-link" href={`/groups/${group.id}/sessions/${s.id}/move`}>
                    Move
                    <span className="govuk-visually-hidden">{` session ${s.number}`}</span>
                  </Link>
                </span>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  </div>
);

/** A manager places a family waiting for a group: both parents together, within the group's places. */
const PlaceFamily = ({ group, onPlaced }: { group: GroupDetail; onPlaced: (message: string) => void }) => {
  const [waiting, reload] = useLoad(() => api.listCases({ stage: 'awaiting_group' }), [group.id]);
  const [caseId, setCaseId] = useState('');
  const [problems, setProblems] = useState<FormProblems>(noProblems);
  if (waiting.status !== 'done') return null;
  const submit = async () => {
    const chosen = waiting.data.find((c) => c.id === caseId);
    if (!chosen) return setProblems({ fields: { caseId: 'Select a family to place' }, general: [] });
    try {
      await groupsApi.place(group.id, { caseId: chosen.id, caseVersion: chosen.version });
      setProblems(noProblems);
      setCaseId('');
      reload();
      onPlaced(`${chosen.familyLabel} placed`);
    } catch (error) {
      setProblems(problemsFromError(error, { caseId: 'Family' }));
    }
  };
  return (
    <Form onSubmit={submit}>
      <h2 className="govuk-heading-m">Place a family from the waiting list</h2>
      <ErrorSummary problems={problems} fieldOrder={[{ name: 'caseId', id: 'place-case' }]} />
      {waiting.data.length === 0 ? (
        <p className="govuk-body">No family is waiting for a group.</p>
      ) : (
        <>
          <SelectField
            id="place-case"
            label="Family"
            options={[{ value: '', label: 'Select a family' }, ...waiting.data.map((c) => ({ value: c.id, label: `${c.familyLabel} (${c.reference})${c.safeguarding ? ' – safeguarding flag' : ''}` }))]}
            value={caseId}
            onChange={setCaseId}
            hint="Both parents are placed together."
            error={problems.fields.caseId}
          />
          <Button>Place the family</Button>
        </>
      )}
    </Form>
  );
};

/** A manager changes one session's facilitators; breaking the rule needs a reason. */
const ChangeFacilitators = ({ group, onChanged }: { group: GroupDetail; onChanged: (message: string) => void }) => {
  const [staff] = useLoad(() => api.listUsers(), [group.id]);
  const [sessionId, setSessionId] = useState('');
  const [first, setFirst] = useState('');
  const [second, setSecond] = useState('');
  const [reason, setReason] = useState('');
  const [problems, setProblems] = useState<FormProblems>(noProblems);
  if (staff.status !== 'done') return null;
  const people = staff.data.filter((s) => s.active && (s.role === 'facilitator' || s.role === 'service_manager'));
  const options = [{ value: '', label: 'Nobody' }, ...people.map((s) => ({ value: s.id, label: `${s.name}${s.gender ? ` (${s.gender})` : ''}` }))];
  const submit = async () => {
    const session = group.sessions.find((s) => s.id === sessionId);
    if (!session) return setProblems({ fields: { sessionId: 'Select a session' }, general: [] });
    try {
      await groupsApi.assignFacilitators(session.id, { facilitatorIds: [first, second].filter(Boolean), ...(reason.trim() ? { ruleOverrideReason: reason } : {}), version: session.version });
      setProblems(noProblems);
      onChanged(`Facilitators of session ${session.number} changed`);
    } catch (error) {
      setProblems(problemsFromError(error, { facilitatorIds: 'Facilitators', ruleOverrideReason: 'Reason' }));
    }
  };
  return (
    <Form onSubmit={submit}>
      <h2 className="govuk-heading-m">Change a session's facilitators</h2>
      <ErrorSummary problems={problems} fieldOrder={[{ name: 'sessionId', id: 'change-session' }, { name: 'facilitatorIds', id: 'change-first' }, { name: 'ruleOverrideReason', id: 'change-reason' }]} />
      <SelectField
        id="change-session"
        label="Session"
        options={[{ value: '', label: 'Select a session' }, ...group.sessions.map((s) => ({ value: s.id, label: `Session ${s.number}, ${formatDay(s.onDate)}` }))]}
        value={sessionId}
        onChange={setSessionId}
        error={problems.fields.sessionId}
      />
      <SelectField id="change-first" label="First facilitator" options={options} value={first} onChange={setFirst} error={problems.fields.facilitatorIds} />
      <SelectField id="change-second" label="Second facilitator" options={options} value={second} onChange={setSecond} />
      <TextField id="change-reason" label="Reason for breaking the facilitator rule (managers only)" value={reason} onChange={setReason} error={problems.fields.ruleOverrideReason} />
      <Button variant="secondary">Change facilitators</Button>
    </Form>
  );
};

/** A group: its sessions and facilitators, its families, and their dose. */
export const GroupPage = ({ groupId }: { groupId: string }) => {
  const session = useSignedIn();
  const [group, reload] = useLoad(() => groupsApi.get(groupId), [groupId]);
  const [dose, reloadDose] = useLoad(() => groupsApi.dose(groupId), [groupId]);
  const [done, setDone] = useState<string | null>(null);
  const changed = (message: string) => {
    setDone(message);
    reload();
    reloadDose();
  };
  if (group.status === 'loading') return <Loading what="the group" />;
  if (group.status === 'failed') return <LoadFailed message={isApiError(group.error) ? group.error.message : 'The group could not be loaded.'} />;
  const g = group.data;
  const manager = session.can('manage:groups');
  return (
    <Page title={g.name} caption={g.programmeName} width="full">
      {done ? <SuccessBanner heading={done} /> : null}
      <dl className="govuk-summary-list tandem-two-thirds">
        {[
          ['Status', <GroupStatus key="s" status={g.status} />],
          ['Where', `${g.venue ? `${g.venue}, ` : ''}${g.site}`],
          ['When', `${formatDay(g.startDate)} to ${formatDay(g.endDate)}, weekly at ${g.startTime} for ${g.sessionMinutes} minutes`],
          ['Places', `${g.placesFilled} of ${g.capacity} ${g.capacityUnit} filled, ${g.placesFree} free`],
          ['Closures', g.closures.length === 0 ? 'None' : g.closures.map((c) => `${c.reason} (${formatDay(c.from)} to ${formatDay(c.to)})`).join('; ')],
          ['Crèche', g.creche ? 'Every session' : 'No'],
        ].map(([key, value]) => (
          <div className="govuk-summary-list__row" key={String(key)}>
            <dt className="govuk-summary-list__key">{key}</dt>
            <dd className="govuk-summary-list__value">{value}</dd>
          </div>
        ))}
      </dl>
      <Sessions group={g} canTakeRegister={session.can('take:attendance')} canMove={manager && (g.status === 'planned' || g.status === 'running')} canSeeCreche={session.can('view:creche')} />
      {manager ? <ChangeFacilitators group={g} onChanged={changed} /> : null}
      <h2 className="govuk-heading-m">Families</h2>
      {g.placements.length === 0 ? (
        <p className="govuk-body">No family is placed{session.can('manage:groups') ? ' yet' : ' that you can see'}.</p>
      ) : (
        <ul className="govuk-list">
          {g.placements.map((p) => (
            <li key={p.id}>
              <Link className="govuk-link" href={`/cases/${p.caseId}`}>
                {p.familyLabel}
              </Link>{' '}
              ({p.participants.map((x) => x.name).join(' and ')}){p.status === 'withdrawn' ? ` – withdrew on ${formatDay(p.withdrawnOn)}: ${p.withdrawalReason ?? ''}` : ''}
              {p.status === 'placed' && session.can('update:case') ? (
                <>
                  {' '}
                  <Link className="govuk-link" href={`/groups/${g.id}/placements/${p.id}/withdraw`}>
                    Record a drop-out<span className="govuk-visually-hidden">{` for ${p.familyLabel}`}</span>
                  </Link>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {manager && (g.status === 'planned' || g.status === 'running') ? <PlaceFamily group={g} onPlaced={changed} /> : null}
      {dose.status === 'done' && dose.data.participants.length > 0 ? (
        <div className="tandem-table-scroll" role="region" aria-label="Dose" tabIndex={0}>
          <table className="govuk-table">
            <caption className="govuk-table__caption govuk-table__caption--m">{`Dose: ${dose.data.sessionsHeld} sessions with a register; completing means attending at least ${dose.data.completionMinSessions}`}</caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                {['Participant', 'Attended', 'Rate', 'Absences in a row', 'Completer'].map((h) => (
                  <th scope="col" className="govuk-table__header" key={h}>
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {dose.data.participants.map((p) => (
                <tr className="govuk-table__row" key={p.personId}>
                  <th scope="row" className="govuk-table__header">
                    {p.name}
                  </th>
                  <td className="govuk-table__cell">
                    {p.sessionsAttended} of {p.sessionsMarked}
                  </td>
                  <td className="govuk-table__cell">{p.attendanceRate === null ? '–' : `${Math.round(p.attendanceRate * 100)}%`}</td>
                  <td className="govuk-table__cell">{p.consecutiveAbsences >= 2 ? <Tag colour="red">{String(p.consecutiveAbsences)}</Tag> : p.consecutiveAbsences}</td>
                  <td className="govuk-table__cell">{p.completer ? 'Yes' : 'Not yet'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Page>
  );
};
