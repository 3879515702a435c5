import { isApiError } from '../../api/client.ts';
import { LoadFailed, Loading, Tag } from '../../components/feedback.tsx';
import { Page } from '../../components/page.tsx';
import { formatDay } from '../../lib/format.ts';
import { useLoad } from '../../lib/use-load.ts';
import { Link } from '../../router.tsx';
import { useSignedIn } from '../../session.tsx';
import { groupsApi, type GroupSummary } from './groups-api.ts';

export const statusLabels: Record<GroupSummary['status'], string> = { planned: 'Planned', running: 'Running', finished: 'Finished', cancelled: 'Cancelled' };
const statusColours = { planned: 'blue', running: 'green', finished: 'grey', cancelled: 'red' } as const;

export const GroupStatus = ({ status }: { status: GroupSummary['status'] }) => <Tag colour={statusColours[status]}>{statusLabels[status]}</Tag>;

/** Groups with their places: what a manager plans from, what a case worker and a facilitator work in. */
export const GroupsPage = () => {
  const session = useSignedIn();
  const [groups] = useLoad(() => groupsApi.list(), [session.currentOrganisation?.id]);
  const manager = session.can('manage:groups');
  return (
    <Page title="Groups" caption={session.currentOrganisation?.name} width="full">
      <p className="govuk-body tandem-two-thirds">
        {manager
          ? 'Plan a group from a programme, assign facilitators to its sessions and place families from the waiting list.'
          : session.can('take:attendance')
            ? 'The groups you run a session of. Open a session to take its register.'
            : 'Groups and their places; you see the families of your own caseload in each.'}
      </p>
      {manager ? (
        <div className="govuk-button-group">
          <Link className="govuk-button" href="/groups/new">
            Plan a group
          </Link>
          <Link className="govuk-button govuk-button--secondary" href="/groups/overview">
            Overview across sites
          </Link>
          <Link className="govuk-button govuk-button--secondary" href="/programmes/copy">
            Copy a programme
          </Link>
          {session.can('manage:programmes') ? (
            <Link className="govuk-button govuk-button--secondary" href="/programmes/measurement-schedule">
              Measurement schedules
            </Link>
          ) : null}
        </div>
      ) : null}
      {groups.status === 'loading' ? <Loading what="groups" /> : null}
      {groups.status === 'failed' ? <LoadFailed message={isApiError(groups.error) ? groups.error.message : 'The groups could not be loaded.'} /> : null}
      {groups.status === 'done' && groups.data.length === 0 ? (
        <p className="govuk-body" role="status">
          There are no groups yet.
        </p>
      ) : null}
      {groups.status === 'done' && groups.data.length > 0 ? (
        <div className="tandem-table-scroll" role="region" aria-label="Groups" tabIndex={0}>
          <table className="govuk-table">
            <caption className="govuk-table__caption govuk-table__caption--m">{`${groups.data.length} ${groups.data.length === 1 ? 'group' : 'groups'}, latest start first`}</caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                {['Group', 'Programme', 'Site', 'Dates', 'Places', 'Facilitators', 'Status'].map((h) => (
                  <th scope="col" className="govuk-table__header" key={h}>
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {groups.data.map((g) => (
                <tr className="govuk-table__row" key={g.id}>
                  <th scope="row" className="govuk-table__header">
                    <Link className="govuk-link" href={`/groups/${g.id}`}>
                      {g.name}
                    </Link>
                  </th>
                  <td className="govuk-table__cell">{g.programmeName}</td>
                  <td className="govuk-table__cell">{g.site}</td>
                  <td className="govuk-table__cell tandem-nowrap">
                    {formatDay(g.startDate)} to {formatDay(g.endDate)}
                  </td>
                  <td className="govuk-table__cell">
                    {g.placesFilled} of {g.capacity} {g.capacityUnit}
                  </td>
                  <td className="govuk-table__cell">
                    {g.sessionsWithoutValidFacilitators === 0 ? 'All sessions covered' : <Tag colour="yellow">{`${g.sessionsWithoutValidFacilitators} sessions need facilitators`}</Tag>}
                  </td>
                  <td className="govuk-table__cell">
                    <GroupStatus status={g.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Page>
  );
};
