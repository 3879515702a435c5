import { isApiError } from '../../api/client.ts';
import { LoadFailed, Loading, Tag } from '../../components/feedback.tsx';
import { Page } from '../../components/page.tsx';
import { formatDay } from '../../lib/format.ts';
import { useLoad } from '../../lib/use-load.ts';
import { Link } from '../../router.tsx';
import { useSignedIn } from '../../session.tsx';
import { statusColours, statusLabels, therapyApi } from './therapy-api.ts';

const percent = (rate: number | null): string => (rate === null ? 'None yet' : `${Math.round(rate * 100)}%`);

/** One series: its appointments with their moves and outcomes, and the couple's therapy dose. */
export const SeriesPage = ({ seriesId }: { seriesId: string }) => {
  const session = useSignedIn();
  const [series] = useLoad(() => therapyApi.get(seriesId), [seriesId]);
  if (series.status === 'loading') return <Loading what="the appointments" />;
  if (series.status === 'failed') return <LoadFailed message={isApiError(series.error) ? series.error.message : 'The appointments could not be loaded.'} />;
  const s = series.data;
  const canChange = session.can('take:attendance');
  return (
    <Page title={`${s.kind === 'consultation' ? 'Consultation' : 'Therapy'}: ${s.familyLabel}`} caption={`Case ${s.caseReference}`} width="full">
      <dl className="govuk-summary-list tandem-two-thirds">
        {[
          ['Therapist', s.therapistName],
          ['When', `Weekly from ${formatDay(s.firstDate)}, ${s.startTime}, ${s.minutes} minutes`],
          ['Venue', s.venue || 'Not given'],
          ['Closures skipped', s.closures.length === 0 ? 'None' : s.closures.map((c) => `${c.reason} (${formatDay(c.from)} to ${formatDay(c.to)})`).join('; ')],
        ].map(([k, v]) => (
          <div className="govuk-summary-list__row" key={k}>
            <dt className="govuk-summary-list__key">{k}</dt>
            <dd className="govuk-summary-list__value">{v}</dd>
          </div>
        ))}
      </dl>
      <h2 className="govuk-heading-m">Dose</h2>
      <p className="govuk-body">
        {`${s.dose.attended} attended, ${s.dose.didNotAttend} did not attend, ${s.dose.cancelledByFamily + s.dose.lateCancellations} cancelled by the family (${s.dose.lateCancellations} late), ${s.dose.cancelledByService} cancelled by the service. Attendance ${percent(s.dose.attendanceRate)}.`}
        {s.dose.missedInARow >= 2 ? (
          <>
            {' '}
            <Tag colour="red">{`${s.dose.missedInARow} missed in a row`}</Tag>
          </>
        ) : null}
        {s.dose.completer ? (
          <>
            {' '}
            <Tag colour="green">Completer</Tag>
          </>
        ) : null}
      </p>
      <div className="tandem-table-scroll" role="region" aria-label="Appointments" tabIndex={0}>
        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-table__caption--m">{`Appointments (${s.appointments.length})`}</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              {['Appointment', 'Date', 'Status', 'History', 'Change'].map((h) => (
                <th scope="col" className="govuk-table__header" key={h}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {s.appointments.map((a) => (
              <tr className="govuk-table__row" key={a.id}>
                <th scope="row" className="govuk-table__header">
                  {a.kind === 'consultation' ? 'Consultation' : a.number}
                </th>
                <td className="govuk-table__cell tandem-nowrap">{`${formatDay(a.onDate)}, ${a.startTime}–${a.endTime}`}</td>
                <td className="govuk-table__cell">
                  <Tag colour={statusColours[a.status]}>{statusLabels[a.status]}</Tag>
                  {a.outcomeNote ? <span className="tandem-block govuk-body-s">{a.outcomeNote}</span> : null}
                </td>
                <td className="govuk-table__cell govuk-body-s">
                  {a.changes.map((c, i) => (
                    <span className="tandem-block" key={i}>{`Moved from ${formatDay(c.fromDate)} ${c.fromTime}: ${c.reason}`}</span>
                  ))}
                </td>
                <td className="govuk-table__cell">
                  {canChange ? (
                    <Link className="govuk-link" href={`/therapy/${s.id}/appointments/${a.id}`}>
                      {`Change appointment ${a.number}`}
                    </Link>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="govuk-body">
        <Link className="govuk-link" href="/therapy">
          All therapy
        </Link>
      </p>
    </Page>
  );
};
