import { useState } from 'react';
import { api } from '../../api/endpoints.ts';
import { LoadFailed, Loading } from '../../components/feedback.tsx';
import { Button, DateInput, emptyDate, ErrorSummary, Form, Radios, SelectField, TextField, type DateParts } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { hasProblems, noProblems, problemsFromError, withLabel, type FormProblems } from '../../lib/form-problems.ts';
import { useLoad } from '../../lib/use-load.ts';
import { useRouter } from '../../router.tsx';
import { useSignedIn } from '../../session.tsx';
import { readDate } from '../referrals/referral-values.ts';
import { therapyApi, withoutLabel } from './therapy-api.ts';

type Closure = { from: DateParts; to: DateParts; reason: string };

const labels = {
  caseId: 'Couple',
  therapistId: 'Therapist',
  kind: 'What to book',
  firstDate: 'Date of the first appointment',
  startTime: 'Start time',
  count: 'Number of weekly appointments',
  minutes: 'Length in minutes',
  venue: 'Venue',
  closures: 'Closures',
  outsideAvailabilityReason: 'Reason to book outside declared working hours',
  caseVersion: 'Couple',
};

const fieldOrder = [
  { name: 'caseId', id: 'therapy-case' },
  { name: 'therapistId', id: 'therapy-therapist' },
  { name: 'kind', id: 'therapy-kind' },
  { name: 'firstDate', id: 'therapy-first-day' },
  { name: 'startTime', id: 'therapy-time' },
  { name: 'count', id: 'therapy-count' },
  { name: 'minutes', id: 'therapy-minutes' },
  { name: 'venue', id: 'therapy-venue' },
  { name: 'closures', id: 'closure-0-from-day' },
  { name: 'outsideAvailabilityReason', id: 'therapy-outside-reason' },
];

const openStages = ['referred', 'triaged', 'assessment_booked', 'assessed', 'awaiting_group', 'in_service'];

/** Books a consultation, or a weekly series of up to 20 appointments, refused whole if any date clashes. */
export const BookTherapyPage = () => {
  const session = useSignedIn();
  const { navigate } = useRouter();
  const [options] = useLoad(async () => ({ cases: await api.listCases({}), staff: await api.listUsers() }), [session.currentOrganisation?.id]);
  const [caseId, setCaseId] = useState('');
  const [therapistId, setTherapistId] = useState('');
  const [kind, setKind] = useState('therapy');
  const [firstDate, setFirstDate] = useState<DateParts>(emptyDate);
  const [startTime, setStartTime] = useState('10:00');
  const [count, setCount] = useState('20');
  const [minutes, setMinutes] = useState('50');
  const [venue, setVenue] = useState('');
  const [outsideReason, setOutsideReason] = useState('');
  const [closures, setClosures] = useState<Closure[]>([]);
  const [problems, setProblems] = useState<FormProblems>(noProblems);

  if (options.status === 'loading') return <Loading what="couples and therapists" />;
  if (options.status === 'failed') return <LoadFailed message="The couples and therapists could not be loaded." />;
  const cases = options.data.cases.filter((c) => openStages.includes(c.stage));
  const therapists = options.data.staff.filter((s) => s.active && (s.role === 'facilitator' || s.role === 'service_manager'));

  const submit = async () => {
    const found: FormProblems = { fields: {}, general: [] };
    const first = readDate(firstDate);
    if (first.problem) found.fields.firstDate = first.problem === 'blank' ? 'Enter the date of the first appointment' : withLabel(labels.firstDate, first.problem);
    const closureBodies = closures.map((c, i) => {
      const from = readDate(c.from);
      const to = c.to.day.trim() || c.to.month.trim() || c.to.year.trim() ? readDate(c.to) : from;
      if (from.problem || to.problem) found.fields.closures ??= `Closure ${i + 1} needs a real first and last day`;
      return { from: from.iso ?? '', to: to.iso ?? '', reason: c.reason };
    });
    if (!caseId) found.fields.caseId = 'Select a couple';
    if (!therapistId) found.fields.therapistId = 'Select a therapist';
    const n = kind === 'consultation' ? 1 : Number(count);
    if (!Number.isInteger(n)) found.fields.count = 'Enter the number of appointments as a whole number, for example 20';
    const length = Number(minutes);
    if (!Number.isInteger(length)) found.fields.minutes = 'Enter the length in minutes, for example 50';
    if (hasProblems(found)) return setProblems(found);
    const chosen = cases.find((c) => c.id === caseId);
    try {
      const booked = await therapyApi.book(caseId, {
        therapistId,
        kind: kind === 'consultation' ? 'consultation' : 'therapy',
        firstDate: first.iso ?? '',
        startTime,
        count: n,
        minutes: length,
        venue,
        closures: closureBodies,
        ...(outsideReason.trim() ? { outsideAvailabilityReason: outsideReason.trim() } : {}),
        caseVersion: chosen?.version ?? 1,
      });
      navigate(`/therapy/${booked.id}`, { flash: { heading: `${booked.appointmentCount} ${booked.appointmentCount === 1 ? 'appointment' : 'appointments'} booked`, text: `From ${booked.firstDate} at ${booked.startTime}` } });
    } catch (error) {
      setProblems(withoutLabel(problemsFromError(error, labels), 'firstDate', labels.firstDate));
    }
  };

  return (
    <Page title="Book therapy appointments" caption={session.currentOrganisation?.name} hasErrors={hasProblems(problems)}>
      <ErrorSummary problems={problems} fieldOrder={fieldOrder} />
      <Form onSubmit={submit}>
        <SelectField
          id="therapy-case"
          label={labels.caseId}
          options={[{ value: '', label: 'Select a couple' }, ...cases.map((c) => ({ value: c.id, label: `${c.familyLabel} (${c.reference})` }))]}
          value={caseId}
          onChange={setCaseId}
          error={problems.fields.caseId}
        />
        <SelectField
          id="therapy-therapist"
          label={labels.therapistId}
          options={[{ value: '', label: 'Select a therapist' }, ...therapists.map((s) => ({ value: s.id, label: s.name }))]}
          value={therapistId}
          onChange={setTherapistId}
          error={problems.fields.therapistId}
        />
        <Radios
          id="therapy-kind"
          name="kind"
          legend={labels.kind}
          options={[
            { value: 'consultation', label: 'An initial consultation', hint: 'One appointment, before the work is agreed' },
            { value: 'therapy', label: 'Weekly therapy sessions', hint: 'Up to 20, on the same day and time each week' },
          ]}
          value={kind}
          onChange={setKind}
          error={problems.fields.kind}
        />
        <DateInput id="therapy-first" legend={labels.firstDate} value={firstDate} onChange={setFirstDate} hint="The rest follow weekly. For example, 12 1 2027" error={problems.fields.firstDate} />
        <TextField id="therapy-time" label={labels.startTime} hint="24-hour clock, for example 10:00" value={startTime} onChange={setStartTime} width="5" error={problems.fields.startTime} />
        {kind === 'therapy' ? <TextField id="therapy-count" label={labels.count} hint="Up to 20" value={count} onChange={setCount} width="3" inputMode="numeric" error={problems.fields.count} /> : null}
        <TextField id="therapy-minutes" label={labels.minutes} value={minutes} onChange={setMinutes} width="3" inputMode="numeric" error={problems.fields.minutes} />
        <TextField id="therapy-venue" label={labels.venue} value={venue} onChange={setVenue} error={problems.fields.venue} />
        <TextField
          id="therapy-outside-reason"
          label={labels.outsideAvailabilityReason}
          hint="Only if the time falls outside the therapist's declared working hours"
          value={outsideReason}
          onChange={setOutsideReason}
          error={problems.fields.outsideAvailabilityReason}
        />
        <fieldset className="govuk-fieldset govuk-!-margin-bottom-6">
          <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">Closures</legend>
          <p className="govuk-hint">Bank holidays and the service’s closures: a week whose date falls in one is skipped.</p>
          {problems.fields.closures ? <p className="govuk-error-message">{problems.fields.closures}</p> : null}
          {closures.map((c, i) => (
            <div key={i} className="tandem-person-block">
              <DateInput id={`closure-${i}-from`} legend={`Closure ${i + 1}: first day`} value={c.from} onChange={(from) => setClosures(closures.map((x, j) => (j === i ? { ...x, from } : x)))} />
              <DateInput id={`closure-${i}-to`} legend={`Closure ${i + 1}: last day`} hint="Leave empty for a single day" value={c.to} onChange={(to) => setClosures(closures.map((x, j) => (j === i ? { ...x, to } : x)))} />
              <TextField id={`closure-${i}-reason`} label={`Closure ${i + 1}: reason`} value={c.reason} onChange={(reason) => setClosures(closures.map((x, j) => (j === i ? { ...x, reason } : x)))} width="20" />
              <Button variant="secondary" type="button" onClick={() => setClosures(closures.filter((_x, j) => j !== i))}>
                {`Remove closure ${i + 1}`}
              </Button>
            </div>
          ))}
          <Button variant="secondary" type="button" onClick={() => setClosures([...closures, { from: emptyDate, to: emptyDate, reason: '' }])}>
            Add a closure
          </Button>
        </fieldset>
        <Button>Book the appointments</Button>
      </Form>
    </Page>
  );
};
