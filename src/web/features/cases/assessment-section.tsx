import { useState } from 'react';
import { assessmentOutcomeBody, jointInterviewBody, ratings, riskAssessmentBody, type Rating } from '../../../shared/contracts/assessment.ts';
import type { StaffMember } from '../../../shared/contracts/identity.ts';
import { api, type Assessment, type CaseDetail, type Programme, type RiskAssessment } from '../../api/endpoints.ts';
import { LoadFailed, Loading, Tag } from '../../components/feedback.tsx';
import { Button, Checkboxes, DateInput, emptyDate, ErrorSummary, Form, Radios, TextArea, TextField, type DateParts } from '../../components/form.tsx';
import { formatWhen } from '../../lib/format.ts';
import { blankToUndefined, parseForm } from '../../lib/form-problems.ts';
import { useLoad } from '../../lib/use-load.ts';
import { useSignedIn } from '../../session.tsx';
import { genderLabels, readDate } from '../referrals/referral-values.ts';
import { useSectionForm, type SectionProps } from './case-section.ts';

type Adult = CaseDetail['members'][number];

export const outcomeLabels: Record<NonNullable<Assessment['outcome']>, string> = {
  suitable: 'Suitable',
  suitable_with_conditions: 'Suitable with conditions',
  not_suitable: 'Not suitable',
};

const ratingLabels: Record<Rating, string> = { none: 'None', low: 'Low', medium: 'Medium', high: 'High' };
const ratingOptions = ratings.map((value) => ({ value, label: ratingLabels[value] }));

const ruleText: Record<Programme['facilitatorRule'], string> = {
  male_female_pair: 'needs two facilitators: one male and one female',
  pair: 'needs two facilitators',
  one: 'is delivered by one therapist',
  any: 'has no rule about who facilitates',
};

const genderText = (gender: string | null): string =>
  gender && gender in genderLabels ? genderLabels[gender as keyof typeof genderLabels] : 'gender not recorded';

const nameOf = (adult: Adult): string => `${adult.givenName} ${adult.familyName}`;

/** The booking that counts: the newest that was not cancelled (a rebooking cancels the one before). */
export const currentAssessment = (item: CaseDetail): Assessment | undefined => item.assessments.find((a) => a.status !== 'cancelled');

// ---------------------------------------------------------------------------------------------------------------
// Booking

const bookingLabels = {
  scheduledAt: 'Date of the assessment',
  time: 'Time',
  location: 'Where',
  facilitatorIds: 'Facilitators',
  ruleOverrideReason: 'Reason for breaking the facilitator rule',
  caseVersion: 'Case',
};

const TIME = /^([01]?\d|2[0-3])[:.]([0-5]\d)$/;

type BookingFormProps = SectionProps & {
  /** Who may be chosen; null when the person booking cannot list staff (they keep the current facilitators). */
  staff: StaffMember[] | null;
  current: Assessment | undefined;
  programme: Programme | undefined;
};

const BookingForm = ({ item, saved, reload, reportProblems, staff, current, programme }: BookingFormProps) => {
  const session = useSignedIn();
  const manager = session.currentOrganisation?.role === 'service_manager';
  const { problems, setProblems, failed } = useSectionForm('booking', { reload, reportProblems }, bookingLabels, ['scheduledAt', 'facilitatorIds', 'ruleOverrideReason']);
  const [date, setDate] = useState<DateParts>(emptyDate);
  const [time, setTime] = useState('');
  const [location, setLocation] = useState(current?.location ?? '');
  const [chosen, setChosen] = useState<string[]>(current?.facilitators.map((f) => f.id) ?? []);
  const [overrideReason, setOverrideReason] = useState('');

  const candidates = staff?.filter((person) => person.active && (person.role === 'facilitator' || person.role === 'service_manager')) ?? [];
  const firstFacilitatorId = staff ? `booking-facilitator-${candidates[0]?.id ?? 'none'}` : 'booking-location';
  const fieldOrder = [
    { name: 'scheduledAt', id: 'booking-date-day' },
    { name: 'time', id: 'booking-time' },
    { name: 'location', id: 'booking-location' },
    { name: 'facilitatorIds', id: firstFacilitatorId },
    { name: 'ruleOverrideReason', id: 'booking-override' },
  ];

  const submit = async () => {
    const fields: Record<string, string> = {};
    const day = readDate(date);
    if (day.problem) fields.scheduledAt = day.problem === 'blank' ? 'Enter the date of the assessment' : `Date of the assessment ${day.problem}`;
    const clock = TIME.exec(time.trim());
    if (!clock) fields.time = time.trim() === '' ? 'Enter the time of the assessment' : 'Time must be on the 24-hour clock, for example 14:30';
    if (chosen.length === 0) fields.facilitatorIds = 'Select at least one facilitator';
    if (Object.keys(fields).length > 0 || !day.iso || !clock) {
      setProblems({ fields, general: [] });
      return;
    }
    const [year, month, dayOfMonth] = day.iso.split('-').map(Number) as [number, number, number];
    // The time is the reader's local time; the API takes an instant with its offset.
    const scheduledAt = new Date(year, month - 1, dayOfMonth, Number(clock[1]), Number(clock[2])).toISOString();
    try {
      await api.bookAssessment(item.id, {
        scheduledAt,
        location: blankToUndefined(location),
        facilitatorIds: chosen,
        ruleOverrideReason: manager ? blankToUndefined(overrideReason) : undefined,
        caseVersion: item.version,
      });
      setProblems({ fields: {}, general: [] });
      await saved(current ? 'Assessment rebooked' : 'Assessment booked');
    } catch (error) {
      await failed(error);
    }
  };

  const toggle = (id: string, on: boolean) => setChosen((previous) => (on ? [...previous.filter((x) => x !== id), id] : previous.filter((x) => x !== id)));

  return (
    <>
      <ErrorSummary problems={problems} fieldOrder={fieldOrder} />
      <Form onSubmit={submit}>
        <DateInput id="booking-date" legend="Date of the assessment" value={date} onChange={setDate} hint="For example, 27 3 2026" error={problems.fields.scheduledAt} />
        <TextField
          id="booking-time"
          label="Time"
          hint="On the 24-hour clock, for example 14:30"
          width="5"
          inputMode="numeric"
          autoComplete="off"
          value={time}
          onChange={setTime}
          error={problems.fields.time}
        />
        <TextField id="booking-location" label="Where (optional)" hint="For example, the family’s home or a venue" value={location} onChange={setLocation} error={problems.fields.location} maxLength={200} />
        {staff ? (
          candidates.length === 0 ? (
            <p className="govuk-body">There are no active facilitators in this organisation. An organisation admin can invite them.</p>
          ) : (
            <Checkboxes
              id="booking-facilitators"
              legend="Facilitators"
              legendSize="s"
              hint={
                programme
                  ? `${programme.name} ${ruleText[programme.facilitatorRule]}. A facilitator’s gender is recorded on their user page.`
                  : 'A facilitator’s gender is recorded on their user page.'
              }
              error={problems.fields.facilitatorIds}
              items={candidates.map((person) => ({
                id: `booking-facilitator-${person.id}`,
                label: person.name,
                hint: `${person.role === 'service_manager' ? 'Service manager' : 'Facilitator'}, ${genderText(person.gender).toLowerCase()}`,
                checked: chosen.includes(person.id),
                onChange: (on: boolean) => toggle(person.id, on),
              }))}
            />
          )
        ) : (
          <div className="govuk-form-group">
            <p className="govuk-body govuk-!-margin-bottom-1">
              <strong>Facilitators</strong>
            </p>
            <p className="govuk-body">
              {current?.facilitators.map((f) => f.name).join(' and ')}. A service manager can change who facilitates.
            </p>
          </div>
        )}
        {manager && staff ? (
          <TextArea
            id="booking-override"
            label="Reason for breaking the facilitator rule (only if it is broken)"
            hint="Only a service manager can book facilitators who do not meet the programme’s rule, and the reason is kept with the booking."
            rows={3}
            value={overrideReason}
            onChange={setOverrideReason}
            error={problems.fields.ruleOverrideReason}
            maxLength={1000}
          />
        ) : null}
        <Button>{current ? 'Rebook the assessment' : 'Book the assessment'}</Button>
      </Form>
    </>
  );
};

const BookingSummary = ({ assessment }: { assessment: Assessment }) => (
  <dl className="govuk-summary-list">
    <div className="govuk-summary-list__row">
      <dt className="govuk-summary-list__key">When</dt>
      <dd className="govuk-summary-list__value">
        <time dateTime={assessment.scheduledAt}>{formatWhen(assessment.scheduledAt)}</time>
      </dd>
    </div>
    <div className="govuk-summary-list__row">
      <dt className="govuk-summary-list__key">Where</dt>
      <dd className="govuk-summary-list__value">{assessment.location ?? 'Not given'}</dd>
    </div>
    <div className="govuk-summary-list__row">
      <dt className="govuk-summary-list__key">Facilitators</dt>
      <dd className="govuk-summary-list__value">
        <ul className="govuk-list">
          {assessment.facilitators.map((f) => (
            <li key={f.id}>
              {f.name} ({genderText(f.gender).toLowerCase()})
            </li>
          ))}
        </ul>
      </dd>
    </div>
    {assessment.ruleOverrideReason ? (
      <div className="govuk-summary-list__row">
        <dt className="govuk-summary-list__key">Facilitator rule overridden</dt>
        <dd className="govuk-summary-list__value tandem-pre-wrap">{assessment.ruleOverrideReason}</dd>
      </div>
    ) : null}
    <div className="govuk-summary-list__row">
      <dt className="govuk-summary-list__key">Status</dt>
      <dd className="govuk-summary-list__value">
        {assessment.status === 'held' ? <Tag colour="green">Held</Tag> : <Tag colour="yellow">Booked</Tag>}
      </dd>
    </div>
  </dl>
);

const Booking = (props: SectionProps & { current: Assessment | undefined; programme: Programme | undefined }) => {
  const session = useSignedIn();
  const { item, current } = props;
  const mayBook = session.can('book:assessment') && (item.stage === 'triaged' || item.stage === 'assessment_booked') && current?.outcome == null;
  const mayListStaff = session.can('view:users');
  const [staff] = useLoad(() => (mayBook && mayListStaff ? api.listUsers() : Promise.resolve(null)), [session.currentOrganisation?.id, mayBook, mayListStaff]);

  const form = () => {
    if (!mayBook) return null;
    if (!mayListStaff && !current) {
      // Choosing facilitators needs the staff list, which only managers (and admins) may read.
      return (
        <div className="govuk-inset-text">
          Ask a service manager to book the assessment: they choose the facilitators. Once it is booked you can change its date, time or place here.
        </div>
      );
    }
    if (staff.status === 'loading') return <Loading what="facilitators" />;
    if (staff.status === 'failed') return <LoadFailed message="The list of facilitators could not be loaded, so the assessment cannot be booked now." />;
    const bookingForm = <BookingForm {...props} key={current?.id ?? 'new'} staff={staff.data} />;
    return current ? (
      <details className="govuk-details">
        <summary className="govuk-details__summary">
          <span className="govuk-details__summary-text">{mayListStaff ? 'Rebook the assessment' : 'Change the date, time or place'}</span>
        </summary>
        <div className="govuk-details__text">{bookingForm}</div>
      </details>
    ) : (
      bookingForm
    );
  };

  return (
    <>
      <h3 className="govuk-heading-s">Booking</h3>
      {current ? <BookingSummary assessment={current} /> : <p className="govuk-body">The assessment is not booked yet.</p>}
      {form()}
    </>
  );
};

// ---------------------------------------------------------------------------------------------------------------
// Joint interview

const JointInterview = (props: SectionProps & { assessment: Assessment; editable: boolean }) => {
  const { assessment, editable, saved } = props;
  const labels = { notes: 'Joint interview notes', version: 'Assessment' };
  const { problems, setProblems, failed } = useSectionForm('joint-interview', props, labels);
  const [notes, setNotes] = useState(assessment.jointInterviewNotes ?? '');

  const submit = async () => {
    const parsed = parseForm(jointInterviewBody, { notes, version: assessment.version }, labels);
    if (!parsed.ok) return setProblems(parsed.problems);
    try {
      await api.recordJointInterview(assessment.id, parsed.data);
      await saved('Joint interview notes saved');
    } catch (error) {
      await failed(error);
    }
  };

  return (
    <>
      <h3 className="govuk-heading-s">Joint interview</h3>
      {editable ? (
        <>
          <ErrorSummary problems={problems} fieldOrder={[{ name: 'notes', id: 'joint-notes' }]} />
          <Form onSubmit={submit}>
            <TextArea
              id="joint-notes"
              label="Joint interview notes"
              hint="What the couple said together. Each parent’s separate interview goes in their risk assessment below."
              rows={6}
              value={notes}
              onChange={setNotes}
              error={problems.fields.notes}
              maxLength={20000}
            />
            <Button variant="secondary">Save joint interview notes</Button>
          </Form>
        </>
      ) : (
        <p className="govuk-body tandem-pre-wrap">{assessment.jointInterviewNotes ?? 'No notes were recorded.'}</p>
      )}
    </>
  );
};

// ---------------------------------------------------------------------------------------------------------------
// Risk assessment per parent

const areas = [
  { key: 'riskToChild', notes: 'riskToChildNotes', label: 'Risk to the child' },
  { key: 'domesticAbuse', notes: 'domesticAbuseNotes', label: 'Domestic abuse' },
  { key: 'mentalHealth', notes: 'mentalHealthNotes', label: 'Mental health' },
  { key: 'substanceUse', notes: 'substanceUseNotes', label: 'Substance use' },
] as const;
type AreaKey = (typeof areas)[number]['key'];
type NotesKey = (typeof areas)[number]['notes'];

const riskLabels: Record<string, string> = {
  ...Object.fromEntries(areas.flatMap((area) => [
    [area.key, area.label],
    [area.notes, `Notes on ${area.label.toLowerCase()}`],
  ])),
  domesticAbuseIndicated: 'Domestic abuse indicated',
  privateDisclosure: 'Private disclosure',
  disclosureIsSafeguardingConcern: 'Safeguarding concern',
  version: 'Risk assessment',
};

const PrivateDisclosures = ({ name, risk }: { name: string; risk: RiskAssessment }) => {
  // The server includes them only for staff with a need to know, and only this parent's own.
  if (!risk.privateDisclosures || risk.privateDisclosures.length === 0) return null;
  return (
    <div className="govuk-inset-text tandem-private">
      <h4 className="govuk-heading-s">Private to this parent</h4>
      <p className="govuk-body-s">What {name} said alone. Only staff with a need to know can read this; the other parent never sees it.</p>
      <ul className="govuk-list govuk-list--spaced">
        {risk.privateDisclosures.map((disclosure) => (
          <li key={disclosure.recordedAt}>
            <span className="tandem-pre-wrap">{disclosure.body}</span>
            <br />
            <span className="govuk-body-s tandem-secondary-text">
              Recorded <time dateTime={disclosure.recordedAt}>{formatWhen(disclosure.recordedAt)}</time>
              {disclosure.isSafeguardingConcern ? ' · marked as a safeguarding concern' : ''}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
};

const RiskSummary = ({ risk }: { risk: RiskAssessment }) => (
  <dl className="govuk-summary-list">
    {areas.map((area) => (
      <div className="govuk-summary-list__row" key={area.key}>
        <dt className="govuk-summary-list__key">{area.label}</dt>
        <dd className="govuk-summary-list__value">
          {risk[area.key] === 'high' ? <Tag colour="red">High</Tag> : ratingLabels[risk[area.key]]}
          {risk[area.notes] ? <span className="tandem-pre-wrap tandem-block">{risk[area.notes]}</span> : null}
        </dd>
      </div>
    ))}
    <div className="govuk-summary-list__row">
      <dt className="govuk-summary-list__key">Domestic abuse indicated</dt>
      <dd className="govuk-summary-list__value">{risk.domesticAbuseIndicated ? <Tag colour="red">Yes</Tag> : 'No'}</dd>
    </div>
    <div className="govuk-summary-list__row">
      <dt className="govuk-summary-list__key">Recorded</dt>
      <dd className="govuk-summary-list__value">
        <time dateTime={risk.recordedAt}>{formatWhen(risk.recordedAt)}</time>
      </dd>
    </div>
  </dl>
);

type RiskValues = Record<AreaKey, string> & Record<NotesKey, string> & { domesticAbuseIndicated: string; privateDisclosure: string; concern: boolean };

const riskValuesOf = (risk: RiskAssessment | undefined): RiskValues => ({
  riskToChild: risk?.riskToChild ?? '',
  riskToChildNotes: risk?.riskToChildNotes ?? '',
  domesticAbuse: risk?.domesticAbuse ?? '',
  domesticAbuseNotes: risk?.domesticAbuseNotes ?? '',
  mentalHealth: risk?.mentalHealth ?? '',
  mentalHealthNotes: risk?.mentalHealthNotes ?? '',
  substanceUse: risk?.substanceUse ?? '',
  substanceUseNotes: risk?.substanceUseNotes ?? '',
  domesticAbuseIndicated: risk ? (risk.domesticAbuseIndicated ? 'yes' : 'no') : '',
  privateDisclosure: '',
  concern: false,
});

type RiskFormProps = SectionProps & { assessment: Assessment; adult: Adult; index: number; risk: RiskAssessment | undefined; others: string[] };

const RiskForm = (props: RiskFormProps) => {
  const { assessment, adult, index, risk, others, saved } = props;
  const name = nameOf(adult);
  const prefix = `risk-${index}`;
  const { problems, setProblems, failed } = useSectionForm(prefix, props, riskLabels);
  const [values, setValues] = useState<RiskValues>(() => riskValuesOf(risk));
  const set = <K extends keyof RiskValues>(key: K, value: RiskValues[K]) => setValues((previous) => ({ ...previous, [key]: value }));

  const fieldOrder = [
    ...areas.flatMap((area) => [
      { name: area.key, id: `${prefix}-${area.key}` },
      { name: area.notes, id: `${prefix}-${area.notes}` },
      ...(area.key === 'domesticAbuse' ? [{ name: 'domesticAbuseIndicated', id: `${prefix}-domesticAbuseIndicated` }] : []),
    ]),
    { name: 'privateDisclosure', id: `${prefix}-privateDisclosure` },
  ];

  const submit = async () => {
    const blank = Object.fromEntries(areas.map((area) => [area.key, `Select a rating for ${area.label.toLowerCase()}`]));
    const parsed = parseForm(
      riskAssessmentBody,
      {
        ...values,
        domesticAbuseIndicated: values.domesticAbuseIndicated === '' ? '' : values.domesticAbuseIndicated === 'yes',
        privateDisclosure: blankToUndefined(values.privateDisclosure),
        disclosureIsSafeguardingConcern: values.concern,
        version: risk?.version ?? 0,
      },
      riskLabels,
      { ...blank, domesticAbuseIndicated: 'Select whether domestic abuse is indicated' },
    );
    if (!parsed.ok) {
      const { fields } = parsed.problems;
      if (values.concern && !values.privateDisclosure.trim()) fields.privateDisclosure = 'Record the disclosure before marking it as a safeguarding concern';
      return setProblems(parsed.problems);
    }
    try {
      await api.recordRiskAssessment(assessment.id, adult.personId, parsed.data);
      await saved(`Risk assessment for ${name} saved`);
    } catch (error) {
      await failed(error);
    }
  };

  const otherParents = others.length === 0 ? 'other family members' : others.join(' and ');
  return (
    <>
      <ErrorSummary problems={problems} fieldOrder={fieldOrder} />
      <Form onSubmit={submit}>
        {areas.map((area) => (
          <div key={area.key}>
            <Radios
              id={`${prefix}-${area.key}`}
              name={`${prefix}-${area.key}`}
              legend={area.label}
              legendSize="s"
              inline
              options={ratingOptions}
              value={values[area.key]}
              onChange={(value) => set(area.key, value)}
              error={problems.fields[area.key]}
            />
            <TextArea
              id={`${prefix}-${area.notes}`}
              label={`Notes on ${area.label.toLowerCase()} (optional)`}
              rows={3}
              value={values[area.notes]}
              onChange={(value) => set(area.notes, value)}
              error={problems.fields[area.notes]}
              maxLength={4000}
            />
            {area.key === 'domesticAbuse' ? (
              <Radios
                id={`${prefix}-domesticAbuseIndicated`}
                name={`${prefix}-domesticAbuseIndicated`}
                legend="Is domestic abuse indicated?"
                legendSize="s"
                inline
                hint="If it is, a safeguarding flag is raised and couple work is not offered until a service manager has decided."
                options={[
                  { value: 'yes', label: 'Yes' },
                  { value: 'no', label: 'No' },
                ]}
                value={values.domesticAbuseIndicated}
                onChange={(value) => set('domesticAbuseIndicated', value)}
                error={problems.fields.domesticAbuseIndicated}
              />
            ) : null}
          </div>
        ))}
        <div className="govuk-warning-text">
          <span className="govuk-warning-text__icon" aria-hidden="true">
            !
          </span>
          <strong className="govuk-warning-text__text">
            <span className="govuk-visually-hidden">Warning</span>
            A private disclosure stays private to {name}. Staff with a need to know can read it; {otherParents} will never see it.
          </strong>
        </div>
        <TextArea
          id={`${prefix}-privateDisclosure`}
          label="Private disclosure (optional)"
          hint={
            risk?.privateDisclosures && risk.privateDisclosures.length > 0
              ? 'Anything new that this parent said alone. It is added to what was recorded before, which is kept as it was.'
              : 'Anything this parent said alone that they do not want shared with the other parent.'
          }
          rows={4}
          value={values.privateDisclosure}
          onChange={(value) => set('privateDisclosure', value)}
          error={problems.fields.privateDisclosure}
          maxLength={10000}
        />
        <Checkboxes
          id={`${prefix}-concern`}
          small
          items={[
            {
              id: `${prefix}-concern`,
              label: 'This disclosure is a safeguarding concern',
              hint: 'A safeguarding flag is raised for a service manager to decide. The flag names the parent, never the words of the disclosure.',
              checked: values.concern,
              onChange: (checked: boolean) => set('concern', checked),
            },
          ]}
        />
        <Button variant="secondary">{risk ? 'Update risk assessment' : 'Save risk assessment'}</Button>
      </Form>
    </>
  );
};

const ParentRisk = (props: SectionProps & { assessment: Assessment; adult: Adult; index: number; adults: Adult[]; editable: boolean }) => {
  const { assessment, adult, index, adults, editable } = props;
  const session = useSignedIn();
  const risk = assessment.riskAssessments.find((r) => r.personId === adult.personId);
  const name = nameOf(adult);
  const headingId = `risk-${index}-heading`;
  const others = adults.filter((other) => other.personId !== adult.personId).map(nameOf);
  const form = editable && session.can('record:assessment') ? (
    <RiskForm {...props} key={`${assessment.id}-${risk?.version ?? 0}`} risk={risk} others={others} />
  ) : null;
  return (
    <section className="tandem-person-block" aria-labelledby={headingId}>
      <h4 className="govuk-heading-s" id={headingId}>
        Risk assessment: {name}
      </h4>
      {risk ? (
        <>
          <RiskSummary risk={risk} />
          <PrivateDisclosures name={name} risk={risk} />
          {form ? (
            <details className="govuk-details">
              <summary className="govuk-details__summary">
                <span className="govuk-details__summary-text">Update {name}’s risk assessment</span>
              </summary>
              <div className="govuk-details__text">{form}</div>
            </details>
          ) : null}
        </>
      ) : (
        <>
          <p className="govuk-body">Not recorded yet.</p>
          {form}
        </>
      )}
    </section>
  );
};

// ---------------------------------------------------------------------------------------------------------------
// Outcome

const outcomeFieldLabels = { outcome: 'Outcome', conditions: 'Conditions', onwardReferral: 'Onward referral', version: 'Assessment' };

const Outcome = (props: SectionProps & { assessment: Assessment; missing: string[] }) => {
  const { assessment, missing, saved } = props;
  const session = useSignedIn();
  const { problems, setProblems, failed } = useSectionForm('outcome', props, outcomeFieldLabels, ['outcome']);
  const [outcome, setOutcome] = useState('');
  const [conditions, setConditions] = useState('');
  const [onwardReferral, setOnwardReferral] = useState('');

  if (assessment.outcome) {
    return (
      <>
        <h3 className="govuk-heading-s">Outcome</h3>
        <dl className="govuk-summary-list">
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Outcome</dt>
            <dd className="govuk-summary-list__value">{outcomeLabels[assessment.outcome]}</dd>
          </div>
          {assessment.outcomeConditions ? (
            <div className="govuk-summary-list__row">
              <dt className="govuk-summary-list__key">Conditions</dt>
              <dd className="govuk-summary-list__value tandem-pre-wrap">{assessment.outcomeConditions}</dd>
            </div>
          ) : null}
          {assessment.onwardReferral ? (
            <div className="govuk-summary-list__row">
              <dt className="govuk-summary-list__key">Referred on to</dt>
              <dd className="govuk-summary-list__value tandem-pre-wrap">{assessment.onwardReferral}</dd>
            </div>
          ) : null}
        </dl>
      </>
    );
  }
  if (!session.can('record:assessment')) return null;

  const submit = async () => {
    const parsed = parseForm(
      assessmentOutcomeBody,
      {
        outcome,
        conditions: outcome === 'suitable_with_conditions' ? blankToUndefined(conditions) : undefined,
        onwardReferral: outcome === 'not_suitable' ? blankToUndefined(onwardReferral) : undefined,
        version: assessment.version,
      },
      outcomeFieldLabels,
      { outcome: 'Select the outcome of the assessment' },
    );
    if (!parsed.ok) {
      const { fields } = parsed.problems;
      if (fields.conditions) fields.conditions = 'Say what the conditions are';
      if (fields.onwardReferral) fields.onwardReferral = 'Say where the family is referred on to';
      return setProblems(parsed.problems);
    }
    try {
      await api.recordOutcome(assessment.id, parsed.data);
      await saved(`Outcome recorded: ${outcomeLabels[parsed.data.outcome].toLowerCase()}`);
    } catch (error) {
      await failed(error);
    }
  };

  return (
    <>
      <h3 className="govuk-heading-s">Outcome</h3>
      {missing.length > 0 ? (
        <div className="govuk-inset-text">Record a risk assessment for {missing.join(' and ')} before the outcome.</div>
      ) : null}
      <ErrorSummary
        problems={problems}
        fieldOrder={[
          { name: 'outcome', id: 'outcome' },
          { name: 'conditions', id: 'outcome-conditions' },
          { name: 'onwardReferral', id: 'outcome-onward' },
        ]}
      />
      <Form onSubmit={submit}>
        <Radios
          id="outcome"
          name="outcome"
          legend="Outcome of the assessment"
          legendSize="s"
          hint="Recording it moves the case to assessed."
          options={[
            { value: 'suitable', label: outcomeLabels.suitable },
            { value: 'suitable_with_conditions', label: outcomeLabels.suitable_with_conditions },
            { value: 'not_suitable', label: outcomeLabels.not_suitable, hint: 'The family is referred on to another service' },
          ]}
          value={outcome}
          onChange={setOutcome}
          error={problems.fields.outcome}
          conditional={{
            suitable_with_conditions: (
              <TextArea id="outcome-conditions" label="Conditions" rows={3} value={conditions} onChange={setConditions} error={problems.fields.conditions} maxLength={2000} />
            ),
            not_suitable: (
              <TextArea
                id="outcome-onward"
                label="Where the family is referred on to"
                rows={3}
                value={onwardReferral}
                onChange={setOnwardReferral}
                error={problems.fields.onwardReferral}
                maxLength={500}
              />
            ),
          }}
        />
        <Button>Record outcome</Button>
      </Form>
    </>
  );
};

// ---------------------------------------------------------------------------------------------------------------

/** The case page's assessment: the booking, the joint interview, each parent's risk assessment and the outcome. */
export const AssessmentSection = (props: SectionProps) => {
  const { item } = props;
  const session = useSignedIn();
  const current = currentAssessment(item);
  const [programmes] = useLoad(() => (session.can('view:programmes') ? api.listProgrammes() : Promise.resolve([])), [session.currentOrganisation?.id]);
  const programme = programmes.status === 'done' ? programmes.data.find((p) => p.id === item.programmeId) : undefined;
  const adults = item.members.filter((member) => !member.isChild);
  // Once the outcome is recorded the assessment is a record; a new booking starts a new one.
  const editable = current !== undefined && current.status !== 'cancelled' && current.outcome === null;
  const missing = current ? adults.filter((adult) => !current.riskAssessments.some((r) => r.personId === adult.personId)).map(nameOf) : [];

  return (
    <section className="tandem-two-thirds" aria-labelledby="assessment-heading">
      <h2 className="govuk-heading-m" id="assessment-heading">
        Assessment
      </h2>
      <Booking {...props} current={current} programme={programme} />
      {current ? (
        <>
          <JointInterview {...props} key={`joint-${current.id}-${current.version}`} assessment={current} editable={editable && session.can('record:assessment')} />
          <h3 className="govuk-heading-s">Each parent’s separate risk assessment</h3>
          {adults.map((adult, index) => (
            <ParentRisk {...props} key={adult.personId} assessment={current} adult={adult} index={index} adults={adults} editable={editable} />
          ))}
          <Outcome {...props} key={`outcome-${current.id}`} assessment={current} missing={missing} />
        </>
      ) : null}
    </section>
  );
};
