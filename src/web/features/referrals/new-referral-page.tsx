import { useState } from 'react';
import { isApiError } from '../../api/client.ts';
import { api } from '../../api/endpoints.ts';
import { LoadFailed, Loading } from '../../components/feedback.tsx';
import { Button, ErrorSummary, Form } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { hasProblems, noProblems, type FormProblems } from '../../lib/form-problems.ts';
import { useLoad } from '../../lib/use-load.ts';
import { Link, useRouter } from '../../router.tsx';
import { useSignedIn } from '../../session.tsx';
import { ReferralFields } from './referral-fields.tsx';
import { checkReferral, emptyReferral, fieldOrder, referralProblemsFromError, type ReferralValues } from './referral-values.ts';

/** Staff enter a referral that came from an agency (by email, letter or phone) with the same questions as the public form. */
export const NewReferralPage = () => {
  const session = useSignedIn();
  const { navigate } = useRouter();
  const [programmes] = useLoad(() => api.listProgrammes(), [session.currentOrganisation?.id]);
  const [values, setValues] = useState<ReferralValues>(() => emptyReferral('professional'));
  const [problems, setProblems] = useState<FormProblems>(noProblems);

  const submit = async () => {
    const checked = checkReferral(values, 'staff');
    if (!checked.ok) {
      setProblems(checked.problems);
      return;
    }
    try {
      const created = await api.createReferral(checked.submission);
      navigate(`/referrals/${created.id}`, { flash: { heading: `Referral ${created.reference} entered`, text: 'It is in the triage queue.' } });
    } catch (error) {
      setProblems(referralProblemsFromError(error, values, 'staff'));
    }
  };

  return (
    <Page title="Enter a referral" caption={session.currentOrganisation?.name} hasErrors={hasProblems(problems)}>
      <ErrorSummary problems={problems} fieldOrder={fieldOrder(values)} />
      <p className="govuk-body">Enter a referral that reached the team another way, such as by email or phone from an agency.</p>
      {programmes.status === 'loading' ? <Loading what="programmes" /> : null}
      {programmes.status === 'failed' ? (
        <LoadFailed message={isApiError(programmes.error) ? programmes.error.message : 'The programmes could not be loaded.'} />
      ) : null}
      {programmes.status === 'done' ? (
        <Form onSubmit={submit}>
          <ReferralFields
            values={values}
            onChange={setValues}
            problems={problems}
            audience="staff"
            programmes={programmes.data.filter((programme) => programme.acceptsReferrals)}
          />
          <Button>Save referral</Button>
        </Form>
      ) : null}
      <p className="govuk-body">
        <Link className="govuk-link" href="/referrals">
          Cancel
        </Link>
      </p>
    </Page>
  );
};
