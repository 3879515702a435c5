import { roleLabels } from '../../../shared/permissions.ts';
import { isApiError } from '../../api/client.ts';
import { api } from '../../api/endpoints.ts';
import { LoadFailed, Loading } from '../../components/feedback.tsx';
import { Page } from '../../components/page.tsx';
import { useLoad } from '../../lib/use-load.ts';
import { Link } from '../../router.tsx';
import { useSignedIn } from '../../session.tsx';
import { UserStatus } from './user-status.tsx';

export const UsersPage = () => {
  const session = useSignedIn();
  const organisationId = session.currentOrganisation?.id;
  const [users] = useLoad(() => api.listUsers(), [organisationId]);

  return (
    <Page title="Users" caption={session.currentOrganisation?.name} width="full">
      {session.can('manage:users') ? (
        <Link className="govuk-button" href="/users/invite">
          Invite a user
        </Link>
      ) : null}
      {users.status === 'loading' ? <Loading what="users" /> : null}
      {users.status === 'failed' ? (
        <LoadFailed message={isApiError(users.error) ? users.error.message : 'The list of users could not be loaded.'} />
      ) : null}
      {users.status === 'done' ? (
        users.data.length === 0 ? (
          <p className="govuk-body">Nobody has been added to this organisation yet.</p>
        ) : (
          <div className="tandem-table-scroll" role="region" aria-label="Users" tabIndex={0}>
          <table className="govuk-table">
            <caption className="govuk-table__caption govuk-table__caption--m">
              {users.data.length} {users.data.length === 1 ? 'person' : 'people'} in {session.currentOrganisation?.name ?? 'this organisation'}
            </caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                <th scope="col" className="govuk-table__header">
                  Name
                </th>
                <th scope="col" className="govuk-table__header">
                  Email address
                </th>
                <th scope="col" className="govuk-table__header">
                  Role
                </th>
                <th scope="col" className="govuk-table__header">
                  Status
                </th>
                <th scope="col" className="govuk-table__header">
                  Two-step sign-in
                </th>
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {users.data.map((user) => (
                <tr className="govuk-table__row" key={user.id}>
                  <th scope="row" className="govuk-table__header">
                    <Link className="govuk-link" href={`/users/${user.id}`}>
                      {user.name}
                    </Link>
                  </th>
                  <td className="govuk-table__cell tandem-break-anywhere">{user.email}</td>
                  <td className="govuk-table__cell">{roleLabels[user.role]}</td>
                  <td className="govuk-table__cell">
                    <UserStatus user={user} />
                  </td>
                  <td className="govuk-table__cell">{user.totpEnabled ? 'On' : 'Off'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          </div>
        )
      ) : null}
    </Page>
  );
};
