import { useState } from 'react';
import { passwordResetRequestBody } from '../../../shared/contracts/identity.ts';
import { api } from '../../api/endpoints.ts';
import { Button, ErrorSummary, Form, TextField } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { hasProblems, noProblems, parseForm, problemsFromError, type FormProblems } from '../../lib/form-problems.ts';
import { Link, useSearchParams } from '../../router.tsx';
import { ChoosePasswordForm } from './choose-password-form.tsx';

const labels = { email: 'Email address' };

const RequestReset = () => {
  const [email, setEmail] = useState('');
  const [problems, setProblems] = useState<FormProblems>(noProblems);
  const [sentTo, setSentTo] = useState<string | null>(null);

  const submit = async () => {
    const parsed = parseForm(passwordResetRequestBody, { email }, labels);
    if (!parsed.ok) {
      setProblems(parsed.problems);
      return;
    }
    try {
      await api.requestPasswordReset(parsed.data.email);
      setProblems(noProblems);
      setSentTo(parsed.data.email);
    } catch (error) {
      setProblems(problemsFromError(error, labels));
    }
  };

  if (sentTo) {
    return (
      <Page title="Check your email">
        <p className="govuk-body">
          If <strong>{sentTo}</strong> belongs to a Tandem account, we have sent it a link to choose a new password.
        </p>
        <p className="govuk-body">The link works once and expires after a short time. If nothing arrives, ask your organisation admin.</p>
        <p className="govuk-body">
          <Link className="govuk-link" href="/sign-in">
            Back to sign in
          </Link>
        </p>
      </Page>
    );
  }

  return (
    <Page title="Reset your password" hasErrors={hasProblems(problems)}>
      <ErrorSummary problems={problems} fieldOrder={[{ name: 'email', id: 'email' }]} />
      <p className="govuk-body">Enter the email address you sign in with. We will send a link to choose a new password.</p>
      <Form onSubmit={submit}>
        <TextField
          id="email"
          label={labels.email}
          type="email"
          autoComplete="email"
          spellCheck={false}
          value={email}
          onChange={setEmail}
          error={problems.fields.email}
        />
        <Button>Send the link</Button>
      </Form>
      <p className="govuk-body">
        <Link className="govuk-link" href="/sign-in">
          Back to sign in
        </Link>
      </p>
    </Page>
  );
};

const CompleteReset = ({ token }: { token: string }) => {
  const [done, setDone] = useState(false);
  const [failed, setFailed] = useState(false);

  if (done) {
    return (
      <Page title="Your password has been changed">
        <p className="govuk-body">You can now sign in with your new password.</p>
        <Link className="govuk-button" href="/sign-in">
          Sign in
        </Link>
      </Page>
    );
  }

  return (
    <Page title="Choose a new password" hasErrors={failed}>
      <ChoosePasswordForm token={token} askForName={false} submitLabel="Change password" send={api.completePasswordReset} onDone={() => setDone(true)} onProblems={setFailed} />
      <p className="govuk-body">
        Link not working?{' '}
        <Link className="govuk-link" href="/reset-password">
          Ask for a new one
        </Link>
        .
      </p>
    </Page>
  );
};

/** `/reset-password` asks for a link; `/reset-password?token=…` (the link) chooses the new password. */
export const ResetPasswordPage = () => {
  const token = useSearchParams().get('token');
  return token ? <CompleteReset token={token} /> : <RequestReset />;
};

