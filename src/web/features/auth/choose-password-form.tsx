import { useState } from 'react';
import { tokenPasswordBody } from '../../../shared/contracts/identity.ts';
import { Button, ErrorSummary, Form, TextField } from '../../components/form.tsx';
import { blankToUndefined, noProblems, parseForm, problemsFromError, type FormProblems } from '../../lib/form-problems.ts';

type ChoosePasswordFormProps = {
  token: string;
  /** Invitations may also set the person's name. */
  askForName: boolean;
  submitLabel: string;
  send: (body: { token: string; password: string; name?: string }) => Promise<unknown>;
  onDone: () => void;
  onProblems: (hasProblems: boolean) => void;
};

const labels = { name: 'Full name', password: 'New password', confirm: 'Confirm new password', token: 'The link you followed' };
const fieldOrder = [
  { name: 'name', id: 'name' },
  { name: 'password', id: 'password' },
  { name: 'confirm', id: 'confirm' },
];

/** New password twice (and a name for invitations), checked by the same schema as the server. */
export const ChoosePasswordForm = ({ token, askForName, submitLabel, send, onDone, onProblems }: ChoosePasswordFormProps) => {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [problems, setProblemsState] = useState<FormProblems>(noProblems);

  const setProblems = (next: FormProblems) => {
    setProblemsState(next);
    onProblems(Object.keys(next.fields).length > 0 || next.general.length > 0);
  };

  const submit = async () => {
    const parsed = parseForm(tokenPasswordBody, { token, password, name: askForName ? blankToUndefined(name) : undefined }, labels);
    const found: FormProblems = parsed.ok ? { fields: {}, general: [] } : parsed.problems;
    if (!found.fields.password && password !== confirm) found.fields.confirm = 'Enter the same password in both boxes';
    if (!found.fields.password && confirm === '') found.fields.confirm = 'Enter the new password again to confirm it';
    if (!parsed.ok || Object.keys(found.fields).length > 0) {
      setProblems(found);
      return;
    }
    try {
      await send(parsed.data);
      setProblems(noProblems);
      onDone();
    } catch (error) {
      setProblems(problemsFromError(error, labels));
    }
  };

  return (
    <>
      <ErrorSummary problems={problems} fieldOrder={fieldOrder} />
      <Form onSubmit={submit}>
        {askForName ? (
          <TextField
            id="name"
            label={labels.name}
            hint="Leave this empty to keep the name your administrator gave."
            autoComplete="name"
            spellCheck={false}
            value={name}
            onChange={setName}
            error={problems.fields.name}
          />
        ) : null}
        <TextField
          id="password"
          label={labels.password}
          hint="At least 12 characters. Three or four unrelated words make a strong password that is easy to remember."
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={setPassword}
          error={problems.fields.password}
          width="20"
        />
        <TextField
          id="confirm"
          label={labels.confirm}
          type="password"
          autoComplete="new-password"
          value={confirm}
          onChange={setConfirm}
          error={problems.fields.confirm}
          width="20"
        />
        <Button>{submitLabel}</Button>
      </Form>
    </>
  );
};
