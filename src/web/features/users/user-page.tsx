import { useEffect, useState } from 'react';
import type { StaffMember } from '../../../shared/contracts/identity.ts';
import { roleLabels, roles, type Role } from '../../../shared/permissions.ts';
import { isApiError } from '../../api/client.ts';
import { api, type Gender } from '../../api/endpoints.ts';
import { LoadFailed, Loading, SuccessBanner } from '../../components/feedback.tsx';
import { Button, ErrorSummary, Form, Radios } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { hasProblems, noProblems, problemsFromError, type FormProblems } from '../../lib/form-problems.ts';
import { useLoad } from '../../lib/use-load.ts';
import { Link } from '../../router.tsx';
import { useSignedIn } from '../../session.tsx';
import { genderLabels } from '../referrals/referral-values.ts';
import { roleOptions } from './role-options.ts';
import { UserStatus } from './user-status.tsx';

const labels = { role: 'Role', active: 'Account access', gender: 'Gender' };
const fieldOrder = [
  { name: 'role', id: 'role' },
  { name: 'gender', id: 'gender' },
];

const genderOptions = (Object.keys(genderLabels) as Gender[]).map((value) => ({ value, label: genderLabels[value] }));
const isGender = (value: string): value is Gender => value in genderLabels;

const staleMessage =
  'Someone else changed this person’s details while you had this page open. The page now shows the latest details: check them and try again.';

const isRole = (value: string): value is Role => (roles as readonly string[]).includes(value);

const formatDate = (iso: string): string => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });
};

const UserDetails = ({ initial, mayManage, isSelf }: { initial: StaffMember; mayManage: boolean; isSelf: boolean }) => {
  const [user, setUser] = useState(initial);
  const [role, setRole] = useState<string>(initial.role);
  const [gender, setGender] = useState<string>(initial.gender ?? '');
  const [problems, setProblems] = useState<FormProblems>(noProblems);
  const [done, setDone] = useState<string | null>(null);

  useEffect(() => {
    setUser(initial);
    setRole(initial.role);
    setGender(initial.gender ?? '');
  }, [initial]);

  const send = async (change: { role?: Role; active?: boolean; gender?: Gender }, success: (updated: StaffMember) => string) => {
    try {
      const updated = await api.updateUser(user.id, { ...change, version: user.version });
      setUser(updated);
      setRole(updated.role);
      setGender(updated.gender ?? '');
      setProblems(noProblems);
      setDone(success(updated));
    } catch (error) {
      setDone(null);
      if (isApiError(error) && error.status === 409) {
        setProblems({ fields: {}, general: [staleMessage] });
        try {
          const latest = await api.getUser(user.id);
          setUser(latest);
          setRole(latest.role);
          setGender(latest.gender ?? '');
        } catch {
          // The conflict message already tells them to reload; a second failure adds nothing useful.
        }
        return;
      }
      setProblems(problemsFromError(error, labels));
    }
  };

  const changeRole = async () => {
    if (!isRole(role)) {
      setProblems({ fields: { role: 'Select a role' }, general: [] });
      return;
    }
    if (role === user.role) {
      setProblems({ fields: { role: `${user.name} is already ${roleLabels[role].toLowerCase()}: select a different role to change it` }, general: [] });
      return;
    }
    await send({ role }, (updated) => `${updated.name} is now ${roleLabels[updated.role].toLowerCase()}`);
  };

  const changeGender = async () => {
    if (!isGender(gender)) {
      setProblems({ fields: { gender: 'Select a gender' }, general: [] });
      return;
    }
    if (gender === user.gender) {
      setProblems({ fields: { gender: `${user.name}’s gender is already recorded as ${genderLabels[gender].toLowerCase()}` }, general: [] });
      return;
    }
    await send({ gender }, (updated) => `${updated.name}’s gender is recorded`);
  };

  const setActive = (active: boolean) =>
    send({ active }, (updated) => (active ? `${updated.name} can sign in again` : `${updated.name} can no longer sign in`));

  return (
    <Page title={user.name} caption="Users" hasErrors={hasProblems(problems)}>
      {done ? <SuccessBanner heading={done} /> : null}
      <ErrorSummary problems={problems} fieldOrder={fieldOrder} />
      <dl className="govuk-summary-list">
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Email address</dt>
          <dd className="govuk-summary-list__value tandem-break-anywhere">{user.email}</dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Role</dt>
          <dd className="govuk-summary-list__value">{roleLabels[user.role]}</dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Gender</dt>
          <dd className="govuk-summary-list__value">{user.gender ? genderLabels[user.gender] : 'Not recorded'}</dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Status</dt>
          <dd className="govuk-summary-list__value">
            <UserStatus user={user} />
          </dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Two-step sign-in</dt>
          <dd className="govuk-summary-list__value">{user.totpEnabled ? 'On' : 'Off'}</dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Added</dt>
          <dd className="govuk-summary-list__value">{formatDate(user.createdAt)}</dd>
        </div>
      </dl>

      {mayManage ? (
        <>
          <Form onSubmit={changeRole}>
            <Radios
              id="role"
              name="role"
              legend="Change role"
              options={roleOptions}
              value={role}
              onChange={setRole}
              error={problems.fields.role}
            />
            <Button>Save role</Button>
          </Form>

          <Form onSubmit={changeGender}>
            <Radios
              id="gender"
              name="gender"
              legend="Gender"
              hint="Used only to check facilitator pairs: some programmes, such as Parents as Partners, need one male and one female facilitator."
              options={genderOptions}
              value={gender}
              onChange={setGender}
              error={problems.fields.gender}
            />
            <Button variant="secondary">Save gender</Button>
          </Form>

          <h2 className="govuk-heading-m">Account access</h2>
          {isSelf ? (
            <p className="govuk-body">You cannot deactivate your own account. Ask another organisation admin.</p>
          ) : user.active ? (
            <Form onSubmit={() => setActive(false)}>
              <p className="govuk-body">
                Deactivating stops {user.name} signing in to this organisation at once. Their past work and the audit trail are kept. You can
                reactivate them later.
              </p>
              <Button variant="warning">Deactivate account</Button>
            </Form>
          ) : (
            <Form onSubmit={() => setActive(true)}>
              <p className="govuk-body">{user.name} cannot sign in to this organisation.</p>
              <Button variant="secondary">Reactivate account</Button>
            </Form>
          )}
        </>
      ) : null}

      <p className="govuk-body">
        <Link className="govuk-link" href="/users">
          Back to users
        </Link>
      </p>
    </Page>
  );
};

export const UserPage = ({ userId }: { userId: string }) => {
  const session = useSignedIn();
  const [loaded] = useLoad(() => api.getUser(userId), [userId, session.currentOrganisation?.id]);

  if (loaded.status === 'loading') {
    return (
      <Page title="User" caption="Users">
        <Loading what="this user" />
      </Page>
    );
  }
  if (loaded.status === 'failed') {
    const notFound = isApiError(loaded.error) && (loaded.error.status === 404 || loaded.error.status === 400);
    return (
      <Page title={notFound ? 'User not found' : 'User'} caption="Users">
        {notFound ? (
          <p className="govuk-body">There is no such person in this organisation.</p>
        ) : (
          <LoadFailed message={isApiError(loaded.error) ? loaded.error.message : 'This user could not be loaded.'} />
        )}
        <p className="govuk-body">
          <Link className="govuk-link" href="/users">
            Back to users
          </Link>
        </p>
      </Page>
    );
  }
  return <UserDetails initial={loaded.data} mayManage={session.can('manage:users')} isSelf={loaded.data.id === session.user.id} />;
};
