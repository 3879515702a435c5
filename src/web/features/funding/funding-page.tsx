import { useState } from 'react';
import { purchaseKindLabels } from '../../../shared/contracts/funding.ts';
import { isApiError } from '../../api/client.ts';
import { LoadFailed, Loading, SuccessBanner } from '../../components/feedback.tsx';
import { Page } from '../../components/page.tsx';
import { formatDay } from '../../lib/format.ts';
import { useLoad } from '../../lib/use-load.ts';
import { Link } from '../../router.tsx';
import { useSignedIn } from '../../session.tsx';
import { fundingApi, pounds, type Vacancy } from './funding-api.ts';
import { RiskSummary } from './risk-table.tsx';

const roleLabels = { provider: 'Provider', lead: 'Lead commissioner', partner: 'Partner agency' } as const;

/** Funding: the money at risk, the contracts, and the shared vacancies partner agencies can claim. */
export const FundingPage = () => {
  const session = useSignedIn();
  const org = session.currentOrganisation?.id;
  const [board, reloadBoard] = useLoad(() => fundingApi.dashboard(), [org]);
  const [contracts] = useLoad(() => fundingApi.contracts(), [org]);
  const [vacancies, reloadVacancies] = useLoad(() => fundingApi.vacancies(), [org]);
  const [claimed, setClaimed] = useState<Vacancy | null>(null);
  const [claimError, setClaimError] = useState<string | null>(null);
  const commissioner = session.currentOrganisation?.role === 'commissioner';

  const claim = async (v: Vacancy) => {
    setClaimError(null);
    try {
      setClaimed(await fundingApi.claim(v.placeId, v.version));
      reloadVacancies();
      reloadBoard();
    } catch (error) {
      setClaimError(isApiError(error) ? error.message : 'The place could not be claimed.');
    }
  };

  return (
    <Page title="Funding" caption={session.currentOrganisation?.name} width="full">
      <p className="govuk-body tandem-two-thirds">
        {commissioner
          ? 'The places your agency has bought, what is at risk, and the vacancies partner agencies have freed. You see counts and money, never the families.'
          : 'Contracts and grants, the places bought on your groups, the money at risk and the invoices.'}
      </p>
      {session.can('manage:funding') ? (
        <Link className="govuk-button" href="/funding/contracts/new">
          Record a contract
        </Link>
      ) : null}
      {claimed ? (
        <SuccessBanner heading="Place claimed">
          <p className="govuk-body">{`Place ${claimed.number} on ${claimed.groupLabel} is now your agency's; ${pounds(claimed.pricePence)} will be charged to ${claimed.payerName}.`}</p>
        </SuccessBanner>
      ) : null}

      <h2 className="govuk-heading-m">Money at risk</h2>
      {board.status === 'loading' ? <Loading what="the money at risk" /> : null}
      {board.status === 'failed' ? <LoadFailed message="The money at risk could not be loaded." /> : null}
      {board.status === 'done' ? (
        <>
          {board.data.suppressed ? <p className="govuk-body-s">Counts of fewer than 5 families are withheld so that no family can be identified.</p> : null}
          <RiskSummary risk={board.data.totals} label="All contracts" />
          {board.data.contracts.map((c) => (
            <section key={c.contractId} aria-labelledby={`risk-${c.contractId}`}>
              <h3 className="govuk-heading-s" id={`risk-${c.contractId}`}>{`${c.reference}: ${c.title}`}</h3>
              {c.groups.map((g) => (
                <details className="govuk-details" key={`${c.contractId}-${g.groupLabel}`}>
                  <summary className="govuk-details__summary">
                    <span className="govuk-details__summary-text">{`${g.groupLabel} (from ${formatDay(g.groupStartDate)})`}</span>
                  </summary>
                  <div className="govuk-details__text">
                    <RiskSummary risk={g.risk} label={g.groupLabel} />
                  </div>
                </details>
              ))}
              <RiskSummary risk={c.risk} label={`Contract ${c.reference}`} />
            </section>
          ))}
        </>
      ) : null}

      <h2 className="govuk-heading-m">Contracts</h2>
      {contracts.status === 'loading' ? <Loading what="contracts" /> : null}
      {contracts.status === 'failed' ? <LoadFailed message="The contracts could not be loaded." /> : null}
      {contracts.status === 'done' && contracts.data.length === 0 ? <p className="govuk-body">There are no contracts yet.</p> : null}
      {contracts.status === 'done' && contracts.data.length > 0 ? (
        <div className="tandem-table-scroll" role="region" aria-label="Contracts" tabIndex={0}>
          <table className="govuk-table">
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                {['Contract', 'Provider', 'Funder', 'Kind', 'Period', 'Value', 'Places', 'Your part'].map((h) => (
                  <th scope="col" className="govuk-table__header" key={h}>
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {contracts.data.map((c) => (
                <tr className="govuk-table__row" key={c.id}>
                  <th scope="row" className="govuk-table__header">
                    <Link className="govuk-link" href={`/funding/contracts/${c.id}`}>{`${c.reference}: ${c.title}`}</Link>
                  </th>
                  <td className="govuk-table__cell">{c.providerName}</td>
                  <td className="govuk-table__cell">{c.funderName}</td>
                  <td className="govuk-table__cell">{purchaseKindLabels[c.purchaseKind]}</td>
                  <td className="govuk-table__cell tandem-nowrap">{`${formatDay(c.periodStart)} to ${formatDay(c.periodEnd)}`}</td>
                  <td className="govuk-table__cell">{pounds(c.valuePence)}</td>
                  <td className="govuk-table__cell">{c.placesBought}</td>
                  <td className="govuk-table__cell">{roleLabels[c.myRole]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}

      <h2 className="govuk-heading-m">Shared vacancies</h2>
      {claimError ? (
        <div className="govuk-error-summary" role="alert">
          <h2 className="govuk-error-summary__title">There is a problem</h2>
          <div className="govuk-error-summary__body">
            <p className="govuk-body">{claimError}</p>
          </div>
        </div>
      ) : null}
      {vacancies.status === 'loading' ? <Loading what="vacancies" /> : null}
      {vacancies.status === 'failed' ? <LoadFailed message="The vacancies could not be loaded." /> : null}
      {vacancies.status === 'done' && vacancies.data.length === 0 ? <p className="govuk-body">There are no vacancies to fill.</p> : null}
      {vacancies.status === 'done' && vacancies.data.length > 0 ? (
        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-table__caption--s">Empty places that can still be filled before their deadline</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              {['Group', 'Place', 'Contract', 'Freed', 'Claim by', 'Paid by now', 'Price', ''].map((h, i) => (
                <th scope="col" className="govuk-table__header" key={h || `action-${i}`}>
                  {h || <span className="govuk-visually-hidden">Action</span>}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {vacancies.data.map((v) => (
              <tr className="govuk-table__row" key={v.placeId}>
                <td className="govuk-table__cell">{`${v.groupLabel} (from ${formatDay(v.groupStartDate)})`}</td>
                <td className="govuk-table__cell">{v.number}</td>
                <td className="govuk-table__cell">{v.contractReference}</td>
                <td className="govuk-table__cell">{v.freedOn ? formatDay(v.freedOn) : 'Never filled'}</td>
                <td className="govuk-table__cell">{formatDay(v.claimUntil)}</td>
                <td className="govuk-table__cell">{v.payerName}</td>
                <td className="govuk-table__cell">{pounds(v.pricePence)}</td>
                <td className="govuk-table__cell">
                  {session.can('claim:vacancy') ? (
                    <button type="button" className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" onClick={() => void claim(v)}>
                      Claim<span className="govuk-visually-hidden">{` place ${v.number} on ${v.groupLabel}`}</span>
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Page>
  );
};
