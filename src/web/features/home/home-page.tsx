import { useState } from 'react';
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
import { SafeguardingTag } from '../cases/safeguarding-tag.tsx';

/** Cases of flagged families, so their tasks carry the mark too. */
type Flagged = ReadonlySet<string>;

const Tasks = ({ tasks, flagged }: { tasks: MyWork['tasks']; flagged: Flagged }) => {
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
                {task.kind === 'safeguarding_decision' || (task.caseId && flagged.has(task.caseId)) ? (
                  <>
                    {' '}
                    <SafeguardingTag />
                  </>
                ) : null}
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

const Notifications = ({ initial }: { initial: MyWork['notifications'] }) => {
  const [notifications, setNotifications] = useState(initial);
  const [status, setStatus] = useState<{ message: string; failed: boolean } | null>(null);

  const markRead = async (notification: MyWork['notifications'][number]) => {
    try {
      await api.markNotificationRead(notification.id);
      setNotifications((previous) => previous.filter((n) => n.id !== notification.id));
      setStatus({ message: 'Notification marked as read.', failed: false });
      // The button that had focus is gone: give focus to the list's heading so keyboard users are not lost.
      document.getElementById('notifications-heading')?.focus();
    } catch (error) {
      setStatus({ message: isApiError(error) ? error.message : 'The notification could not be marked as read. Try again.', failed: true });
    }
  };

  return (
    <>
      <h2 className="govuk-heading-m" id="notifications-heading" tabIndex={-1}>
        Notifications
      </h2>
      <div role="status">
        {status ? <p className={status.failed ? 'govuk-error-message' : 'govuk-body'}>{status.message}</p> : null}
      </div>
      {notifications.length === 0 ? (
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
              </span>{' '}
              <button type="button" className="tandem-link-button govuk-body-s" onClick={() => void markRead(notification)}>
                Mark as read<span className="govuk-visually-hidden">: {notification.message}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
};

const Work = () => {
  const session = useSignedIn();
  const [work] = useLoad(async () => {
    // The cases this person may see say which families are flagged; the tasks alone do not.
    const [mine, cases] = await Promise.all([api.myWork(), api.listCases({}).catch(() => [])]);
    return { ...mine, flagged: new Set(cases.filter((c) => c.safeguarding).map((c) => c.id)) as Flagged };
  }, [session.currentOrganisation?.id]);
  if (work.status === 'loading') return <Loading what="your tasks" />;
  if (work.status === 'failed') return <LoadFailed message={isApiError(work.error) ? work.error.message : 'Your tasks could not be loaded.'} />;
  return (
    <>
      <Tasks tasks={work.data.tasks} flagged={work.data.flagged} />
      <Notifications initial={work.data.notifications} />
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
