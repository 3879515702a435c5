import { useState } from 'react';
import { totpConfirmBody } from '../../../shared/contracts/identity.ts';
import { api, type TotpSetup } from '../../api/endpoints.ts';
import { SuccessBanner } from '../../components/feedback.tsx';
import { Button, ErrorSummary, Form, TextField } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { hasProblems, noProblems, parseForm, problemsFromError, type FormProblems } from '../../lib/form-problems.ts';
import { useSession, useSignedIn } from '../../session.tsx';
import { CalendarFeedSection } from './calendar-feed-section.tsx';

const labels = { code: 'Security code' };

/** Groups of four characters are easier to copy by hand and for screen readers to spell out. */
const inGroups = (secret: string): string => secret.replace(/(.{4})/g, '$1 ').trim();

export const AccountSecurityPage = () => {
  const session = useSignedIn();
  const { refresh } = useSession();
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [code, setCode] = useState('');
  const [problems, setProblems] = useState<FormProblems>(noProblems);
  const [turnedOn, setTurnedOn] = useState(false);

  const start = async () => {
    try {
      setSetup(await api.startTotpSetup());
      setProblems(noProblems);
    } catch (error) {
      setProblems(problemsFromError(error, {}));
    }
  };

  const confirm = async () => {
    const parsed = parseForm(totpConfirmBody, { code: code.replace(/\s+/g, '') }, labels);
    if (!parsed.ok) {
      setProblems(parsed.problems);
      return;
    }
    try {
      await api.confirmTotp(parsed.data.code);
      setProblems(noProblems);
      setTurnedOn(true);
      setSetup(null);
      await refresh();
    } catch (error) {
      setProblems(problemsFromError(error, labels));
    }
  };

  return (
    <Page title="Account security" hasErrors={hasProblems(problems)}>
      {turnedOn ? <SuccessBanner heading="Two-step sign-in is on">
        <p className="govuk-body">From now on, Tandem will ask for a code from your authenticator app when you sign in.</p>
      </SuccessBanner> : null}
      <ErrorSummary problems={problems} fieldOrder={[{ name: 'code', id: 'code' }]} />
      <dl className="govuk-summary-list">
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Name</dt>
          <dd className="govuk-summary-list__value">{session.user.name}</dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Email address</dt>
          <dd className="govuk-summary-list__value">{session.user.email}</dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Two-step sign-in</dt>
          <dd className="govuk-summary-list__value">{session.user.totpEnabled ? 'On' : 'Off'}</dd>
        </div>
      </dl>

      {session.user.totpEnabled ? (
        turnedOn ? null : (
          <p className="govuk-body">Two-step sign-in is on. To move it to a new phone, ask your organisation admin.</p>
        )
      ) : setup ? (
        <>
          <h2 className="govuk-heading-m">Set up your authenticator app</h2>
          <ol className="govuk-list govuk-list--number">
            <li>Open an authenticator app on your phone, such as one from your organisation’s IT team.</li>
            <li>Add an account and choose to enter a setup key, then enter the key below. Choose “time-based” if asked.</li>
            <li>Enter the 6-digit code the app shows.</li>
          </ol>
          <h3 className="govuk-heading-s">
            Setup key
          </h3>
          <p className="govuk-body tandem-secret">
            <code>{inGroups(setup.secret)}</code>
          </p>
          <details className="govuk-details">
            <summary className="govuk-details__summary">
              <span className="govuk-details__summary-text">The setup link, for apps that accept one</span>
            </summary>
            <div className="govuk-details__text">
              <p className="govuk-body tandem-break-anywhere">
                <code>{setup.uri}</code>
              </p>
            </div>
          </details>
          <Form onSubmit={confirm}>
            <TextField
              id="code"
              label={labels.code}
              hint="The 6-digit code shown in your authenticator app"
              inputMode="numeric"
              autoComplete="one-time-code"
              spellCheck={false}
              value={code}
              onChange={setCode}
              error={problems.fields.code}
              width="5"
              labelSize="s"
            />
            <Button>Turn on two-step sign-in</Button>
          </Form>
        </>
      ) : (
        <>
          <h2 className="govuk-heading-m">Two-step sign-in</h2>
          <p className="govuk-body">
            Two-step sign-in protects the families’ records if your password is ever guessed or stolen: as well as your password, Tandem
            will ask for a code from an app on your phone.
          </p>
          <Button type="button" onClick={() => void start()}>
            Set up two-step sign-in
          </Button>
        </>
      )}
      {session.can('view:groups') ? <CalendarFeedSection /> : null}
    </Page>
  );
};
