import { useEffect, useState } from 'react';
import type { z } from 'zod';
import { crecheSession } from '../../../shared/contracts/creche.ts';
import { isApiError, request } from '../../api/client.ts';
import { api } from '../../api/endpoints.ts';
import { LoadFailed, Loading, SuccessBanner, Tag } from '../../components/feedback.tsx';
import { Button, Checkboxes, ErrorSummary, Form, SelectField, TextArea, TextField } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { formatDay } from '../../lib/format.ts';
import { hasProblems, noProblems, problemsFromError, type FormProblems } from '../../lib/form-problems.ts';
import { useLoad } from '../../lib/use-load.ts';
import { Link } from '../../router.tsx';
import { useSignedIn } from '../../session.tsx';

type Creche = z.infer<typeof crecheSession>;
const id = encodeURIComponent;
const crecheApi = {
  get: (sessionId: string) => request('GET', `/sessions/${id(sessionId)}/creche`, { schema: crecheSession }),
  book: (sessionId: string, body: Record<string, unknown>) => request('POST', `/sessions/${id(sessionId)}/creche/bookings`, { body, schema: crecheSession }),
  roster: (sessionId: string, staffIds: string[]) => request('PUT', `/sessions/${id(sessionId)}/creche/staff`, { body: { staffIds }, schema: crecheSession }),
  register: (sessionId: string, body: { marks: { personId: string; present: boolean; collectedBy: string | null }[]; version: number }) =>
    request('PUT', `/sessions/${id(sessionId)}/creche/register`, { body, schema: crecheSession }),
};

const age = (months: number | null): string => (months === null ? 'age not known' : months < 24 ? `${months} months` : `${Math.floor(months / 12)} years`);
const today = (): string => new Date().toISOString().slice(0, 10);

/** A manager rosters the crèche's staff; the server refuses fewer than the booked children need. */
const Roster = ({ creche, onDone }: { creche: Creche; onDone: (message: string) => void }) => {
  const [users] = useLoad(() => api.listUsers(), [creche.sessionId]);
  const [chosen, setChosen] = useState<string[]>(creche.staff.map((s) => s.id));
  const [problems, setProblems] = useState<FormProblems>(noProblems);
  if (users.status !== 'done') return null;
  const people = users.data.filter((u) => u.active && (u.role === 'facilitator' || u.role === 'service_manager'));
  const submit = async () => {
    try {
      await crecheApi.roster(creche.sessionId, chosen);
      setProblems(noProblems);
      onDone('Crèche staff rostered');
    } catch (error) {
      setProblems(problemsFromError(error, { staffIds: 'Crèche staff' }));
    }
  };
  return (
    <Form onSubmit={submit}>
      <ErrorSummary problems={problems} fieldOrder={[{ name: 'staffIds', id: 'staff-0' }]} />
      <Checkboxes
        id="staff"
        legend="Crèche staff for this session"
        hint="Only the people rostered here read the children's allergies and medical notes."
        small
        error={problems.fields.staffIds}
        items={people.map((p, i) => ({
          id: `staff-${i}`,
          label: p.name,
          checked: chosen.includes(p.id),
          onChange: (checked: boolean) => setChosen(checked ? [...chosen, p.id] : chosen.filter((x) => x !== p.id)),
        }))}
      />
      <Button variant="secondary">Roster crèche staff</Button>
    </Form>
  );
};

/** A manager or case worker books a child in, with what the crèche must know and the parent's consent. */
const BookChild = ({ creche, onDone }: { creche: Creche; onDone: (message: string) => void }) => {
  const [personId, setPersonId] = useState('');
  const [needs, setNeeds] = useState('');
  const [allergies, setAllergies] = useState('');
  const [medicalNotes, setMedicalNotes] = useState('');
  const [consentGivenBy, setConsentGivenBy] = useState('');
  const [laterSessions, setLaterSessions] = useState(false);
  const [problems, setProblems] = useState<FormProblems>(noProblems);
  const submit = async () => {
    if (!personId) return setProblems({ fields: { personId: 'Select a child' }, general: [] });
    try {
      await crecheApi.book(creche.sessionId, { personId, needs, allergies, medicalNotes, consentGivenBy, consentOn: today(), laterSessions });
      setProblems(noProblems);
      setPersonId('');
      setNeeds('');
      setAllergies('');
      setMedicalNotes('');
      setConsentGivenBy('');
      onDone('Child booked into the crèche');
    } catch (error) {
      setProblems(problemsFromError(error, { personId: 'Child', needs: 'Needs', allergies: 'Allergies', medicalNotes: 'Medical notes', consentGivenBy: 'Consent given by' }));
    }
  };
  return (
    <Form onSubmit={submit}>
      <h2 className="govuk-heading-m">Book a child in</h2>
      <ErrorSummary
        problems={problems}
        fieldOrder={[
          { name: 'personId', id: 'book-child' },
          { name: 'needs', id: 'book-needs' },
          { name: 'allergies', id: 'book-allergies' },
          { name: 'medicalNotes', id: 'book-medical' },
          { name: 'consentGivenBy', id: 'book-consent' },
        ]}
      />
      <SelectField
        id="book-child"
        label="Child"
        options={[{ value: '', label: 'Select a child' }, ...creche.unbooked.map((c) => ({ value: c.personId, label: `${c.name}, ${age(c.ageMonths)} (${c.familyLabel})` }))]}
        value={personId}
        onChange={setPersonId}
        error={problems.fields.personId}
      />
      <TextArea id="book-needs" label="Needs (seen by everyone working with the group)" value={needs} onChange={setNeeds} rows={2} error={problems.fields.needs} />
      <TextArea id="book-allergies" label="Allergies (crèche staff only)" value={allergies} onChange={setAllergies} rows={2} error={problems.fields.allergies} />
      <TextArea id="book-medical" label="Medical notes (crèche staff only)" value={medicalNotes} onChange={setMedicalNotes} rows={3} error={problems.fields.medicalNotes} />
      <TextField id="book-consent" label="Consent to the crèche given by (parent's name)" value={consentGivenBy} onChange={setConsentGivenBy} error={problems.fields.consentGivenBy} />
      <Checkboxes id="book-later" items={[{ id: 'book-later', label: 'Book every later crèche session of the group too', checked: laterSessions, onChange: setLaterSessions }]} small />
      <Button variant="secondary">Book the child</Button>
    </Form>
  );
};

/** A session's crèche: who staffs it, the ratio, the booked children and the crèche's register. */
export const CrechePage = ({ sessionId }: { sessionId: string }) => {
  const session = useSignedIn();
  const [loaded, reload] = useLoad(() => crecheApi.get(sessionId), [sessionId]);
  const [present, setPresent] = useState<Record<string, boolean>>({});
  const [collectedBy, setCollectedBy] = useState<Record<string, string>>({});
  const [problems, setProblems] = useState<FormProblems>(noProblems);
  const [done, setDone] = useState<string | null>(null);

  useEffect(() => {
    if (loaded.status !== 'done') return;
    setPresent(Object.fromEntries(loaded.data.bookings.map((b) => [b.personId, b.present ?? false])));
    setCollectedBy(Object.fromEntries(loaded.data.bookings.map((b) => [b.personId, b.collectedBy ?? ''])));
  }, [loaded]);

  if (loaded.status === 'loading') return <Loading what="the crèche" />;
  if (loaded.status === 'failed') return <LoadFailed message={isApiError(loaded.error) ? loaded.error.message : 'The crèche could not be loaded.'} />;
  const creche = loaded.data;
  const changed = (message: string) => {
    setDone(message);
    reload();
  };
  const saveRegister = async () => {
    try {
      await crecheApi.register(sessionId, {
        marks: creche.bookings.map((b) => ({ personId: b.personId, present: present[b.personId] ?? false, collectedBy: collectedBy[b.personId]?.trim() || null })),
        version: creche.registerVersion,
      });
      setProblems(noProblems);
      changed('Crèche register saved');
    } catch (error) {
      setDone(null);
      const found = problemsFromError(error, {});
      if (isApiError(error) && error.status === 409) found.general = ['Someone else saved this crèche register since you opened it. Reload it, then mark again.'];
      setProblems(found);
    }
  };
  const { ratio } = creche;
  return (
    <Page title={`Crèche: session ${creche.number}`} caption={creche.groupName} width="full" hasErrors={hasProblems(problems)}>
      {done ? <SuccessBanner heading={done} /> : null}
      <ErrorSummary problems={problems} fieldOrder={[]} />
      <p className="govuk-body">
        {formatDay(creche.onDate)} at {creche.startTime} for {creche.minutes} minutes.{' '}
        <Link className="govuk-link" href={`/groups/${creche.groupId}`}>
          Back to the group
        </Link>
      </p>
      {!creche.creche ? <p className="govuk-body">This session has no crèche.</p> : null}
      <dl className="govuk-summary-list tandem-two-thirds">
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Crèche staff</dt>
          <dd className="govuk-summary-list__value">{creche.staff.map((s) => s.name).join(', ') || 'Nobody rostered yet'}</dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Ratio</dt>
          <dd className="govuk-summary-list__value">
            {ratio.bands.map((b) => `${b.children} ${b.label} (1:${b.childrenPerStaff})`).join(', ') || 'No children booked'}: {ratio.staffNeeded} staff needed, {ratio.staffRostered} rostered{' '}
            {ratio.ok ? <Tag colour="green">Within ratio</Tag> : <Tag colour="red">Over ratio</Tag>}
          </dd>
        </div>
      </dl>
      {!creche.medicalNotesVisible && creche.bookings.length > 0 ? (
        <p className="govuk-inset-text">Allergies and medical notes are shown only to the staff rostered on this crèche.</p>
      ) : null}
      <Form onSubmit={saveRegister}>
        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-table__caption--m">{`Children booked (${creche.bookings.length})`}</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">
                Child
              </th>
              <th scope="col" className="govuk-table__header">
                Needs
              </th>
              {creche.medicalNotesVisible ? (
                <th scope="col" className="govuk-table__header">
                  Allergies and medical notes
                </th>
              ) : null}
              <th scope="col" className="govuk-table__header">
                Consent
              </th>
              {creche.canTakeRegister ? (
                <th scope="col" className="govuk-table__header">
                  Register
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {creche.bookings.map((b, i) => (
              <tr className="govuk-table__row" key={b.id}>
                <th scope="row" className="govuk-table__header">
                  {b.name}
                  <span className="tandem-block govuk-body-s tandem-secondary-text">{`${age(b.ageMonths)}, ${b.familyLabel}`}</span>
                </th>
                <td className="govuk-table__cell">{b.needs || 'None recorded'}</td>
                {creche.medicalNotesVisible ? (
                  <td className="govuk-table__cell">
                    {b.allergies ? <strong className="tandem-block">{`Allergies: ${b.allergies}`}</strong> : 'No allergies recorded'}
                    {b.medicalNotes ? <span className="tandem-block">{b.medicalNotes}</span> : null}
                  </td>
                ) : null}
                <td className="govuk-table__cell">{`${b.consentGivenBy}, ${formatDay(b.consentOn)}`}</td>
                {creche.canTakeRegister ? (
                  <td className="govuk-table__cell">
                    <div className="govuk-checkboxes govuk-checkboxes--small">
                      <div className="govuk-checkboxes__item">
                        <input
                          className="govuk-checkboxes__input"
                          id={`present-${i}`}
                          type="checkbox"
                          checked={present[b.personId] ?? false}
                          onChange={(event) => setPresent({ ...present, [b.personId]: event.target.checked })}
                        />
                        <label className="govuk-label govuk-checkboxes__label" htmlFor={`present-${i}`}>
                          Here<span className="govuk-visually-hidden">{`: ${b.name}`}</span>
                        </label>
                      </div>
                    </div>
                    <TextField id={`collected-${i}`} label={`Collected by (${b.name})`} value={collectedBy[b.personId] ?? ''} onChange={(value) => setCollectedBy({ ...collectedBy, [b.personId]: value })} />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
        {creche.canTakeRegister && creche.bookings.length > 0 ? <Button>Save the crèche register</Button> : null}
      </Form>
      {session.can('manage:groups') && creche.creche ? <Roster key={creche.staff.map((s) => s.id).join()} creche={creche} onDone={changed} /> : null}
      {session.can('book:creche') && creche.creche && creche.unbooked.length > 0 ? <BookChild creche={creche} onDone={changed} /> : null}
    </Page>
  );
};
