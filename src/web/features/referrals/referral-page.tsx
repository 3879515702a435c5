import { useState, type ReactNode } from 'react';
import { referralDecisionBody } from '../../../shared/contracts/journey.ts';
import type { StaffMember } from '../../../shared/contracts/identity.ts';
import { isApiError } from '../../api/client.ts';
import { api, type Programme, type ReferralDetail } from '../../api/endpoints.ts';
import { LoadFailed, Loading, SuccessBanner } from '../../components/feedback.tsx';
import { Button, Checkboxes, ErrorSummary, Form, Radios, SelectField, TextArea, TextField } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { formatDay, formatWhen } from '../../lib/format.ts';
import { blankToUndefined, hasProblems, noProblems, parseForm, problemsFromError, type FormProblems } from '../../lib/form-problems.ts';
import { useLoad, type Loaded } from '../../lib/use-load.ts';
import { Link } from '../../router.tsx';
import { useSignedIn } from '../../session.tsx';
import { EligibilityTag, StatusTag } from './referral-tags.tsx';
import { contactPreferenceLabels, courtLabels, genderLabels, relationshipLabels } from './referral-values.ts';

type Row = { key: string; value: ReactNode };

const SummaryList = ({ rows }: { rows: Row[] }) => (
  <dl className="govuk-summary-list">
    {rows.map((row) => (
      <div className="govuk-summary-list__row" key={row.key}>
        <dt className="govuk-summary-list__key">{row.key}</dt>
        <dd className="govuk-summary-list__value tandem-break-anywhere">{row.value === '' || row.value === undefined ? 'Not given' : row.value}</dd>
      </div>
    ))}
  </dl>
);

const yesNo = (value: boolean): string => (value ? 'Yes' : 'No');

const matchLabels = { name_and_date_of_birth: 'name and date of birth', email: 'email address', phone: 'phone number' } as const;

/** The referral as it was sent, section by section. */
const Submission = ({ referral }: { referral: ReferralDetail }) => {
  const { submission } = referral;
  return (
    <>
      <h2 className="govuk-heading-m">Referrer</h2>
      <SummaryList
        rows={[
          { key: 'Referred by', value: submission.referrer.kind === 'self' ? 'The family (self-referral)' : 'A professional' },
          { key: 'Name', value: submission.referrer.name },
          ...(submission.referrer.kind === 'professional'
            ? [
                { key: 'Agency', value: submission.referrer.agency ?? '' },
                { key: 'Role', value: submission.referrer.role ?? '' },
              ]
            : []),
          { key: 'Email address', value: submission.referrer.email ?? '' },
          { key: 'Phone number', value: submission.referrer.phone ?? '' },
        ]}
      />

      <h2 className="govuk-heading-m">Parents and co-parents</h2>
      {submission.parents.map((adult, index) => (
        <section key={index} aria-labelledby={`adult-${index}`}>
          <h3 className="govuk-heading-s" id={`adult-${index}`}>
            Adult {index + 1}: {adult.givenName} {adult.familyName}
          </h3>
          <SummaryList
            rows={[
              { key: 'Date of birth', value: formatDay(adult.dateOfBirth) },
              { key: 'Gender', value: adult.gender ? genderLabels[adult.gender] : '' },
              { key: 'Relationship to the children', value: relationshipLabels[adult.relationship] },
              { key: 'Email address', value: adult.email ?? '' },
              { key: 'Phone number', value: adult.phone ?? '' },
              { key: 'Willing to attend', value: yesNo(adult.willingToAttend) },
            ]}
          />
        </section>
      ))}

      <h2 className="govuk-heading-m">Children</h2>
      <SummaryList
        rows={submission.children.map((child, index) => ({
          key: `Child ${index + 1}`,
          value: (
            <>
              {child.givenName} {child.familyName}, born {formatDay(child.dateOfBirth)}
            </>
          ),
        }))}
      />

      <h2 className="govuk-heading-m">Reason for the referral</h2>
      <p className="govuk-body tandem-pre-wrap">{submission.reason}</p>

      <h2 className="govuk-heading-m">Circumstances and consent</h2>
      <SummaryList
        rows={[
          { key: 'Court proceedings about the children', value: courtLabels[submission.circumstances.activeCourtProceedings] },
          { key: 'Adoptive family', value: yesNo(submission.circumstances.adoptiveFamily) },
          { key: 'Agrees to the referral', value: yesNo(submission.consent.toReferral) },
          { key: 'Agrees to sharing information', value: yesNo(submission.consent.toShareInformation) },
        ]}
      />

      <h2 className="govuk-heading-m">Contacting the family</h2>
      <SummaryList
        rows={[
          { key: 'Preferred contact', value: contactPreferenceLabels[submission.contact.preference] },
          { key: 'Safe times to contact', value: submission.contact.safeTimes ?? '' },
          { key: 'Safe to leave a message', value: yesNo(submission.contact.safeToLeaveMessage) },
        ]}
      />
    </>
  );
};

const Eligibility = ({ referral }: { referral: ReferralDetail }) => (
  <>
    <h2 className="govuk-heading-m">Eligibility check</h2>
    {!referral.programmeName ? (
      <p className="govuk-body">No programme was chosen, so eligibility has not been checked. Choose a programme when you decide.</p>
    ) : referral.eligibility.length === 0 ? (
      <p className="govuk-body">{referral.programmeName} has no eligibility rules.</p>
    ) : (
      <div className="tandem-table-scroll" role="region" aria-label="Eligibility check" tabIndex={0}>
        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-table__caption--s">
            {referral.programmeName}: {referral.eligible === 'yes' ? 'every rule is met' : referral.eligible === 'no' ? 'a rule is not met' : 'some answers are not known'}
          </caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">
                Rule
              </th>
              <th scope="col" className="govuk-table__header">
                Result
              </th>
              <th scope="col" className="govuk-table__header">
                Reason
              </th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {referral.eligibility.map((outcome) => (
              <tr className="govuk-table__row" key={outcome.rule}>
                <th scope="row" className="govuk-table__header">
                  {outcome.rule}
                </th>
                <td className="govuk-table__cell">
                  <EligibilityTag met={outcome.met} words="rule" />
                </td>
                <td className="govuk-table__cell">{outcome.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    )}
  </>
);

const decisionLabels = {
  decision: 'Decision',
  reason: 'Reason',
  redirectedTo: 'Service redirected to',
  programmeId: 'Programme',
  caseWorkerId: 'Case worker',
  samePeople: 'People already known',
  version: 'Version',
};
const decisionFields = [
  { name: 'samePeople', id: 'same-people' },
  { name: 'programmeId', id: 'decision-programme' },
  { name: 'decision', id: 'decision' },
  { name: 'reason', id: 'decision-reason' },
  { name: 'redirectedTo', id: 'decision-redirectedTo' },
  { name: 'caseWorkerId', id: 'decision-caseWorker' },
];

const conflictMessage =
  'Someone else decided this referral, or changed it, while you had this page open. The page now shows the latest: check it before deciding.';
// One object, so the summary takes focus once when the conflict appears, not on every render.
const conflictProblems: FormProblems = { fields: {}, general: [conflictMessage] };

type DecisionFormProps = {
  referral: ReferralDetail;
  programmes: Loaded<Programme[]>;
  staff: Loaded<StaffMember[]> | null;
  onDecided: (updated: ReferralDetail) => void;
  onConflict: () => void;
  /** Tells the page whether the form shows errors, for the "Error: " in the tab title. */
  onProblems: (has: boolean) => void;
};

const DecisionForm = ({ referral, programmes, staff, onDecided, onConflict, onProblems }: DecisionFormProps) => {
  const session = useSignedIn();
  const [decision, setDecision] = useState('');
  const [reason, setReason] = useState('');
  const [redirectedTo, setRedirectedTo] = useState('');
  const [programmeId, setProgrammeId] = useState(referral.programmeId ?? '');
  const [caseWorkerId, setCaseWorkerId] = useState('');
  const [allocateToMe, setAllocateToMe] = useState(false);
  const [samePeople, setSamePeople] = useState<{ parentIndex: number; personId: string }[]>([]);
  const [problems, setShownProblems] = useState<FormProblems>(noProblems);
  const mayAllocate = session.can('allocate:case');
  const setProblems = (next: FormProblems) => {
    setShownProblems(next);
    onProblems(hasProblems(next));
  };

  const submit = async () => {
    const allocated = mayAllocate ? blankToUndefined(caseWorkerId) : allocateToMe ? session.user.id : undefined;
    const parsed = parseForm(
      referralDecisionBody,
      {
        decision,
        reason,
        redirectedTo,
        programmeId: blankToUndefined(programmeId),
        caseWorkerId: decision === 'accept' ? allocated : undefined,
        samePeople: decision === 'accept' ? samePeople : [],
        version: referral.version,
      },
      decisionLabels,
      {
        decision: 'Select a decision',
        reason: decision === 'decline' ? 'Give the reason for declining' : 'Give the reason for the waiting list',
        redirectedTo: 'Enter the service the family is redirected to',
      },
    );
    if (!parsed.ok) {
      setProblems(parsed.problems);
      return;
    }
    try {
      const body = { ...parsed.data, reason: blankToUndefined(parsed.data.reason ?? ''), redirectedTo: blankToUndefined(parsed.data.redirectedTo ?? '') };
      const updated = await api.decideReferral(referral.id, body);
      setProblems(noProblems);
      onDecided(updated);
    } catch (error) {
      if (isApiError(error) && error.status === 409) {
        setProblems(noProblems);
        onConflict();
        return;
      }
      setProblems(problemsFromError(error, decisionLabels));
    }
  };

  const programmeOptions =
    programmes.status === 'done'
      ? [{ value: '', label: 'No programme yet' }, ...programmes.data.map((programme) => ({ value: programme.id, label: programme.name }))]
      : null;
  const caseWorkers = staff?.status === 'done' ? staff.data.filter((person) => person.active && (person.role === 'case_worker' || person.role === 'service_manager')) : [];

  const reasonField = (label: string, optional: boolean) => (
    <TextArea
      id="decision-reason"
      label={optional ? `${label} (optional)` : label}
      rows={3}
      value={reason}
      onChange={setReason}
      error={problems.fields.reason}
      maxLength={2000}
    />
  );
  const allocation = mayAllocate ? (
    staff?.status === 'failed' ? (
      <p className="govuk-body">The list of staff could not be loaded, so the case will be left unallocated.</p>
    ) : (
      <SelectField
        id="decision-caseWorker"
        label="Case worker"
        hint="You can allocate or change the case worker later."
        options={[{ value: '', label: 'Leave unallocated' }, ...caseWorkers.map((person) => ({ value: person.id, label: person.name }))]}
        value={caseWorkerId}
        onChange={setCaseWorkerId}
        error={problems.fields.caseWorkerId}
      />
    )
  ) : (
    <Checkboxes
      id="decision-caseWorker"
      items={[
        {
          id: 'decision-caseWorker',
          label: 'Allocate the case to me',
          hint: 'Leave it unticked for a service manager to allocate.',
          checked: allocateToMe,
          onChange: setAllocateToMe,
        },
      ]}
      error={problems.fields.caseWorkerId}
    />
  );

  const duplicates = referral.possibleDuplicates;
  return (
    <>
      <h2 className="govuk-heading-m">Decision</h2>
      <ErrorSummary problems={problems} fieldOrder={decisionFields} />
      <Form onSubmit={submit}>
        {duplicates.length > 0 ? (
          <Checkboxes
            id="same-people"
            legend="These people may already be known"
            legendSize="s"
            hint="Tick a match if it is the same person: accepting will link the existing record instead of creating a new one."
            items={duplicates.map((match, index) => {
              const adult = referral.submission.parents[match.parentIndex];
              const checked = samePeople.some((same) => same.parentIndex === match.parentIndex && same.personId === match.personId);
              return {
                id: index === 0 ? 'same-people' : `same-people-${index + 1}`,
                label: (
                  <>
                    {match.name}
                    {match.dateOfBirth ? `, born ${formatDay(match.dateOfBirth)}` : ''} is adult {match.parentIndex + 1}
                    {adult ? ` (${adult.givenName} ${adult.familyName})` : ''}
                  </>
                ),
                hint: `Matched on ${match.matchedOn.map((on) => matchLabels[on]).join(' and ')}`,
                checked,
                // One existing person per adult: choosing a match replaces any other choice for that adult.
                onChange: (tick: boolean) =>
                  setSamePeople((previous) => [
                    ...previous.filter((same) => same.parentIndex !== match.parentIndex),
                    ...(tick ? [{ parentIndex: match.parentIndex, personId: match.personId }] : []),
                  ]),
              };
            })}
            error={problems.fields.samePeople}
          />
        ) : null}
        {programmeOptions ? (
          <SelectField
            id="decision-programme"
            label="Programme"
            hint="Changing it checks eligibility again when you decide."
            options={programmeOptions}
            value={programmeId}
            onChange={setProgrammeId}
            error={problems.fields.programmeId}
          />
        ) : null}
        <Radios
          id="decision"
          name="decision"
          legend="What is your decision?"
          legendSize="s"
          options={[
            { value: 'accept', label: 'Accept', hint: 'Opens a case for the family' },
            { value: 'decline', label: 'Decline' },
            { value: 'waiting_list', label: 'Put on the waiting list' },
            { value: 'redirect', label: 'Redirect to another service' },
          ]}
          value={decision}
          onChange={setDecision}
          error={problems.fields.decision}
          conditional={{
            accept: allocation,
            decline: reasonField('Reason for declining', false),
            waiting_list: reasonField('Reason for the waiting list', false),
            redirect: (
              <>
                <TextField
                  id="decision-redirectedTo"
                  label="Service redirected to"
                  value={redirectedTo}
                  onChange={setRedirectedTo}
                  error={problems.fields.redirectedTo}
                  maxLength={200}
                />
                {reasonField('Reason', true)}
              </>
            ),
          }}
        />
        <Button>Save decision</Button>
      </Form>
    </>
  );
};

const ReferralDetails = ({ initial, reload }: { initial: ReferralDetail; reload: () => void }) => {
  const session = useSignedIn();
  const [referral, setReferral] = useState(initial);
  const [decided, setDecided] = useState<string | null>(null);
  const [formKey, setFormKey] = useState(0);
  const [conflict, setConflict] = useState(false);
  const [formHasProblems, setFormHasProblems] = useState(false);
  const [programmes] = useLoad(() => api.listProgrammes(), [session.currentOrganisation?.id]);
  const mayAllocate = session.can('allocate:case');
  const [staff] = useLoad(() => (mayAllocate ? api.listUsers() : Promise.resolve([])), [session.currentOrganisation?.id, mayAllocate]);
  const open = referral.status === 'new' || referral.status === 'waiting_list';

  const onDecided = (updated: ReferralDetail) => {
    setReferral(updated);
    setDecided(
      {
        accepted: 'Referral accepted: a case is open for the family',
        declined: 'Referral declined',
        waiting_list: 'Referral put on the waiting list',
        redirected: 'Referral redirected',
        new: 'Referral saved',
      }[updated.status],
    );
    setConflict(false);
    setFormKey((n) => n + 1);
  };

  const onConflict = async () => {
    setConflict(true);
    setDecided(null);
    try {
      setReferral(await api.getReferral(referral.id));
    } catch {
      reload();
    }
  };

  return (
    <Page title={`Referral ${referral.reference}`} caption={referral.familyName} width="full" hasErrors={conflict || formHasProblems}>
      <div className="tandem-two-thirds">
        {conflict ? <ErrorSummary problems={conflictProblems} fieldOrder={[]} /> : null}
        {decided ? (
          <SuccessBanner heading={decided}>
            {referral.caseId ? (
              <p className="govuk-body">
                <Link className="govuk-notification-banner__link" href={`/cases/${referral.caseId}`}>
                  Go to the case
                </Link>
              </p>
            ) : null}
          </SuccessBanner>
        ) : null}
        <SummaryList
          rows={[
            { key: 'Status', value: <StatusTag status={referral.status} /> },
            { key: 'Received', value: formatWhen(referral.receivedAt) },
            { key: 'How it came', value: referral.source === 'public' ? 'Online referral form' : 'Entered by staff' },
            { key: 'Programme', value: referral.programmeName ?? 'Not chosen' },
            ...(referral.decisionReason ? [{ key: 'Reason for the decision', value: referral.decisionReason }] : []),
            ...(referral.redirectedTo ? [{ key: 'Redirected to', value: referral.redirectedTo }] : []),
            ...(referral.caseId
              ? [
                  {
                    key: 'Case',
                    value: (
                      <Link className="govuk-link" href={`/cases/${referral.caseId}`}>
                        Open the family’s case
                      </Link>
                    ),
                  },
                ]
              : []),
          ]}
        />
        <Eligibility referral={referral} />
        {open && session.can('triage:referral') ? (
          <DecisionForm
            key={`${formKey}-${referral.version}`}
            referral={referral}
            programmes={programmes}
            staff={mayAllocate ? staff : null}
            onDecided={onDecided}
            onConflict={() => void onConflict()}
            onProblems={setFormHasProblems}
          />
        ) : null}
        <Submission referral={referral} />
        <p className="govuk-body">
          <Link className="govuk-link" href="/referrals">
            Back to referrals
          </Link>
        </p>
      </div>
    </Page>
  );
};

export const ReferralPage = ({ referralId }: { referralId: string }) => {
  const session = useSignedIn();
  const [loaded, reload] = useLoad(() => api.getReferral(referralId), [referralId, session.currentOrganisation?.id]);

  if (loaded.status === 'loading') {
    return (
      <Page title="Referral" caption="Referrals">
        <Loading what="the referral" />
      </Page>
    );
  }
  if (loaded.status === 'failed') {
    const notFound = isApiError(loaded.error) && (loaded.error.status === 404 || loaded.error.status === 400);
    return (
      <Page title={notFound ? 'Referral not found' : 'Referral'} caption="Referrals">
        {notFound ? (
          <p className="govuk-body">There is no such referral in this organisation.</p>
        ) : (
          <LoadFailed message={isApiError(loaded.error) ? loaded.error.message : 'This referral could not be loaded.'} />
        )}
        <p className="govuk-body">
          <Link className="govuk-link" href="/referrals">
            Back to referrals
          </Link>
        </p>
      </Page>
    );
  }
  return <ReferralDetails initial={loaded.data} reload={reload} />;
};
