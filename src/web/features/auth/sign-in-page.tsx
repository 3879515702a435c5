import { useState } from 'react';
import { signInBody } from '../../../shared/contracts/identity.ts';
import { isApiError } from '../../api/client.ts';
import { api } from '../../api/endpoints.ts';
import { ImportantBanner } from '../../components/feedback.tsx';
import { Button, ErrorSummary, Form, TextField } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { hasProblems, noProblems, parseForm, problemsFromError, type FormProblems } from '../../lib/form-problems.ts';
import { Link, useRouter, useSearchParams } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import { safeNext } from './safe-next.ts';

const labels = { email: 'Email address', password: 'Password', totp: 'Security code' };
const credentialFields = [
  { name: 'email', id: 'email' },
  { name: 'password', id: 'password' },
];
const codeFields = [{ name: 'totp', id: 'totp' }];

export const SignInPage = ({ sessionEnded }: { sessionEnded: boolean }) => {
  const { setSession } = useSession();
  const { navigate } = useRouter();
  const search = useSearchParams();
  const [step, setStep] = useState<'credentials' | 'code'>('credentials');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [problems, setProblems] = useState<FormProblems>(noProblems);

  const submit = async () => {
    const parsed = parseForm(signInBody, { email, password, totp: step === 'code' ? totp.replace(/\s+/g, '') : undefined }, labels);
    if (!parsed.ok) {
      setProblems(parsed.problems);
      return;
    }
    try {
      const result = await api.signIn(parsed.data);
      if (result.status === 'totp_required') {
        setProblems(noProblems);
        setStep('code');
        return;
      }
      setSession(result.session);
      navigate(safeNext(search.get('next')), { replace: true });
    } catch (error) {
      if (isApiError(error) && error.status === 401 && step === 'code') {
        // The server will not say which part was wrong; the person has just typed the code, so point there.
        setProblems({ fields: { totp: error.message }, general: [] });
        return;
      }
      setProblems(problemsFromError(error, labels));
    }
  };

  const startAgain = () => {
    setStep('credentials');
    setTotp('');
    setPassword('');
    setProblems(noProblems);
  };

  return (
    <Page title={step === 'code' ? 'Enter your security code' : 'Sign in to Tandem'} hasErrors={hasProblems(problems)}>
      {sessionEnded && step === 'credentials' ? (
        <ImportantBanner>
          <p className="govuk-notification-banner__heading">Your session has ended. Sign in again to carry on.</p>
        </ImportantBanner>
      ) : null}
      <ErrorSummary problems={problems} fieldOrder={step === 'code' ? codeFields : credentialFields} />
      <Form onSubmit={submit}>
        {step === 'credentials' ? (
          <>
            <TextField
              id="email"
              label={labels.email}
              type="email"
              autoComplete="username"
              spellCheck={false}
              value={email}
              onChange={setEmail}
              error={problems.fields.email}
            />
            <TextField
              id="password"
              label={labels.password}
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={setPassword}
              error={problems.fields.password}
              width="20"
            />
            <Button>Sign in</Button>
          </>
        ) : (
          <>
            <p className="govuk-body">Two-step sign-in is turned on for your account.</p>
            <TextField
              id="totp"
              label={labels.totp}
              hint="The 6-digit code shown in your authenticator app"
              inputMode="numeric"
              autoComplete="one-time-code"
              spellCheck={false}
              value={totp}
              onChange={setTotp}
              error={problems.fields.totp}
              width="5"
              labelSize="s"
            />
            <div className="govuk-button-group">
              <Button>Continue</Button>
              <button type="button" className="govuk-button govuk-button--secondary" onClick={startAgain}>
                Use a different account
              </button>
            </div>
          </>
        )}
      </Form>
      {step === 'credentials' ? (
        <p className="govuk-body">
          <Link className="govuk-link" href="/reset-password">
            I have forgotten my password
          </Link>
        </p>
      ) : null}
    </Page>
  );
};
