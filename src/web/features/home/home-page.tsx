import { organisationKindLabels, roleLabels } from '../../../shared/permissions.ts';
import { Tag } from '../../components/feedback.tsx';
import { Page } from '../../components/page.tsx';
import { adminLinks, mayUse, moduleLinks } from '../../modules.ts';
import { useSignedIn } from '../../session.tsx';

/** "My work": for now a greeting and the way into each part of Tandem this person may use. */
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
      <p className="govuk-body tandem-two-thirds">
        Referrals, reminders and the families you work with will be listed here as those parts of Tandem are built. Use the menu above to
        reach {links.length === 0 ? 'your account settings' : links.map((link) => link.label.toLowerCase()).join(', ')}.
      </p>

    </Page>
  );
};
