import { useState } from 'react';
import { api } from '../../api/endpoints.ts';
import { LoadFailed, Loading } from '../../components/feedback.tsx';
import { Button, DateInput, emptyDate, ErrorSummary, Form, SelectField, TextField, type DateParts } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { hasProblems, noProblems, problemsFromError, withLabel, type FormProblems } from '../../lib/form-problems.ts';
import { useLoad } from '../../lib/use-load.ts';
import { useRouter } from '../../router.tsx';
import { useSignedIn } from '../../session.tsx';
import { readDate } from '../referrals/referral-values.ts';
import { groupsApi } from './groups-api.ts';

type Closure = { from: DateParts; to: DateParts; reason: string };
const genderLabel = (g: string | null): string => (g === 'female' ? 'woman' : g === 'male' ? 'man' : 'gender not recorded');

const labels = {
  programmeId: 'Programme',
  name: 'Group name',
  site: 'Site',
  venue: 'Venue',
  startDate: 'Date of the first session',
  startTime: 'Start time',
  closures: 'Closures',
  facilitatorIds: 'Facilitators',
  ruleOverrideReason: 'Reason for breaking the facilitator rule',
  capacity: 'Capacity',
};

const fieldOrder = [
  { name: 'programmeId', id: 'group-programme' },
  { name: 'name', id: 'group-name' },
  { name: 'site', id: 'group-site' },
  { name: 'venue', id: 'group-venue' },
  { name: 'startDate', id: 'group-start-day' },
  { name: 'startTime', id: 'group-time' },
  { name: 'closures', id: 'closure-0-from-day' },
  { name: 'facilitatorIds', id: 'group-facilitator-1' },
  { name: 'ruleOverrideReason', id: 'group-override' },
];

/** Plans a group: its sessions are generated from the programme's template, weekly, skipping the closures. */
export const PlanGroupPage = () => {
  const session = useSignedIn();
  const { navigate } = useRouter();
  const [options] = useLoad(async () => ({ programmes: await api.listProgrammes(), staff: await api.listUsers() }), [session.currentOrganisation?.id]);
  const [programmeId, setProgrammeId] = useState('');
  const [name, setName] = useState('');
  const [site, setSite] = useState('');
  const [venue, setVenue] = useState('');
  const [startDate, setStartDate] = useState<DateParts>(emptyDate);
  const [startTime, setStartTime] = useState('18:00');
  const [closures, setClosures] = useState<Closure[]>([]);
  const [first, setFirst] = useState('');
  const [second, setSecond] = useState('');
  const [override, setOverride] = useState('');
  const [problems, setProblems] = useState<FormProblems>(noProblems);

  if (options.status === 'loading') return <Loading what="programmes" />;
  if (options.status === 'failed') return <LoadFailed message="The programmes and staff could not be loaded." />;
  const facilitators = options.data.staff.filter((s) => s.active && (s.role === 'facilitator' || s.role === 'service_manager'));
  const staffOptions = [{ value: '', label: 'Nobody yet' }, ...facilitators.map((s) => ({ value: s.id, label: `${s.name} (${genderLabel(s.gender)})` }))];

  const submit = async () => {
    const found: FormProblems = { fields: {}, general: [] };
    const start = readDate(startDate);
    if (start.problem) found.fields.startDate = start.problem === 'blank' ? 'Enter the date of the first session' : withLabel(labels.startDate, start.problem);
    const closureBodies = closures.map((c, i) => {
      const from = readDate(c.from);
      const to = c.to.day.trim() || c.to.month.trim() || c.to.year.trim() ? readDate(c.to) : from;
      if (from.problem || to.problem) found.fields.closures ??= `Closure ${i + 1} needs a real first and last day`;
      return { from: from.iso ?? '', to: to.iso ?? '', reason: c.reason };
    });
    if (!programmeId) found.fields.programmeId = 'Select a programme';
    if (hasProblems(found)) return setProblems(found);
    try {
      const created = await groupsApi.create({
        programmeId,
        name,
        site,
        venue,
        startDate: start.iso ?? '',
        startTime,
        closures: closureBodies,
        facilitatorIds: [first, second].filter(Boolean),
        ...(override.trim() ? { ruleOverrideReason: override } : {}),
      });
      navigate(`/groups/${created.id}`, { flash: { heading: `${created.name} planned`, text: `${created.sessions.length} sessions from ${created.startDate}` } });
    } catch (error) {
      setProblems(problemsFromError(error, labels));
    }
  };

  return (
    <Page title="Plan a group" caption={session.currentOrganisation?.name} hasErrors={hasProblems(problems)}>
      <ErrorSummary problems={problems} fieldOrder={fieldOrder} />
      <Form onSubmit={submit}>
        <SelectField
          id="group-programme"
          label={labels.programmeId}
          options={[{ value: '', label: 'Select a programme' }, ...options.data.programmes.map((p) => ({ value: p.id, label: p.name }))]}
          value={programmeId}
          onChange={setProgrammeId}
          hint="The sessions, their topics, the crèche and the capacity come from the programme's template."
          error={problems.fields.programmeId}
        />
        <TextField id="group-name" label={labels.name} value={name} onChange={setName} error={problems.fields.name} />
        <TextField id="group-site" label={labels.site} value={site} onChange={setSite} width="20" error={problems.fields.site} />
        <TextField id="group-venue" label={labels.venue} value={venue} onChange={setVenue} error={problems.fields.venue} />
        <DateInput id="group-start" legend={labels.startDate} value={startDate} onChange={setStartDate} hint="The rest follow weekly. For example, 12 1 2027" error={problems.fields.startDate} />
        <TextField id="group-time" label={labels.startTime} hint="24-hour clock, at the venue, for example 18:00" value={startTime} onChange={setStartTime} width="5" error={problems.fields.startTime} />
        <fieldset className="govuk-fieldset govuk-!-margin-bottom-6">
          <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">Closures</legend>
          <p className="govuk-hint">Bank holidays and school holidays: a week whose session falls in a closure is skipped.</p>
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
        <SelectField id="group-facilitator-1" label="First facilitator" options={staffOptions} value={first} onChange={setFirst} hint="Assigned to every session; change single sessions on the group's page." error={problems.fields.facilitatorIds} />
        <SelectField id="group-facilitator-2" label="Second facilitator" options={staffOptions} value={second} onChange={setSecond} />
        <TextField
          id="group-override"
          label={labels.ruleOverrideReason}
          hint="Only if the facilitators do not meet the programme's rule (for example one male and one female facilitator)."
          value={override}
          onChange={setOverride}
          error={problems.fields.ruleOverrideReason}
        />
        <Button>Plan the group</Button>
      </Form>
    </Page>
  );
};
