import { useState } from 'react';
import { createUserBody } from '../../../shared/contracts/identity.ts';
import { roleLabels } from '../../../shared/permissions.ts';
import { api, type CreateUserResult } from '../../api/endpoints.ts';
import { SuccessBanner } from '../../components/feedback.tsx';
import { Button, ErrorSummary, Form, Radios, TextField } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { hasProblems, noProblems, parseForm, problemsFromError, type FormProblems } from '../../lib/form-problems.ts';
import { Link } from '../../router.tsx';
import { useSignedIn } from '../../session.tsx';
import { roleOptions } from './role-options.ts';

const labels = { name: 'Full name', email: 'Email address', role: 'Role' };
const fieldOrder = [
  { name: 'name', id: 'name' },
  { name: 'email', id: 'email' },
  { name: 'role', id: 'role' },
];

/** Links from the server may be relative; the admin copies them into an email, so make them whole. */
const absolute = (url: string): string => new URL(url, window.location.origin).toString();

const CopyableLink = ({ url }: { url: string }) => {
  const [copied, setCopied] = useState<string>('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied('Link copied.');
    } catch {
      setCopied('Your browser did not allow copying. Select the link and copy it yourself.');
    }
  };
  return (
    <>
      <div className="govuk-form-group">
        <label className="govuk-label govuk-label--s" htmlFor="invitation-link">
          Invitation link
        </label>
        <div id="invitation-link-hint" className="govuk-hint">
          Send this to them yourself: Tandem does not send emails yet. It works once.
        </div>
        <input
          id="invitation-link"
          className="govuk-input govuk-!-width-full"
          readOnly
          value={url}
          aria-describedby="invitation-link-hint"
          onFocus={(event) => event.target.select()}
        />
      </div>
      <div className="govuk-button-group">
        <button type="button" className="govuk-button govuk-button--secondary" onClick={() => void copy()}>
          Copy link
        </button>
        <p className="govuk-body" role="status">
          {copied}
        </p>
      </div>
    </>
  );
};

export const InviteUserPage = () => {
  const session = useSignedIn();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState('');
  const [problems, setProblems] = useState<FormProblems>(noProblems);
  const [result, setResult] = useState<CreateUserResult | null>(null);

  const submit = async () => {
    const parsed = parseForm(createUserBody, { name, email, role }, labels, { role: 'Select a role' });
    if (!parsed.ok) {
      setProblems(parsed.problems);
      return;
    }
    try {
      setResult(await api.createUser(parsed.data));
      setProblems(noProblems);
    } catch (error) {
      setProblems(problemsFromError(error, labels));
    }
  };

  const startAgain = () => {
    setResult(null);
    setName('');
    setEmail('');
    setRole('');
  };

  if (result) {
    return (
      <Page title={result.invitationUrl ? 'Invitation created' : 'User added'} caption={session.currentOrganisation?.name}>
        <SuccessBanner heading={`${result.user.name} has been added as ${roleLabels[result.user.role].toLowerCase()}`}>
          {result.invitationUrl ? null : (
            <p className="govuk-body">They already had a Tandem account, so they can sign in now and choose this organisation.</p>
          )}
        </SuccessBanner>
        {result.invitationUrl ? <CopyableLink url={absolute(result.invitationUrl)} /> : null}
        <ul className="govuk-list">
          <li>
            <Link className="govuk-link" href="/users/invite" onClick={startAgain}>
              Invite someone else
            </Link>
          </li>
          <li>
            <Link className="govuk-link" href="/users">
              Back to users
            </Link>
          </li>
        </ul>
      </Page>
    );
  }

  return (
    <Page title="Invite a user" caption={session.currentOrganisation?.name} hasErrors={hasProblems(problems)}>
      <ErrorSummary problems={problems} fieldOrder={fieldOrder} />
      <p className="govuk-body">You will get a link to send them. They choose their own password when they open it.</p>
      <Form onSubmit={submit}>
        <TextField id="name" label={labels.name} autoComplete="off" spellCheck={false} value={name} onChange={setName} error={problems.fields.name} />
        <TextField
          id="email"
          label={labels.email}
          type="email"
          autoComplete="off"
          spellCheck={false}
          value={email}
          onChange={setEmail}
          error={problems.fields.email}
        />
        <Radios id="role" name="role" legend={labels.role} options={roleOptions} value={role} onChange={setRole} error={problems.fields.role} />
        <Button>Invite user</Button>
      </Form>
      <p className="govuk-body">
        <Link className="govuk-link" href="/users">
          Cancel
        </Link>
      </p>
    </Page>
  );
};
