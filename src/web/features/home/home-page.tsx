import { organisationKindLabels, roleLabels } from '../../../shared/permissions.ts';
import { isApiError } from '../../api/client.ts';
import { api, type MyWork } from '../../api/endpoints.ts';
import { LoadFailed, Loading, Tag } from '../../components/feedback.tsx';
import { Page } from '../../components/page.tsx';
import { formatDay, formatWhen } from '../../lib/format.ts';
import { useLoad } from '../../lib/use-load.ts';
import { adminLinks, mayUse, moduleLinks } from '../../modules.ts';
import { Link } from '../../router.tsx';
import { useSignedIn } from '../../session.tsx';

const Tasks = ({ tasks }: { tasks: MyWork['tasks'] }) => {
  if (tasks.length === 0) return <p className="govuk-body">You have no tasks due. New referrals and your cases’ next steps will appear here.</p>;
  const overdue = tasks.filter((task) => task.overdue).length;
  return (
    <div className="tandem-table-scroll" role="region" aria-label="Your tasks" tabIndex={0}>
      <table className="govuk-table">
        <caption className="govuk-table__caption govuk-table__caption--s">
          {tasks.length} {tasks.length === 1 ? 'task' : 'tasks'}, soonest due first{overdue > 0 ? `; ${overdue} overdue` : ''}
        </caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header">
              Task
            </th>
            <th scope="col" className="govuk-table__header">
              Due
            </th>
            <th scope="col" className="govuk-table__header">
              Status
            </th>
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {tasks.map((task) => (
            <tr className="govuk-table__row" key={`${task.kind}-${task.link}`}>
              <td className="govuk-table__cell">
                <Link className="govuk-link" href={task.link}>
                  {task.title}
                </Link>
              </td>
              <td className="govuk-table__cell tandem-nowrap">
                <time dateTime={task.dueOn}>{formatDay(task.dueOn)}</time>
              </td>
              <td className="govuk-table__cell">{task.overdue ? <Tag colour="red">Overdue</Tag> : <Tag colour="blue">Due</Tag>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
};

const Notifications = ({ notifications }: { notifications: MyWork['notifications'] }) =>
  notifications.length === 0 ? (
    <p className="govuk-body">You have no unread notifications.</p>
  ) : (
    <ul className="govuk-list govuk-list--spaced">
      {notifications.map((notification) => (
        <li key={notification.id}>
          {notification.link ? (
            <Link className="govuk-link" href={notification.link}>
              {notification.message}
            </Link>
          ) : (
            notification.message
          )}
          <br />
          <span className="govuk-body-s tandem-secondary-text">
            <time dateTime={notification.createdAt}>{formatWhen(notification.createdAt)}</time>
          </span>
        </li>
      ))}
    </ul>
  );

const Work = () => {
  const session = useSignedIn();
  const [work] = useLoad(() => api.myWork(), [session.currentOrganisation?.id]);
  if (work.status === 'loading') return <Loading what="your tasks" />;
  if (work.status === 'failed') return <LoadFailed message={isApiError(work.error) ? work.error.message : 'Your tasks could not be loaded.'} />;
  return (
    <>
      <Tasks tasks={work.data.tasks} />
      <h2 className="govuk-heading-m">Notifications</h2>
      <Notifications notifications={work.data.notifications} />
    </>
  );
};

/** "My work": a greeting, the tasks due and unread notifications, and the way into each part of Tandem this person may use. */
export const HomePage = () => {
  const session = useSignedIn();
  const current = session.currentOrganisation;
  const firstName = session.user.name.split(/\s+/)[0] ?? session.user.name;
  const links = [...moduleLinks, ...adminLinks].filter((link) => mayUse(link, current?.role, session.permissions));

  return (
    <Page title="My work" width="full">
      <p className="govuk-body-l">Hello, {firstName}.</p>
      {current ? (
        <dl className="govuk-summary-list tandem-two-thirds">
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Organisation</dt>
            <dd className="govuk-summary-list__value">
              {current.name} {current.isDemo ? <Tag colour="yellow">Demo data</Tag> : null}
            </dd>
          </div>
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Kind of organisation</dt>
            <dd className="govuk-summary-list__value">{organisationKindLabels[current.kind]}</dd>
          </div>
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Your role</dt>
            <dd className="govuk-summary-list__value">{roleLabels[current.role]}</dd>
          </div>
        </dl>
      ) : (
        <p className="govuk-body">You are not working in an organisation yet. Ask your organisation admin to add you.</p>
      )}
      {current?.isDemo ? (
        <div className="govuk-inset-text tandem-two-thirds">This organisation is a demonstration: its families and records are made up.</div>
      ) : null}

      <h2 className="govuk-heading-m">Your tasks</h2>
      {session.can('view:my_work') ? (
        <Work />
      ) : (
        <p className="govuk-body tandem-two-thirds">
          Your role has no case work. Use the menu above to reach{' '}
          {links.length === 0 ? 'your account settings' : links.map((link) => link.label.toLowerCase()).join(', ')}.
        </p>
      )}

    </Page>
  );
};
