import { applicationStatusLabels, applicationStatuses, formatDay, formatPence, type ApplicationStatus } from '../../../shared/contracts/fund-applications.ts';
import { isApiError } from '../../api/client.ts';
import { LoadFailed, Loading } from '../../components/feedback.tsx';
import { Button, Form, SelectField } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { useLoad } from '../../lib/use-load.ts';
import { useRouter, useSearchParams } from '../../router.tsx';
import { useSignedIn } from '../../session.tsx';
import { useState } from 'react';
import { StatusTag } from './case-applications-page.tsx';
import { fundApplicationsApi } from './fund-applications-api.ts';

const isStatus = (value: string | null): value is ApplicationStatus => applicationStatuses.includes(value as ApplicationStatus);

/**
 * Applications per participant, for service managers and commissioners: the case reference and which child (or the
 * family), never a name; the funder, service, status and money, with totals.
 */
export const ApplicationsPage = () => {
  const session = useSignedIn();
  const { navigate } = useRouter();
  const search = useSearchParams();
  const status = search.get('status');
  const chosenStatus = isStatus(status) ? status : undefined;
  const [chosen, setChosen] = useState(chosenStatus ?? '');
  const [loaded] = useLoad(() => fundApplicationsApi.list(chosenStatus), [chosenStatus, session.currentOrganisation?.id]);
  return (
    <Page title="Fund applications" caption={session.currentOrganisation?.name} width="full">
      <p className="govuk-body tandem-two-thirds">
        One row per application made in a participant’s name. Participants are shown by case reference and child number only; drafts are not listed.
      </p>
      <Form onSubmit={() => navigate(chosen ? `/fund-applications?status=${chosen}` : '/fund-applications')}>
        <div className="tandem-filter">
          <SelectField
            id="status"
            label="Status"
            options={[{ value: '', label: 'Any status' }, ...applicationStatuses.filter((s) => s !== 'draft').map((s) => ({ value: s, label: applicationStatusLabels[s] }))]}
            value={chosen}
            onChange={setChosen}
          />
          <Button variant="secondary">Show applications</Button>
        </div>
      </Form>
      {loaded.status === 'loading' ? <Loading what="fund applications" /> : null}
      {loaded.status === 'failed' ? <LoadFailed message={isApiError(loaded.error) ? loaded.error.message : 'The applications could not be loaded.'} /> : null}
      {loaded.status === 'done' ? (
        loaded.data.applications.length === 0 ? (
          <p className="govuk-body" role="status">
            No application to show.
          </p>
        ) : (
          <div className="tandem-table-scroll" role="region" aria-label="Fund applications per participant" tabIndex={0}>
            <table className="govuk-table">
              <caption className="govuk-table__caption govuk-table__caption--m">
                {loaded.data.totals.count} {loaded.data.totals.count === 1 ? 'application' : 'applications'}: {formatPence(loaded.data.totals.fundPence)} asked of funders,{' '}
                {formatPence(loaded.data.totals.approvedFundPence)} approved
              </caption>
              <thead className="govuk-table__head">
                <tr className="govuk-table__row">
                  {['Case', 'Participant', 'Funder', 'Service', 'Starts', 'Status', 'Amount', 'Match funding', 'Asked of the fund', 'Submitted', 'Decided'].map((h) => (
                    <th scope="col" className="govuk-table__header" key={h}>
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="govuk-table__body">
                {loaded.data.applications.map((a) => (
                  <tr className="govuk-table__row" key={a.id}>
                    <th scope="row" className="govuk-table__header tandem-nowrap">
                      {a.caseReference}
                    </th>
                    <td className="govuk-table__cell">{a.participant}</td>
                    <td className="govuk-table__cell">{a.funderName}</td>
                    <td className="govuk-table__cell">{a.programmeName}</td>
                    <td className="govuk-table__cell tandem-nowrap">{formatDay(a.serviceFrom)}</td>
                    <td className="govuk-table__cell">
                      <StatusTag status={a.status} />
                    </td>
                    <td className="govuk-table__cell govuk-table__cell--numeric">{formatPence(a.amountPence)}</td>
                    <td className="govuk-table__cell govuk-table__cell--numeric">{formatPence(a.matchFundingPence)}</td>
                    <td className="govuk-table__cell govuk-table__cell--numeric">{formatPence(a.fundPence)}</td>
                    <td className="govuk-table__cell tandem-nowrap">{a.submittedOn ? formatDay(a.submittedOn) : ''}</td>
                    <td className="govuk-table__cell tandem-nowrap">{a.decidedOn ? formatDay(a.decidedOn) : ''}</td>
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
