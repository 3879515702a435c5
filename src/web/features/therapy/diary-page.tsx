import { useState } from 'react';
import { isApiError } from '../../api/client.ts';
import { api } from '../../api/endpoints.ts';
import { LoadFailed, Loading, Tag } from '../../components/feedback.tsx';
import { Button, Form, SelectField, TextArea } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { formatDay } from '../../lib/format.ts';
import { useLoad } from '../../lib/use-load.ts';
import { Link } from '../../router.tsx';
import { useSignedIn } from '../../session.tsx';
import { statusLabels, therapyApi, type Availability, type Diary } from './therapy-api.ts';

const weekdays = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** The therapist's declared weekly windows, one line per weekday that has any. */
const AvailabilityList = ({ availability }: { availability: Availability }) => (
  <>
    <h2 className="govuk-heading-m">Availability</h2>
    {availability.windows.length === 0 ? (
      <p className="govuk-body">No availability declared: appointments can be booked at any time.</p>
    ) : (
      <dl className="govuk-summary-list">
        {weekdays
          .map((name, i) => ({ name, windows: availability.windows.filter((w) => w.weekday === i + 1) }))
          .filter((d) => d.windows.length > 0)
          .map((d) => (
            <div className="govuk-summary-list__row" key={d.name}>
              <dt className="govuk-summary-list__key">{d.name}</dt>
              <dd className="govuk-summary-list__value">{d.windows.map((w) => `${w.startTime}–${w.endTime}`).join(', ')}</dd>
            </div>
          ))}
      </dl>
    )}
  </>
);

type Window = { weekday: number; startTime: string; endTime: string };

const asLines = (windows: readonly Window[]): string => windows.map((w) => `${weekdays[w.weekday - 1] ?? w.weekday} ${w.startTime}-${w.endTime}`).join('\n');

/** "Monday 09:00-12:00" per line (a dash or en dash); a problem names its line. */
export const parseWindows = (text: string): { windows: Window[]; problem: string | null } => {
  const windows: Window[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = (lines[i] ?? '').trim();
    if (line === '') continue;
    const match = /^([A-Za-z]+)\s+(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2})$/.exec(line);
    const day = match ? weekdays.findIndex((d) => d.toLowerCase().startsWith((match[1] ?? '').toLowerCase()) && (match[1] ?? '').length >= 3) : -1;
    if (!match || day < 0) return { windows, problem: `Line ${i + 1}: write a weekday and two times, for example "Monday 09:00-12:00"` };
    const pad = (t: string) => t.padStart(5, '0');
    windows.push({ weekday: day + 1, startTime: pad(match[2] ?? ''), endTime: pad(match[3] ?? '') });
  }
  return { windows, problem: null };
};

/** The whole week replaced at once, with the version read (the server refuses a stale one). */
const AvailabilityForm = ({ therapistId, availability, onSaved }: { therapistId: string; availability: Availability; onSaved: () => void }) => {
  const [text, setText] = useState(asLines(availability.windows));
  const [problem, setProblem] = useState<string | null>(null);
  const save = async () => {
    const parsed = parseWindows(text);
    if (parsed.problem) {
      setProblem(parsed.problem);
      return;
    }
    try {
      await therapyApi.setAvailability(therapistId, { windows: parsed.windows, version: availability.version });
      setProblem(null);
      onSaved();
    } catch (error) {
      if (isApiError(error)) {
        // body.windows.N.field → the Nth non-empty line the person wrote.
        const field = error.fields[0];
        const index = field ? /^body\.windows\.(\d+)/.exec(field.path)?.[1] : undefined;
        setProblem(index !== undefined ? `Line ${Number(index) + 1}: ${field?.message ?? 'is not valid'}` : error.status === 409 ? 'Someone changed this availability meanwhile: reload the page and try again.' : error.message);
      } else setProblem('The availability could not be saved.');
    }
  };
  return (
    <Form onSubmit={save}>
      <TextArea
        id="availability-windows"
        label="Weekly availability"
        hint='One window per line, for example "Monday 09:00-12:00". Leave empty to declare none (bookings are then not restricted).'
        value={text}
        onChange={setText}
        error={problem ?? undefined}
        rows={6}
        labelSize="s"
      />
      <Button variant="secondary">Save availability</Button>
    </Form>
  );
};

const statusText = (e: Diary['entries'][number]): string => (e.kind === 'appointment' ? (statusLabels[e.status as keyof typeof statusLabels] ?? e.status) : 'Group session');

/** A therapist's next eight weeks: appointments and the group sessions they run. A manager may pick anyone's. */
export const DiaryPage = () => {
  const session = useSignedIn();
  const manager = session.can('manage:groups');
  const [therapistId, setTherapistId] = useState(session.user.id);
  const [staff] = useLoad(async () => (manager ? api.listUsers() : []), [manager]);
  const [diary] = useLoad(() => therapyApi.diary({ therapistId }), [therapistId]);
  // Case workers may open the diary page but not availability; they simply do not see it.
  const seesAvailability = session.can('take:attendance');
  // Kept here, not in the form: reloading the availability unmounts the form while it loads.
  const [availabilitySaved, setAvailabilitySaved] = useState(false);
  const [availability, reloadAvailability] = useLoad(async () => (seesAvailability ? therapyApi.availability(therapistId) : null), [therapistId, seesAvailability]);
  const therapists = staff.status === 'done' ? staff.data.filter((s) => s.active && (s.role === 'facilitator' || s.role === 'service_manager')) : [];
  return (
    <Page title="Diary" caption={diary.status === 'done' ? diary.data.therapistName : session.currentOrganisation?.name} width="full">
      {manager && therapists.length > 0 ? (
        <SelectField id="diary-therapist" label="Whose diary" options={therapists.map((s) => ({ value: s.id, label: s.name }))} value={therapistId} onChange={setTherapistId} />
      ) : null}
      {availabilitySaved ? (
        <p className="govuk-body" role="status">
          Availability saved.
        </p>
      ) : null}
      {availability.status === 'done' && availability.data ? (
        <>
          <AvailabilityList availability={availability.data} />
          {manager || therapistId === session.user.id ? (
            <AvailabilityForm
              key={therapistId}
              therapistId={therapistId} availability={availability.data}
              onSaved={() => {
                setAvailabilitySaved(true);
                reloadAvailability();
              }}
            />
          ) : null}
        </>
      ) : null}
      {diary.status === 'loading' ? <Loading what="the diary" /> : null}
      {diary.status === 'failed' ? <LoadFailed message={isApiError(diary.error) ? diary.error.message : 'The diary could not be loaded.'} /> : null}
      {diary.status === 'done' && diary.data.entries.length === 0 ? (
        <p className="govuk-body" role="status">{`Nothing booked from ${formatDay(diary.data.from)} to ${formatDay(diary.data.to)}.`}</p>
      ) : null}
      {diary.status === 'done' && diary.data.entries.length > 0 ? (
        <div className="tandem-table-scroll" role="region" aria-label="Diary" tabIndex={0}>
          <table className="govuk-table">
            <caption className="govuk-table__caption govuk-table__caption--m">{`${formatDay(diary.data.from)} to ${formatDay(diary.data.to)}`}</caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                {['Date', 'Time', 'What', 'Status'].map((h) => (
                  <th scope="col" className="govuk-table__header" key={h}>
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {diary.data.entries.map((e) => (
                <tr className="govuk-table__row" key={`${e.kind}-${e.id}`}>
                  <th scope="row" className="govuk-table__header tandem-nowrap">
                    {formatDay(e.onDate)}
                  </th>
                  <td className="govuk-table__cell tandem-nowrap">{`${e.startTime}–${e.endTime}`}</td>
                  <td className="govuk-table__cell">
                    <Link className="govuk-link" href={e.link}>
                      {e.title}
                    </Link>
                  </td>
                  <td className="govuk-table__cell">{e.kind === 'appointment' ? statusText(e) : <Tag colour="blue">Group session</Tag>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Page>
  );
};
