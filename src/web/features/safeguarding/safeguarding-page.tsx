import { useState } from 'react';
import { isApiError } from '../../api/client.ts';
import { api, type SafeguardingFlag } from '../../api/endpoints.ts';
import { LoadFailed, Loading } from '../../components/feedback.tsx';
import { Button, Form, SelectField } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { formatWhen } from '../../lib/format.ts';
import { useLoad } from '../../lib/use-load.ts';
import { Link, useRouter, useSearchParams } from '../../router.tsx';
import { useSignedIn } from '../../session.tsx';
import { FlagStatus } from '../cases/safeguarding-section.tsx';
import { flagKindLabels } from '../cases/safeguarding-tag.tsx';

const statusOptions = [
  { value: 'open', label: 'Open: waiting for a decision' },
  { value: 'resolved', label: 'Resolved' },
];

const FlagsTable = ({ flags, caption }: { flags: SafeguardingFlag[]; caption: string }) => (
  <div className="tandem-table-scroll" role="region" aria-label="Safeguarding flags" tabIndex={0}>
    <table className="govuk-table">
      <caption className="govuk-table__caption govuk-table__caption--m">{caption}</caption>
      <thead className="govuk-table__head">
        <tr className="govuk-table__row">
          <th scope="col" className="govuk-table__header">
            Case
          </th>
          <th scope="col" className="govuk-table__header">
            Kind
          </th>
          <th scope="col" className="govuk-table__header">
            Reason
          </th>
          <th scope="col" className="govuk-table__header">
            Raised
          </th>
          <th scope="col" className="govuk-table__header">
            Status
          </th>
          <th scope="col" className="govuk-table__header">
            Decision
          </th>
        </tr>
      </thead>
      <tbody className="govuk-table__body">
        {flags.map((flag) => (
          <tr className="govuk-table__row" key={flag.id}>
            <th scope="row" className="govuk-table__header tandem-nowrap">
              {flag.caseId ? (
                <Link className="govuk-link" href={`/cases/${flag.caseId}`}>
                  {flag.caseReference ?? 'Open the case'}
                </Link>
              ) : (
                'No case'
              )}
            </th>
            <td className="govuk-table__cell">{flagKindLabels[flag.kind]}</td>
            <td className="govuk-table__cell">{flag.reason}</td>
            <td className="govuk-table__cell">
              <time dateTime={flag.raisedAt} className="tandem-nowrap">
                {formatWhen(flag.raisedAt)}
              </time>
              <span className="tandem-block govuk-body-s tandem-secondary-text">by {flag.raisedByName ?? 'Tandem'}</span>
            </td>
            <td className="govuk-table__cell">
              <FlagStatus flag={flag} />
            </td>
            <td className="govuk-table__cell tandem-pre-wrap">
              {flag.status === 'resolved' ? `${flag.decision ?? ''}${flag.resolvedByName ? `\n(${flag.resolvedByName})` : ''}` : 'Not decided yet'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  </div>
);

/** Safeguarding flags across the caseload: open ones first, for the managers who decide them and the case workers who follow them. */
export const SafeguardingPage = () => {
  const session = useSignedIn();
  const { navigate } = useRouter();
  const search = useSearchParams();
  const status = search.get('status') === 'resolved' ? 'resolved' : 'open';
  const [chosen, setChosen] = useState<string>(status);
  const [flags] = useLoad(() => api.listSafeguardingFlags(status), [status, session.currentOrganisation?.id]);
  const manager = session.can('resolve:safeguarding');

  return (
    <Page title="Safeguarding" caption={session.currentOrganisation?.name} width="full">
      <p className="govuk-body tandem-two-thirds">
        A flag is raised when a parent’s risk assessment rates an area high, indicates domestic abuse, or records a disclosure as a safeguarding
        concern. {manager ? 'Open the case to record your decision.' : 'A service manager records the decision on each flag.'}{' '}
        {manager ? '' : 'You see the flags on your own cases and on cases not yet allocated.'}
      </p>
      <Form onSubmit={() => navigate(`/safeguarding?status=${chosen}`)}>
        <div className="tandem-filter">
          <SelectField id="flags-status" label="Show flags" options={statusOptions} value={chosen} onChange={setChosen} />
          <Button variant="secondary">Show flags</Button>
        </div>
      </Form>
      {flags.status === 'loading' ? <Loading what="safeguarding flags" /> : null}
      {flags.status === 'failed' ? (
        <LoadFailed message={isApiError(flags.error) ? flags.error.message : 'The safeguarding flags could not be loaded.'} />
      ) : null}
      {flags.status === 'done' ? (
        flags.data.length === 0 ? (
          <p className="govuk-body" role="status">
            {status === 'open' ? 'There are no open safeguarding flags.' : 'No safeguarding flag has been resolved yet.'}
          </p>
        ) : (
          <FlagsTable
            flags={flags.data}
            caption={`${status === 'open' ? 'Open' : 'Resolved'}: ${flags.data.length} ${flags.data.length === 1 ? 'flag' : 'flags'}, newest first`}
          />
        )
      ) : null}
    </Page>
  );
};
