import { useEffect, useRef, useState } from 'react';
import { isApiError } from '../../api/client.ts';
import { api, type PublicReferralForm, type ReferralReceipt } from '../../api/endpoints.ts';
import { LoadFailed, Loading } from '../../components/feedback.tsx';
import { Button, ErrorSummary, Form } from '../../components/form.tsx';
import { Page, SERVICE_NAME } from '../../components/page.tsx';
import { hasProblems, noProblems, type FormProblems } from '../../lib/form-problems.ts';
import { useLoad } from '../../lib/use-load.ts';
import { ReferralFields } from './referral-fields.tsx';
import { checkReferral, emptyReferral, fieldOrder, referralProblemsFromError, type ReferralValues } from './referral-values.ts';

/** The confirmation: a green panel with the reference, which takes focus so it is read out at once. */
const Confirmation = ({ receipt, organisation }: { receipt: ReferralReceipt; organisation: string }) => {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `Referral sent – ${SERVICE_NAME}`;
    heading.current?.focus();
    window.scrollTo(0, 0);
  }, []);
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <div className="govuk-panel govuk-panel--confirmation">
          <h1 className="govuk-panel__title" ref={heading} tabIndex={-1}>
            Referral sent
          </h1>
          <div className="govuk-panel__body">
            Your reference
            <br />
            <strong className="tandem-reference">{receipt.reference}</strong>
          </div>
        </div>
        <p className="govuk-body">{receipt.message}</p>
        <h2 className="govuk-heading-m">What happens next</h2>
        <p className="govuk-body">
          The team at {organisation} will read the referral and contact the family in the way and at the times given. If you need to
          tell them something, quote the reference.
        </p>
        <p className="govuk-body">Nothing from this form is kept on this device. You can close this page.</p>
      </div>
    </div>
  );
};

const ReferralForm = ({ orgSlug, form }: { orgSlug: string; form: PublicReferralForm }) => {
  const [values, setValues] = useState<ReferralValues>(() => emptyReferral());
  const [website, setWebsite] = useState('');
  const [problems, setProblems] = useState<FormProblems>(noProblems);
  const [receipt, setReceipt] = useState<ReferralReceipt | null>(null);
  const [sending, setSending] = useState(false);

  const submit = async () => {
    const checked = checkReferral(values, 'public');
    if (!checked.ok) {
      setProblems(checked.problems);
      return;
    }
    setSending(true);
    try {
      setReceipt(await api.sendPublicReferral(orgSlug, { submission: checked.submission, ...(website ? { website } : {}) }));
      setProblems(noProblems);
      // Nothing is kept: the answers leave memory with the form.
      setValues(emptyReferral());
    } catch (error) {
      setProblems(referralProblemsFromError(error, values, 'public'));
    } finally {
      setSending(false);
    }
  };

  if (receipt) return <Confirmation receipt={receipt} organisation={form.organisation} />;

  return (
    <Page title={`Refer a family to ${form.organisation}`} hasErrors={hasProblems(problems)}>
      <ErrorSummary problems={problems} fieldOrder={fieldOrder(values)} />
      <p className="govuk-body">
        Use this form to ask {form.organisation} for help for a family: your own, or one you work with. It takes about 10 minutes. You do
        not need an account.
      </p>
      <div className="govuk-inset-text">
        If a child is in danger now, call 999. This form is not watched out of hours.
      </div>
      <Form onSubmit={submit}>
        <ReferralFields values={values} onChange={setValues} problems={problems} audience="public" programmes={form.programmes} />
        {/* A field people never see or reach; automated senders fill it, and the server then keeps nothing. */}
        <div className="govuk-visually-hidden" aria-hidden="true">
          <label htmlFor="referral-website">Leave this empty</label>
          <input
            id="referral-website"
            name="website"
            type="text"
            tabIndex={-1}
            autoComplete="off"
            value={website}
            onChange={(event) => setWebsite(event.target.value)}
          />
        </div>
        <p className="govuk-body">By sending this referral you confirm that the information is correct as far as you know.</p>
        <Button>Send referral</Button>
        {sending ? (
          <p className="govuk-body" role="status">
            Sending…
          </p>
        ) : null}
      </Form>
    </Page>
  );
};

/** The public referral form at /refer/:orgSlug: no sign-in, no staff navigation, works on a phone. */
export const PublicReferralPage = ({ orgSlug }: { orgSlug: string }) => {
  const [form] = useLoad(() => api.publicReferralForm(orgSlug), [orgSlug]);

  if (form.status === 'loading') {
    return (
      <Page title="Refer a family">
        <Loading what="the referral form" />
      </Page>
    );
  }
  if (form.status === 'failed') {
    const notFound = isApiError(form.error) && (form.error.status === 404 || form.error.status === 400);
    return (
      <Page title={notFound ? 'Referral form not found' : 'Refer a family'}>
        {notFound ? (
          <p className="govuk-body">There is no referral form at this address. Check the link you were given.</p>
        ) : (
          <LoadFailed message={isApiError(form.error) ? form.error.message : 'The referral form could not be loaded. Try again later.'} />
        )}
      </Page>
    );
  }
  return <ReferralForm orgSlug={orgSlug} form={form.data} />;
};
