import { useState } from 'react';
import { isApiError } from '../../api/client.ts';
import { LoadFailed, Loading, Tag } from '../../components/feedback.tsx';
import { Button, DateInput, emptyDate, ErrorSummary, Form, Radios, TextField, type DateParts } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { formatDay } from '../../lib/format.ts';
import { hasProblems, noProblems, problemsFromError, withLabel, type FormProblems } from '../../lib/form-problems.ts';
import { useLoad } from '../../lib/use-load.ts';
import { Link, useRouter } from '../../router.tsx';
import { readDate } from '../referrals/referral-values.ts';
import { statusColours, statusLabels, therapyApi, withoutLabel } from './therapy-api.ts';

const moveLabels = { onDate: 'New date', startTime: 'New start time', reason: 'Why it moves', outsideAvailabilityReason: 'Reason to move outside declared working hours' };
const outcomeLabels = { outcome: 'What happened', note: 'Note' };

/** One appointment: move it (clash-checked, kept in its history) or record what happened. */
export const AppointmentPage = ({ seriesId, appointmentId }: { seriesId: string; appointmentId: string }) => {
  const { navigate } = useRouter();
  const [series] = useLoad(() => therapyApi.get(seriesId), [seriesId]);
  const [onDate, setOnDate] = useState<DateParts>(emptyDate);
  const [startTime, setStartTime] = useState('');
  const [reason, setReason] = useState('');
  const [outsideReason, setOutsideReason] = useState('');
  const [outcome, setOutcome] = useState('');
  const [note, setNote] = useState('');
  const [moveProblems, setMoveProblems] = useState<FormProblems>(noProblems);
  const [outcomeProblems, setOutcomeProblems] = useState<FormProblems>(noProblems);

  if (series.status === 'loading') return <Loading what="the appointment" />;
  if (series.status === 'failed') return <LoadFailed message={isApiError(series.error) ? series.error.message : 'The appointment could not be loaded.'} />;
  const s = series.data;
  const a = s.appointments.find((x) => x.id === appointmentId);
  if (!a) return <LoadFailed message="Appointment not found" />;
  const title = `${a.kind === 'consultation' ? 'Consultation' : `Appointment ${a.number}`}: ${s.familyLabel}`;

  const move = async () => {
    const date = readDate(onDate);
    if (date.problem) return setMoveProblems({ fields: { onDate: date.problem === 'blank' ? 'Enter the new date' : withLabel(moveLabels.onDate, date.problem) }, general: [] });
    try {
      await therapyApi.reschedule(a.id, {
        onDate: date.iso ?? '',
        ...(startTime.trim() ? { startTime: startTime.trim() } : {}),
        reason,
        ...(outsideReason.trim() ? { outsideAvailabilityReason: outsideReason.trim() } : {}),
        version: a.version,
      });
      navigate(`/therapy/${s.id}`, { flash: { heading: `Appointment ${a.number} moved`, text: `To ${formatDay(date.iso)}` } });
    } catch (error) {
      setMoveProblems(withoutLabel(problemsFromError(error, moveLabels), 'onDate', moveLabels.onDate));
    }
  };
  const record = async () => {
    if (!outcome) return setOutcomeProblems({ fields: { outcome: 'Select what happened' }, general: [] });
    try {
      const saved = await therapyApi.outcome(a.id, { outcome, ...(note.trim() ? { note } : {}), version: a.version });
      const status = saved.appointments.find((x) => x.id === a.id)?.status ?? 'booked';
      navigate(`/therapy/${s.id}`, { flash: { heading: `Appointment ${a.number}: ${statusLabels[status].toLowerCase()}` } });
    } catch (error) {
      setOutcomeProblems(problemsFromError(error, outcomeLabels));
    }
  };

  return (
    <Page title={title} caption={`Case ${s.caseReference}`} hasErrors={hasProblems(moveProblems) || hasProblems(outcomeProblems)}>
      <p className="govuk-body">
        {`${formatDay(a.onDate)}, ${a.startTime}–${a.endTime} with ${s.therapistName}. `}
        <Tag colour={statusColours[a.status]}>{statusLabels[a.status]}</Tag>
      </p>
      {a.status === 'booked' ? (
        <>
          <h2 className="govuk-heading-m">Reschedule</h2>
          <ErrorSummary
            problems={moveProblems}
            fieldOrder={[
              { name: 'onDate', id: 'move-date-day' },
              { name: 'startTime', id: 'move-time' },
              { name: 'reason', id: 'move-reason' },
              { name: 'outsideAvailabilityReason', id: 'move-outside-reason' },
            ]}
          />
          <Form onSubmit={move}>
            <DateInput id="move-date" legend={moveLabels.onDate} value={onDate} onChange={setOnDate} hint="Checked against closures and the therapist’s diary. For example, 12 1 2027" error={moveProblems.fields.onDate} />
            <TextField id="move-time" label={moveLabels.startTime} hint={`Leave empty to keep ${a.startTime}`} value={startTime} onChange={setStartTime} width="5" error={moveProblems.fields.startTime} />
            <TextField id="move-reason" label={moveLabels.reason} value={reason} onChange={setReason} error={moveProblems.fields.reason} />
            <TextField
              id="move-outside-reason"
              label={moveLabels.outsideAvailabilityReason}
              hint="Only if the new time falls outside the therapist's declared working hours"
              value={outsideReason}
              onChange={setOutsideReason}
              error={moveProblems.fields.outsideAvailabilityReason}
            />
            <Button>Move the appointment</Button>
          </Form>
        </>
      ) : null}
      <h2 className="govuk-heading-m">Record what happened</h2>
      <ErrorSummary problems={outcomeProblems} fieldOrder={[{ name: 'outcome', id: 'outcome' }, { name: 'note', id: 'outcome-note' }]} />
      <Form onSubmit={record}>
        <Radios
          id="outcome"
          name="outcome"
          legend={outcomeLabels.outcome}
          legendSize="s"
          options={[
            { value: 'attended', label: 'Attended' },
            { value: 'did_not_attend', label: 'Did not attend' },
            { value: 'cancelled_by_family', label: 'Cancelled by the family', hint: 'Recorded as late with less than a day’s notice' },
            { value: 'cancelled_by_service', label: 'Cancelled by the service', hint: 'Does not count against the couple’s attendance' },
          ]}
          value={outcome}
          onChange={setOutcome}
          error={outcomeProblems.fields.outcome}
        />
        <TextField id="outcome-note" label={outcomeLabels.note} hint="Optional" value={note} onChange={setNote} error={outcomeProblems.fields.note} />
        <Button variant="secondary">Record the outcome</Button>
      </Form>
      <p className="govuk-body">
        <Link className="govuk-link" href={`/therapy/${s.id}`}>
          Back to the appointments
        </Link>
      </p>
    </Page>
  );
};
