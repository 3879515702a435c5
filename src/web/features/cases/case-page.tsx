import { useCallback, useState, type MouseEvent } from 'react';
import { stageChangeBody, type CaseStage } from '../../../shared/contracts/journey.ts';
import { isApiError } from '../../api/client.ts';
import { api, type CaseDetail } from '../../api/endpoints.ts';
import { LoadFailed, Loading, SuccessBanner } from '../../components/feedback.tsx';
import { Button, ErrorSummary, Form, Radios, SelectField, TextArea } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { ageFrom, formatDay, formatDayOf, formatWhen } from '../../lib/format.ts';
import { hasProblems, noProblems, parseForm, problemsFromError, type FormProblems } from '../../lib/form-problems.ts';
import { useLoad } from '../../lib/use-load.ts';
import { Link } from '../../router.tsx';
import { useSignedIn } from '../../session.tsx';
import { contactPreferenceLabels, relationshipLabels } from '../referrals/referral-values.ts';
import { AssessmentSection } from './assessment-section.tsx';
import { FundApplicationsLink } from '../fund-applications/case-section.tsx';
import { conflictMessage } from './case-section.ts';
import { DocumentsSection, NotesSection } from './records-sections.tsx';
import { SafeguardingSection } from './safeguarding-section.tsx';
import { SafeguardingTag } from './safeguarding-tag.tsx';
import { QuestionnairesSection } from '../questionnaires/questionnaires-section.tsx';
import { CaseScoresSection } from '../evaluation/case-scores-section.tsx';
import { StageTag, stageLabels } from './stage-labels.tsx';

const endsActiveWork = (stage: string): boolean => stage === 'withdrawn' || stage === 'closed';

/** Each person's id, for a subject access or erasure request (the organisation admin asks for it by id). */
const PersonId = ({ id, name }: { id: string; name: string }) => (
  <details className="govuk-details tandem-person-id">
    <summary className="govuk-details__summary">
      <span className="govuk-details__summary-text govuk-!-font-size-16">
        Person ID<span className="govuk-visually-hidden"> of {name}</span>
      </span>
    </summary>
    <div className="govuk-details__text govuk-!-font-size-16 tandem-break-anywhere">
      <code>{id}</code>
    </div>
  </details>
);

const Members = ({ members }: { members: CaseDetail['members'] }) => {
  const adults = members.filter((member) => !member.isChild);
  const children = members.filter((member) => member.isChild);
  return (
    <>
      <h2 className="govuk-heading-m">Family members</h2>
      <div className="tandem-table-scroll" role="region" aria-label="Adults" tabIndex={0}>
        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-table__caption--s">Adults</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">
                Name
              </th>
              <th scope="col" className="govuk-table__header">
                Relationship
              </th>
              <th scope="col" className="govuk-table__header">
                Date of birth
              </th>
              <th scope="col" className="govuk-table__header">
                Contact details
              </th>
              <th scope="col" className="govuk-table__header">
                Preferred contact
              </th>
              <th scope="col" className="govuk-table__header">
                Safe contact
              </th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {adults.map((adult) => (
              <tr className="govuk-table__row" key={adult.personId}>
                <th scope="row" className="govuk-table__header">
                  {adult.givenName} {adult.familyName}
                  <PersonId id={adult.personId} name={`${adult.givenName} ${adult.familyName}`} />
                </th>
                <td className="govuk-table__cell">{relationshipLabels[adult.relationship]}</td>
                <td className="govuk-table__cell tandem-nowrap">{adult.dateOfBirth ? formatDay(adult.dateOfBirth) : 'Not known'}</td>
                <td className="govuk-table__cell tandem-break-anywhere">
                  {adult.email || adult.phone ? (
                    <>
                      {adult.email}
                      {adult.email && adult.phone ? <br /> : null}
                      {adult.phone}
                    </>
                  ) : (
                    'None given'
                  )}
                </td>
                <td className="govuk-table__cell">{adult.contactPreference ? contactPreferenceLabels[adult.contactPreference] : 'Not given'}</td>
                <td className="govuk-table__cell">{adult.safeContactNotes ?? 'No notes'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {children.length > 0 ? (
        <div className="tandem-table-scroll" role="region" aria-label="Children" tabIndex={0}>
          <table className="govuk-table">
            <caption className="govuk-table__caption govuk-table__caption--s">Children</caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                <th scope="col" className="govuk-table__header">
                  Name
                </th>
                <th scope="col" className="govuk-table__header">
                  Date of birth
                </th>
                <th scope="col" className="govuk-table__header">
                  Age
                </th>
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {children.map((child) => (
                <tr className="govuk-table__row" key={child.personId}>
                  <th scope="row" className="govuk-table__header">
                    {child.givenName} {child.familyName}
                    <PersonId id={child.personId} name={`${child.givenName} ${child.familyName}`} />
                  </th>
                  <td className="govuk-table__cell tandem-nowrap">{child.dateOfBirth ? formatDay(child.dateOfBirth) : 'Not known'}</td>
                  <td className="govuk-table__cell">{ageFrom(child.dateOfBirth) ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
};

const History = ({ history }: { history: CaseDetail['history'] }) => (
  <>
    <h2 className="govuk-heading-m">History</h2>
    <div className="tandem-table-scroll" role="region" aria-label="History" tabIndex={0}>
      <table className="govuk-table">
        <caption className="govuk-table__caption govuk-table__caption--s">Stage changes, oldest first</caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header">
              Change
            </th>
            <th scope="col" className="govuk-table__header">
              Who
            </th>
            <th scope="col" className="govuk-table__header">
              When
            </th>
            <th scope="col" className="govuk-table__header">
              Why
            </th>
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {history.map((change, index) => (
            <tr className="govuk-table__row" key={`${change.changedAt}-${index}`}>
              <td className="govuk-table__cell">
                {change.fromStage ? `${stageLabels[change.fromStage]} → ` : ''}
                {stageLabels[change.toStage]}
              </td>
              <td className="govuk-table__cell">{change.changedByName ?? 'Tandem'}</td>
              <td className="govuk-table__cell tandem-nowrap">
                <time dateTime={change.changedAt}>{formatWhen(change.changedAt)}</time>
              </td>
              <td className="govuk-table__cell tandem-pre-wrap">{change.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  </>
);

const stageLabelsForForm = { to: 'Next stage', reason: 'Reason', version: 'Version' };
const stageFields = [
  { name: 'to', id: 'stage-to' },
  { name: 'reason', id: 'stage-reason' },
];
const allocationLabels = { caseWorkerId: 'Case worker', version: 'Version' };
const allocationFields = [{ name: 'caseWorkerId', id: 'case-worker' }];

type Change = { problems: FormProblems; done: string | null };

/** Moves focus to the safeguarding section without touching the address (the router owns it). */
const goToSafeguarding = (event: MouseEvent<HTMLAnchorElement>) => {
  const heading = document.getElementById('safeguarding-heading');
  if (!heading) return;
  event.preventDefault();
  heading.scrollIntoView();
  heading.focus({ preventScroll: true });
};

const CaseDetails = ({ initial }: { initial: CaseDetail }) => {
  const session = useSignedIn();
  const [item, setItem] = useState(initial);
  const [to, setTo] = useState('');
  const [reason, setReason] = useState('');
  const [caseWorkerId, setCaseWorkerId] = useState(initial.caseWorkerId ?? '');
  const [stageChange, setStageChange] = useState<Change>({ problems: noProblems, done: null });
  const [allocation, setAllocation] = useState<Change>({ problems: noProblems, done: null });
  const [sectionDone, setSectionDone] = useState<{ message: string; at: number } | null>(null);
  const [sectionsWithErrors, setSectionsWithErrors] = useState<Record<string, boolean>>({});
  const mayUpdate = session.can('update:case');
  const mayAllocate = session.can('allocate:case');
  const mayTake = !mayAllocate && mayUpdate && session.currentOrganisation?.role === 'case_worker';
  const [staff] = useLoad(() => (mayAllocate ? api.listUsers() : Promise.resolve([])), [session.currentOrganisation?.id, mayAllocate]);

  const show = (updated: CaseDetail) => {
    setItem(updated);
    setCaseWorkerId(updated.caseWorkerId ?? '');
  };

  const clearDone = () => {
    setStageChange((previous) => ({ ...previous, done: null }));
    setAllocation((previous) => ({ ...previous, done: null }));
    setSectionDone(null);
  };

  /** A section saved something: show the latest case and say what happened. */
  const announce = (message: string) => {
    setStageChange({ problems: noProblems, done: null });
    setAllocation({ problems: noProblems, done: null });
    setSectionDone({ message, at: Date.now() });
  };
  const reload = async () => {
    try {
      show(await api.getCase(item.id));
    } catch {
      // The section's message already asks them to check; a second failure adds nothing they can act on.
    }
  };
  const saved = async (message: string) => {
    await reload();
    announce(message);
  };
  const reportProblems = useCallback((section: string, has: boolean) => {
    setSectionsWithErrors((previous) => (Boolean(previous[section]) === has ? previous : { ...previous, [section]: has }));
  }, []);
  const sectionProps = { item, saved, reload, reportProblems };

  /** A stale version: show the latest and say why nothing changed. */
  const conflict = async (set: (change: Change) => void) => {
    set({ problems: { fields: {}, general: [conflictMessage] }, done: null });
    try {
      show(await api.getCase(item.id));
      setTo('');
    } catch {
      // The message already asks them to check; a second failure adds nothing they can act on.
    }
  };

  const moveStage = async () => {
    clearDone();
    setAllocation({ problems: noProblems, done: null });
    const parsed = parseForm(stageChangeBody, { to, reason: reason.trim() === '' ? undefined : reason, version: item.version }, stageLabelsForForm, {
      to: 'Select the stage to move the case to',
    });
    if (!parsed.ok) {
      setStageChange({ problems: parsed.problems, done: null });
      return;
    }
    if (endsActiveWork(parsed.data.to) && !parsed.data.reason) {
      setStageChange({ problems: { fields: { reason: `Give the reason for moving the case to ${stageLabels[parsed.data.to].toLowerCase()}` }, general: [] }, done: null });
      return;
    }
    try {
      const updated = await api.changeStage(item.id, parsed.data);
      show(updated);
      setTo('');
      setReason('');
      setStageChange({ problems: noProblems, done: `Case moved to ${stageLabels[updated.stage].toLowerCase()}` });
    } catch (error) {
      if (isApiError(error) && error.status === 409) return conflict(setStageChange);
      setStageChange({ problems: problemsFromError(error, stageLabelsForForm), done: null });
    }
  };

  const allocate = async () => {
    clearDone();
    setStageChange({ problems: noProblems, done: null });
    if ((item.caseWorkerId ?? '') === caseWorkerId) {
      setAllocation({ problems: { fields: { caseWorkerId: 'Choose a different case worker to change the allocation' }, general: [] }, done: null });
      return;
    }
    try {
      const updated = await api.allocateCase(item.id, { caseWorkerId: caseWorkerId === '' ? null : caseWorkerId, version: item.version });
      show(updated);
      setAllocation({ problems: noProblems, done: updated.caseWorkerName ? `Case allocated to ${updated.caseWorkerName}` : 'Case is no longer allocated' });
    } catch (error) {
      if (isApiError(error) && error.status === 409) return conflict(setAllocation);
      setAllocation({ problems: problemsFromError(error, allocationLabels), done: null });
    }
  };

  const take = async () => {
    clearDone();
    setStageChange({ problems: noProblems, done: null });
    try {
      const updated = await api.takeCase(item.id, item.version);
      show(updated);
      setAllocation({ problems: noProblems, done: 'Case allocated to you' });
    } catch (error) {
      if (isApiError(error) && error.status === 409) {
        setAllocation({ problems: { fields: {}, general: [error.message.includes('case worker') ? error.message : conflictMessage] }, done: null });
        await reload();
        return;
      }
      setAllocation({ problems: problemsFromError(error, allocationLabels), done: null });
    }
  };

  const caseWorkers = staff.status === 'done' ? staff.data.filter((person) => person.active && (person.role === 'case_worker' || person.role === 'service_manager')) : [];
  // Someone allocated earlier may have left; keep them in the list so the select shows the truth.
  const currentMissing = item.caseWorkerId && !caseWorkers.some((person) => person.id === item.caseWorkerId);
  const done = stageChange.done ?? allocation.done ?? sectionDone?.message ?? null;
  const anySectionErrors = Object.values(sectionsWithErrors).some(Boolean);

  return (
    <Page
      title={item.familyLabel}
      caption={`Case ${item.reference}`}
      width="full"
      hasErrors={hasProblems(stageChange.problems) || hasProblems(allocation.problems) || anySectionErrors}
    >
      <div className="tandem-two-thirds">
        {item.safeguarding ? (
          <div className="tandem-safeguarding-notice">
            <SafeguardingTag />{' '}
            <a className="govuk-link" href="#safeguarding-heading" onClick={goToSafeguarding}>
              This family has an open safeguarding flag
            </a>
          </div>
        ) : null}
        {done ? <SuccessBanner key={sectionDone?.at ?? done} heading={done} /> : null}
        <dl className="govuk-summary-list">
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Stage</dt>
            <dd className="govuk-summary-list__value">
              <StageTag stage={item.stage} /> since {formatDayOf(item.stageChangedAt)}
            </dd>
          </div>
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Programme</dt>
            <dd className="govuk-summary-list__value">{item.programmeName ?? 'Not chosen'}</dd>
          </div>
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Case worker</dt>
            <dd className="govuk-summary-list__value">{item.caseWorkerName ?? 'Not allocated'}</dd>
          </div>
          {item.referralId && session.can('view:referrals') ? (
            <div className="govuk-summary-list__row">
              <dt className="govuk-summary-list__key">Referral</dt>
              <dd className="govuk-summary-list__value">
                <Link className="govuk-link" href={`/referrals/${item.referralId}`}>
                  Read the referral
                </Link>
              </dd>
            </div>
          ) : null}
        </dl>
      </div>

      <Members members={item.members} />

      <SafeguardingSection {...sectionProps} />

      <AssessmentSection {...sectionProps} />

      <FundApplicationsLink caseId={item.id} />

      <QuestionnairesSection {...sectionProps} />

      <CaseScoresSection item={item} />

      <div className="tandem-two-thirds">
        <h2 className="govuk-heading-m">Move the case on</h2>
        {item.allowedNextStages.length === 0 ? (
          <p className="govuk-body">This case is closed. A new referral opens a new case.</p>
        ) : mayUpdate ? (
          <>
            <ErrorSummary problems={stageChange.problems} fieldOrder={stageFields} />
            <Form onSubmit={moveStage}>
              <Radios
                id="stage-to"
                name="stage-to"
                legend="Move to"
                legendSize="s"
                options={item.allowedNextStages.map((stage: CaseStage) => ({
                  value: stage,
                  label: stageLabels[stage],
                  ...(endsActiveWork(stage) ? { hint: 'Needs a reason' } : {}),
                }))}
                value={to}
                onChange={setTo}
                error={stageChange.problems.fields.to}
              />
              <TextArea
                id="stage-reason"
                label={endsActiveWork(to) ? 'Reason' : 'Reason (optional)'}
                hint="Recorded in the case history. Required when a case is withdrawn or closed."
                rows={3}
                value={reason}
                onChange={setReason}
                error={stageChange.problems.fields.reason}
                maxLength={2000}
              />
              <Button>Move case</Button>
            </Form>
          </>
        ) : (
          <p className="govuk-body">Your role cannot move cases on.</p>
        )}
      </div>

      <NotesSection item={item} reload={reload} reportProblems={reportProblems} announce={announce} />

      <DocumentsSection item={item} reload={reload} reportProblems={reportProblems} announce={announce} />

      <History history={item.history} />

      <div className="tandem-two-thirds">
        <h2 className="govuk-heading-m">Allocation</h2>
        {mayAllocate ? (
          <>
            <ErrorSummary problems={allocation.problems} fieldOrder={allocationFields} />
            {staff.status === 'loading' ? <Loading what="staff" /> : null}
            {staff.status === 'failed' ? <LoadFailed message="The list of staff could not be loaded, so the allocation cannot be changed now." /> : null}
            {staff.status === 'done' ? (
              <Form onSubmit={allocate}>
                <SelectField
                  id="case-worker"
                  label="Case worker"
                  options={[
                    { value: '', label: 'Not allocated' },
                    ...(currentMissing ? [{ value: item.caseWorkerId ?? '', label: item.caseWorkerName ?? 'Current case worker' }] : []),
                    ...caseWorkers.map((person) => ({ value: person.id, label: person.name })),
                  ]}
                  value={caseWorkerId}
                  onChange={setCaseWorkerId}
                  error={allocation.problems.fields.caseWorkerId}
                />
                <Button variant="secondary">Save allocation</Button>
              </Form>
            ) : null}
          </>
        ) : item.caseWorkerId === session.user.id ? (
          <p className="govuk-body">This case is allocated to you. A service manager can reallocate it.</p>
        ) : item.caseWorkerId ? (
          <p className="govuk-body">This case is allocated to {item.caseWorkerName}.</p>
        ) : mayTake ? (
          <>
            <ErrorSummary problems={allocation.problems} fieldOrder={[]} />
            <Form onSubmit={take}>
              <p className="govuk-body">This case is not allocated yet. You can take it into your caseload.</p>
              <Button variant="secondary">Allocate to me</Button>
            </Form>
          </>
        ) : (
          <p className="govuk-body">This case is not allocated yet. A service manager allocates cases.</p>
        )}
        <p className="govuk-body">
          <Link className="govuk-link" href="/cases">
            Back to cases
          </Link>
        </p>
      </div>
    </Page>
  );
};

export const CasePage = ({ caseId }: { caseId: string }) => {
  const session = useSignedIn();
  const [loaded] = useLoad(() => api.getCase(caseId), [caseId, session.currentOrganisation?.id]);

  if (loaded.status === 'loading') {
    return (
      <Page title="Case" caption="Cases">
        <Loading what="the case" />
      </Page>
    );
  }
  if (loaded.status === 'failed') {
    const notFound = isApiError(loaded.error) && (loaded.error.status === 404 || loaded.error.status === 400);
    return (
      <Page title={notFound ? 'Case not found' : 'Case'} caption="Cases">
        {notFound ? (
          <p className="govuk-body">There is no such case that you can see in this organisation.</p>
        ) : (
          <LoadFailed message={isApiError(loaded.error) ? loaded.error.message : 'This case could not be loaded.'} />
        )}
        <p className="govuk-body">
          <Link className="govuk-link" href="/cases">
            Back to cases
          </Link>
        </p>
      </Page>
    );
  }
  return <CaseDetails initial={loaded.data} />;
};
