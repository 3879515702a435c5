import { isApiError } from '../../api/client.ts';
import { LoadFailed, Loading } from '../../components/feedback.tsx';
import { Page } from '../../components/page.tsx';
import { formatDay } from '../../lib/format.ts';
import { useLoad } from '../../lib/use-load.ts';
import { Link } from '../../router.tsx';
import { useSignedIn } from '../../session.tsx';
import { therapyApi } from './therapy-api.ts';

/** Therapy series: a manager books them, a therapist works from them, a case worker follows their couples. */
export const TherapyPage = () => {
  const session = useSignedIn();
  const [series] = useLoad(() => therapyApi.list(), [session.currentOrganisation?.id]);
  const manager = session.can('manage:groups');
  return (
    <Page title="Therapy" caption={session.currentOrganisation?.name} width="full">
      <p className="govuk-body tandem-two-thirds">
        {manager
          ? 'Book an initial consultation or a weekly series of couple-therapy appointments, move an appointment and record what happened.'
          : 'Couple-therapy appointments: their dates, moves and outcomes.'}
      </p>
      {manager ? (
        <Link className="govuk-button" href="/therapy/new">
          Book appointments
        </Link>
      ) : null}{' '}
      <Link className="govuk-button govuk-button--secondary" href="/diary">
        {manager ? 'Therapists’ diaries' : 'My diary'}
      </Link>
      {series.status === 'loading' ? <Loading what="therapy series" /> : null}
      {series.status === 'failed' ? <LoadFailed message={isApiError(series.error) ? series.error.message : 'The therapy series could not be loaded.'} /> : null}
      {series.status === 'done' && series.data.length === 0 ? (
        <p className="govuk-body" role="status">
          No appointments are booked yet.
        </p>
      ) : null}
      {series.status === 'done' && series.data.length > 0 ? (
        <div className="tandem-table-scroll" role="region" aria-label="Therapy series" tabIndex={0}>
          <table className="govuk-table">
            <caption className="govuk-table__caption govuk-table__caption--m">{`${series.data.length} ${series.data.length === 1 ? 'series' : 'series'}, latest first`}</caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                {['Family', 'Kind', 'Therapist', 'Dates', 'Next', 'Appointments'].map((h) => (
                  <th scope="col" className="govuk-table__header" key={h}>
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {series.data.map((s) => (
                <tr className="govuk-table__row" key={s.id}>
                  <th scope="row" className="govuk-table__header">
                    <Link className="govuk-link" href={`/therapy/${s.id}`}>
                      {`${s.familyLabel} (${s.caseReference})`}
                    </Link>
                  </th>
                  <td className="govuk-table__cell">{s.kind === 'consultation' ? 'Consultation' : 'Therapy'}</td>
                  <td className="govuk-table__cell">{s.therapistName}</td>
                  <td className="govuk-table__cell tandem-nowrap">
                    {formatDay(s.firstDate)}
                    {s.lastDate && s.lastDate !== s.firstDate ? ` to ${formatDay(s.lastDate)}` : ''}
                  </td>
                  <td className="govuk-table__cell tandem-nowrap">{s.nextAppointment ? `${formatDay(s.nextAppointment)}, ${s.startTime}` : 'None'}</td>
                  <td className="govuk-table__cell">{s.appointmentCount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Page>
  );
};
