import { useState } from 'react';
import { api } from '../../api/endpoints.ts';
import { Page } from '../../components/page.tsx';
import { Link, useSearchParams } from '../../router.tsx';
import { ChoosePasswordForm } from './choose-password-form.tsx';

/** `/accept-invitation?token=…`: the link an admin gives a new member of staff. */
export const AcceptInvitationPage = () => {
  const token = useSearchParams().get('token');
  const [done, setDone] = useState(false);
  const [failed, setFailed] = useState(false);

  if (!token) {
    return (
      <Page title="This invitation link is not complete">
        <p className="govuk-body">Check that you copied the whole link, or ask your organisation admin to send it again.</p>
      </Page>
    );
  }
  if (done) {
    return (
      <Page title="Your account is ready">
        <p className="govuk-body">Sign in with your email address and the password you just chose.</p>
        <Link className="govuk-button" href="/sign-in">
          Sign in
        </Link>
      </Page>
    );
  }
  return (
    <Page title="Set up your Tandem account" hasErrors={failed}>
      <p className="govuk-body">You have been invited to use Tandem. Choose a password to finish setting up your account.</p>
      <ChoosePasswordForm token={token} askForName submitLabel="Create account" send={api.acceptInvitation} onDone={() => setDone(true)} onProblems={setFailed} />
    </Page>
  );
};
