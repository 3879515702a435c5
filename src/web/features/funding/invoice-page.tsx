import { useState } from 'react';
import { isApiError } from '../../api/client.ts';
import { Button, ErrorSummary, Form, TextArea } from '../../components/form.tsx';
import { FlashBanner, LoadFailed, Loading, Tag } from '../../components/feedback.tsx';
import { Page } from '../../components/page.tsx';
import { noProblems, problemsFromError, type FormProblems } from '../../lib/form-problems.ts';
import { formatDay } from '../../lib/format.ts';
import { useLoad } from '../../lib/use-load.ts';
import { Link, useRouter } from '../../router.tsx';
import { useSignedIn } from '../../session.tsx';
import { fundingApi, pounds, type Invoice } from './funding-api.ts';

/** An invoice: its lines by place and who pays, totals per agency, credit notes; issue it, credit it, download it. */
export const InvoicePage = ({ invoiceId }: { invoiceId: string }) => {
  const session = useSignedIn();
  const { flash } = useRouter();
  const [loaded] = useLoad(() => fundingApi.invoice(invoiceId), [invoiceId]);
  const [current, setCurrent] = useState<Invoice | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [creditProblems, setCreditProblems] = useState<FormProblems>(noProblems);
  if (loaded.status === 'loading') return <Page title="Invoice"><Loading what="the invoice" /></Page>;
  if (loaded.status === 'failed') return <Page title="Invoice"><LoadFailed message="The invoice could not be loaded." /></Page>;
  const inv = current ?? loaded.data;
  const manager = session.can('manage:funding');
  const issue = async () => {
    try {
      setCurrent(await fundingApi.issue(inv.id, inv.version));
      setProblem(null);
    } catch (error) {
      setProblem(isApiError(error) ? error.message : 'The invoice could not be issued.');
    }
  };
  const credit = async () => {
    try {
      setCurrent(await fundingApi.credit(inv.id, reason));
      setCreditProblems(noProblems);
      setReason('');
    } catch (error) {
      setCreditProblems(problemsFromError(error, { reason: 'Reason' }));
    }
  };
  return (
    <Page title={`Invoice ${inv.number}`} caption={`${inv.contractReference}: ${inv.contractTitle}`} width="full">
      <FlashBanner flash={flash} />
      {problem ? (
        <div className="govuk-error-summary" role="alert">
          <h2 className="govuk-error-summary__title">There is a problem</h2>
          <div className="govuk-error-summary__body">
            <p className="govuk-body">{problem}</p>
          </div>
        </div>
      ) : null}
      <p className="govuk-body">
        <Tag colour={inv.status === 'draft' ? 'grey' : 'green'}>{inv.status === 'draft' ? 'Draft' : `Issued ${inv.issuedAt ? formatDay(inv.issuedAt.slice(0, 10)) : ''}`}</Tag>{' '}
        {`From ${inv.providerName} · funder ${inv.funderName} · period ${formatDay(inv.periodStart)} to ${formatDay(inv.periodEnd)}`}
      </p>
      <p className="govuk-body">
        <a className="govuk-link" href={`/api/funding/invoices/${inv.id}/export?format=csv`}>
          Download CSV
        </a>
        {' · '}
        <a className="govuk-link" href={`/api/funding/invoices/${inv.id}/export?format=pdf`}>
          Download PDF
        </a>
        {' · '}
        <Link className="govuk-link" href={`/funding/contracts/${inv.contractId}`}>
          Back to the contract
        </Link>
      </p>
      <div className="tandem-table-scroll" role="region" aria-label="Invoice lines" tabIndex={0}>
        <table className="govuk-table">
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              {['Line', 'Description', 'Charged to', 'Amount'].map((h) => (
                <th scope="col" className={`govuk-table__header${h === 'Amount' ? ' govuk-table__header--numeric' : ''}`} key={h}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {inv.lines.map((l) => (
              <tr className="govuk-table__row" key={l.lineNo}>
                <td className="govuk-table__cell">{l.lineNo}</td>
                <td className="govuk-table__cell">{l.description}</td>
                <td className="govuk-table__cell">{l.payerName}</td>
                <td className="govuk-table__cell govuk-table__cell--numeric">{pounds(l.amountPence)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr className="govuk-table__row">
              <th scope="row" colSpan={3} className="govuk-table__header">
                Total
              </th>
              <td className="govuk-table__cell govuk-table__cell--numeric">{pounds(inv.totalPence)}</td>
            </tr>
            {inv.totalsByPayer.map((t) => (
              <tr className="govuk-table__row" key={t.payerName}>
                <th scope="row" colSpan={3} className="govuk-table__header">{`Charged to ${t.payerName}`}</th>
                <td className="govuk-table__cell govuk-table__cell--numeric">{pounds(t.pence)}</td>
              </tr>
            ))}
          </tfoot>
        </table>
      </div>
      {manager && inv.status === 'draft' ? (
        <Button type="button" onClick={() => void issue()}>
          Issue invoice
        </Button>
      ) : null}
      {inv.status === 'issued' ? <p className="govuk-body-s">An issued invoice is never changed; money owed back is given by a credit note.</p> : null}
      {inv.creditNotes.map((n) => (
        <section key={n.id} aria-labelledby={`cn-${n.id}`}>
          <h2 className="govuk-heading-m" id={`cn-${n.id}`}>{`Credit note ${n.number}: ${pounds(n.totalPence)}`}</h2>
          <p className="govuk-body">{n.reason}</p>
          <ul className="govuk-list govuk-list--bullet">
            {n.lines.map((l) => (
              <li key={l.lineNo}>{`${l.description}: ${pounds(l.amountPence)} to ${l.payerName}`}</li>
            ))}
          </ul>
        </section>
      ))}
      {manager && inv.status === 'issued' && inv.creditable.length > 0 ? (
        <Form onSubmit={credit}>
          <h2 className="govuk-heading-m">Owed back</h2>
          <ul className="govuk-list govuk-list--bullet">
            {inv.creditable.map((c) => (
              <li key={c.description}>{`${c.description}: ${pounds(c.amountPence)} to ${c.payerName}`}</li>
            ))}
          </ul>
          <ErrorSummary problems={creditProblems} fieldOrder={[{ name: 'reason', id: 'credit-reason' }]} />
          <TextArea id="credit-reason" label="Reason for the credit note" value={reason} onChange={setReason} error={creditProblems.fields.reason} rows={2} />
          <Button>Issue credit note</Button>
        </Form>
      ) : null}
    </Page>
  );
};
