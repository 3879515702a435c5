import { useState } from 'react';
import { referralStatuses } from '../../../shared/contracts/journey.ts';
import { isApiError } from '../../api/client.ts';
import { api, type ReferralStatus, type ReferralSummary } from '../../api/endpoints.ts';
import { LoadFailed, Loading } from '../../components/feedback.tsx';
import { Button, Form, SelectField } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { formatDayOf } from '../../lib/format.ts';
import { useLoad } from '../../lib/use-load.ts';
import { Link, useRouter, useSearchParams } from '../../router.tsx';
import { useSignedIn } from '../../session.tsx';
import { EligibilityTag, StatusTag, statusLabels } from './referral-tags.tsx';

/** '' (the default) is the queue that needs action: new referrals and the waiting list. */
const filterOptions = [
  { value: '', label: 'New and waiting list' },
  ...referralStatuses.map((status) => ({ value: status, label: statusLabels[status] })),
  { value: 'all', label: 'All referrals' },
];

const isStatus = (value: string): value is ReferralStatus => (referralStatuses as readonly string[]).includes(value);

const load = async (filter: string): Promise<ReferralSummary[]> => {
  if (isStatus(filter)) return api.listReferrals(filter);
  if (filter === 'all') return api.listReferrals();
  const [fresh, waiting] = await Promise.all([api.listReferrals('new'), api.listReferrals('waiting_list')]);
  return [...fresh, ...waiting];
};

const ReferralsTable = ({ referrals, caption }: { referrals: ReferralSummary[]; caption: string }) => (
  <div className="tandem-table-scroll" role="region" aria-label="Referrals" tabIndex={0}>
    <table className="govuk-table">
      <caption className="govuk-table__caption govuk-table__caption--m">{caption}</caption>
      <thead className="govuk-table__head">
        <tr className="govuk-table__row">
          <th scope="col" className="govuk-table__header">
            Reference
          </th>
          <th scope="col" className="govuk-table__header">
            Family
          </th>
          <th scope="col" className="govuk-table__header">
            Programme
          </th>
          <th scope="col" className="govuk-table__header">
            Received
          </th>
          <th scope="col" className="govuk-table__header">
            Eligible
          </th>
          <th scope="col" className="govuk-table__header">
            Status
          </th>
        </tr>
      </thead>
      <tbody className="govuk-table__body">
        {referrals.map((referral) => (
          <tr className="govuk-table__row" key={referral.id}>
            <th scope="row" className="govuk-table__header">
              <Link className="govuk-link" href={`/referrals/${referral.id}`}>
                {referral.reference}
              </Link>
            </th>
            <td className="govuk-table__cell">
              {referral.familyName}
              <br />
              <span className="govuk-body-s tandem-secondary-text">
                {referral.childrenCount} {referral.childrenCount === 1 ? 'child' : 'children'} · {referral.source === 'public' ? 'Online form' : 'Entered by staff'}
              </span>
            </td>
            <td className="govuk-table__cell">{referral.programmeName ?? 'Not chosen'}</td>
            <td className="govuk-table__cell tandem-nowrap">
              <time dateTime={referral.receivedAt}>{formatDayOf(referral.receivedAt)}</time>
            </td>
            <td className="govuk-table__cell">{referral.programmeId ? <EligibilityTag met={referral.eligible} /> : <EligibilityTag met="unknown" />}</td>
            <td className="govuk-table__cell">
              <StatusTag status={referral.status} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  </div>
);

/** The triage queue. */
export const ReferralsPage = () => {
  const session = useSignedIn();
  const { navigate } = useRouter();
  const search = useSearchParams();
  const filter = search.get('status') ?? '';
  const [chosen, setChosen] = useState(filter);
  const [referrals] = useLoad(() => load(filter), [filter, session.currentOrganisation?.id]);
  const filterLabel = filterOptions.find((option) => option.value === filter)?.label ?? 'Referrals';

  return (
    <Page title="Referrals" caption={session.currentOrganisation?.name} width="full">
      {session.can('create:referral') ? (
        <Link className="govuk-button" href="/referrals/new">
          Enter a referral
        </Link>
      ) : null}
      <Form onSubmit={() => navigate(chosen ? `/referrals?status=${encodeURIComponent(chosen)}` : '/referrals')}>
        <div className="tandem-filter">
          <SelectField id="referral-status" label="Show" options={filterOptions} value={chosen} onChange={setChosen} />
          <Button variant="secondary">Show referrals</Button>
        </div>
      </Form>
      {referrals.status === 'loading' ? <Loading what="referrals" /> : null}
      {referrals.status === 'failed' ? (
        <LoadFailed message={isApiError(referrals.error) ? referrals.error.message : 'The referrals could not be loaded.'} />
      ) : null}
      {referrals.status === 'done' ? (
        referrals.data.length === 0 ? (
          <p className="govuk-body" role="status">
            There are no referrals to show{filter === '' ? ': nothing is waiting to be triaged' : ''}.
          </p>
        ) : (
          <ReferralsTable
            referrals={referrals.data}
            caption={`${filterLabel}: ${referrals.data.length} ${referrals.data.length === 1 ? 'referral' : 'referrals'}`}
          />
        )
      ) : null}
    </Page>
  );
};
