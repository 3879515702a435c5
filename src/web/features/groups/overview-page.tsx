import type { z } from 'zod';
import { programmesOverview } from '../../../shared/contracts/programmes-overview.ts';
import { isApiError, request } from '../../api/client.ts';
import { LoadFailed, Loading } from '../../components/feedback.tsx';
import { Page } from '../../components/page.tsx';
import { formatDay } from '../../lib/format.ts';
import { useLoad } from '../../lib/use-load.ts';
import { Link } from '../../router.tsx';
import { useSignedIn } from '../../session.tsx';
import { GroupStatus } from './groups-page.tsx';

type Overview = z.infer<typeof programmesOverview>;

const Table = ({ label, caption, heads, rows }: { label: string; caption: string; heads: string[]; rows: React.ReactNode[][] }) => (
  <div className="tandem-table-scroll" role="region" aria-label={label} tabIndex={0}>
    <table className="govuk-table">
      <caption className="govuk-table__caption govuk-table__caption--m">{caption}</caption>
      <thead className="govuk-table__head">
        <tr className="govuk-table__row">
          {heads.map((h) => (
            <th scope="col" className="govuk-table__header" key={h}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="govuk-table__body">
        {rows.map((cells, i) => (
          <tr className="govuk-table__row" key={i}>
            {cells.map((cell, j) =>
              j === 0 ? (
                <th scope="row" className="govuk-table__header" key={j}>
                  {cell}
                </th>
              ) : (
                <td className="govuk-table__cell" key={j}>
                  {cell}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  </div>
);

const days = (n: number | null): string => (n === null ? 'nobody waiting' : `${n} ${n === 1 ? 'day' : 'days'}`);

/** The service manager's overview across sites, in one read. */
export const OverviewPage = () => {
  const session = useSignedIn();
  const [overview] = useLoad(() => request('GET', '/programmes-overview', { schema: programmesOverview }), [session.currentOrganisation?.id]);
  if (overview.status === 'loading') return <Loading what="the overview" />;
  if (overview.status === 'failed') return <LoadFailed message={isApiError(overview.error) ? overview.error.message : 'The overview could not be loaded.'} />;
  const o: Overview = overview.data;
  return (
    <Page title="Overview across sites" caption={session.currentOrganisation?.name} width="full">
      <h2 className="govuk-heading-m">Waiting list</h2>
      <dl className="govuk-summary-list tandem-two-thirds">
        {[
          ['Families awaiting a group', String(o.waitingList.families)],
          ['Longest wait', days(o.waitingList.longestWaitDays)],
          ['Median wait', days(o.waitingList.medianWaitDays)],
          ['Free places in planned and running groups', String(o.waitingList.placesFree)],
        ].map(([k, v]) => (
          <div className="govuk-summary-list__row" key={k}>
            <dt className="govuk-summary-list__key">{k}</dt>
            <dd className="govuk-summary-list__value">{v}</dd>
          </div>
        ))}
      </dl>
      {o.sites.map((site) => (
        <Table
          key={site.site}
          label={`Groups at ${site.site}`}
          caption={`${site.site}: ${site.running} running, ${site.planned} planned, ${site.finished} finished`}
          heads={['Group', 'Programme', 'Dates', 'Places', 'Status']}
          rows={site.groups.map((g) => [
            <Link className="govuk-link" href={`/groups/${g.id}`} key="g">
              {g.name}
            </Link>,
            g.programmeName,
            `${formatDay(g.startDate)} to ${formatDay(g.endDate)}`,
            `${g.placesFilled} of ${g.capacity} ${g.capacityUnit}`,
            <GroupStatus status={g.status} key="s" />,
          ])}
        />
      ))}
      {o.dropOutRisk.length === 0 ? (
        <p className="govuk-body">Nobody in a running group is at risk of dropping out.</p>
      ) : (
        <Table
          label="At risk of dropping out"
          caption={`At risk of dropping out (${o.dropOutRisk.length})`}
          heads={['Person', 'Family', 'Group', 'Why']}
          rows={o.dropOutRisk.map((r) => [
            r.personName,
            <Link className="govuk-link" href={`/cases/${r.caseId}`} key="c">
              {r.familyLabel}
            </Link>,
            r.groupName,
            r.reason,
          ])}
        />
      )}
      {o.sessionsWithoutFacilitators.length === 0 ? (
        <p className="govuk-body">Every session in the next four weeks has its facilitators.</p>
      ) : (
        <Table
          label="Sessions without their facilitators"
          caption={`Sessions in the next four weeks without their facilitators (${o.sessionsWithoutFacilitators.length})`}
          heads={['Date', 'Group', 'Session', 'Problem']}
          rows={o.sessionsWithoutFacilitators.map((s) => [
            `${formatDay(s.onDate)}, ${s.startTime}`,
            <Link className="govuk-link" href={`/groups/${s.groupId}`} key="g">
              {s.groupName}
            </Link>,
            String(s.number),
            s.problem,
          ])}
        />
      )}
      <Table
        label="Facilitators' load"
        caption="Facilitators’ load in the next four weeks"
        heads={['Facilitator', 'Group sessions', 'Therapy appointments']}
        rows={o.facilitatorLoad.map((u) => [u.name, String(u.groupSessions), String(u.therapyAppointments)])}
      />
    </Page>
  );
};
