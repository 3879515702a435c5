import { useState } from 'react';
import { applicationStatusLabels, formatDay as longDay, formatPence, type ApplicationStatus } from '../../../shared/contracts/fund-applications.ts';
import { isApiError } from '../../api/client.ts';
import { LoadFailed, Loading, SuccessBanner, Tag } from '../../components/feedback.tsx';
import { Button, Checkboxes, DateInput, emptyDate, ErrorSummary, Form, Radios, SelectField, TextArea, TextField, type DateParts } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { formatWhen } from '../../lib/format.ts';
import { hasProblems, noProblems, problemsFromError, type FormProblems } from '../../lib/form-problems.ts';
import { useLoad } from '../../lib/use-load.ts';
import { Link } from '../../router.tsx';
import { useSignedIn } from '../../session.tsx';
import { fundApplicationsApi, poundsToPence, type CaseApplications, type FundApplication } from './fund-applications-api.ts';

const statusColour: Record<ApplicationStatus, 'grey' | 'blue' | 'green' | 'red' | 'yellow'> = {
  draft: 'grey',
  submitted: 'blue',
  approved: 'green',
  rejected: 'red',
  delivered: 'green',
  claimed: 'yellow',
  paid: 'green',
  withdrawn: 'grey',
};

/** What the button that makes each move says. */
const moveLabels: Record<ApplicationStatus, string> = {
  draft: 'Back to draft',
  submitted: 'Submit to the fund',
  approved: 'Record approval',
  rejected: 'Record rejection',
  delivered: 'Mark service delivered',
  claimed: 'Mark claimed',
  paid: 'Mark paid',
  withdrawn: 'Withdraw',
};

export const StatusTag = ({ status }: { status: ApplicationStatus }) => <Tag colour={statusColour[status]}>{applicationStatusLabels[status]}</Tag>;

const toIsoDay = (d: DateParts): string | null => {
  if (!/^\d{1,2}$/.test(d.day) || !/^\d{1,2}$/.test(d.month) || !/^\d{4}$/.test(d.year)) return null;
  const iso = `${d.year}-${d.month.padStart(2, '0')}-${d.day.padStart(2, '0')}`;
  return Number.isNaN(Date.parse(`${iso}T00:00:00Z`)) ? null : iso;
};

/** One application: what it asks for, its history, and the moves this person may make (with a note). */
const ApplicationCard = ({ application, onChanged }: { application: FundApplication; onChanged: (a: FundApplication, message: string) => void }) => {
  const [note, setNote] = useState('');
  const [reference, setReference] = useState(application.fundReference ?? '');
  const [problems, setProblems] = useState<FormProblems>(noProblems);
  const prefix = `app-${application.id.slice(0, 8)}`;
  const move = async (to: ApplicationStatus) => {
    try {
      const updated = await fundApplicationsApi.move(application.id, { to, note: note.trim() || null, fundReference: reference.trim() || null, version: application.version });
      setProblems(noProblems);
      setNote('');
      onChanged(updated, `${applicationStatusLabels[to]}: ${updated.children.map((c) => c.name).join(', ')}`);
    } catch (error) {
      if (!isApiError(error) || error.fields.length === 0) {
        setProblems(problemsFromError(error, { note: 'Note', fundReference: "Fund's reference" }));
        return;
      }
      // The server says why in words ("cannot submit: the assessment of … is not current: completed …").
      const verb = to === 'submitted' ? 'submit' : to === 'approved' ? 'approve' : `mark it ${applicationStatusLabels[to].toLowerCase()}`;
      const said = error.fields.map((f) => (f.path === 'body.to' ? f.message : `cannot ${verb}: ${f.message}`));
      setProblems({ fields: {}, general: said.map((m) => m.charAt(0).toUpperCase() + m.slice(1)) });
    }
  };
  const who = application.kind === 'family' ? `Family application: ${application.children.map((c) => c.name).join(', ')}` : `Child application: ${application.children[0]?.name ?? ''}`;
  return (
    <section className="govuk-summary-card" aria-labelledby={`${prefix}-title`}>
      <div className="govuk-summary-card__title-wrapper">
        <h3 className="govuk-summary-card__title" id={`${prefix}-title`}>
          {who}
        </h3>
        <StatusTag status={application.status} />
      </div>
      <div className="govuk-summary-card__content">
        <dl className="govuk-summary-list">
          {[
            ['Funder', application.funderName],
            ['Service', application.programmeName],
            ['Service starts', longDay(application.serviceFrom)],
            ['Amount', formatPence(application.amountPence)],
            ['Match funding', application.matchFundingPence > 0 ? `${formatPence(application.matchFundingPence)} from ${application.matchFunder ?? ''}` : 'None'],
            ['Asked of the fund', formatPence(application.fundPence)],
            ['Assessment', application.assessmentHeldOn ? `Held ${longDay(application.assessmentHeldOn)}` : 'None chosen'],
            ["Fund's reference", application.fundReference ?? 'Not yet'],
          ].map(([key, value]) => (
            <div className="govuk-summary-list__row" key={key}>
              <dt className="govuk-summary-list__key">{key}</dt>
              <dd className="govuk-summary-list__value">{value}</dd>
            </div>
          ))}
        </dl>
        <h4 className="govuk-heading-s">History</h4>
        <ul className="govuk-list govuk-body-s">
          {application.history.map((h) => (
            <li key={`${h.at}-${h.to}`}>
              {applicationStatusLabels[h.to]} <time dateTime={h.at}>{formatWhen(h.at)}</time>
              {h.byName ? ` by ${h.byName}` : ''}
              {h.note ? `: ${h.note}` : ''}
            </li>
          ))}
        </ul>
        {application.nextStatuses.length > 0 ? (
          <Form onSubmit={() => undefined}>
            <ErrorSummary problems={problems} fieldOrder={[{ name: 'note', id: `${prefix}-note` }]} />
            {application.nextStatuses.includes('approved') ? (
              <TextField id={`${prefix}-reference`} label="The fund's reference (optional)" value={reference} onChange={setReference} width="20" />
            ) : null}
            <TextArea id={`${prefix}-note`} label="Note (optional)" hint="The fund's decision or a reason. No clinical detail." value={note} onChange={setNote} rows={2} maxLength={1000} error={problems.fields.note} />
            <div className="govuk-button-group">
              {application.nextStatuses.map((to) => (
                <Button key={to} type="button" variant={to === 'withdrawn' || to === 'rejected' ? 'warning' : to === 'submitted' || to === 'approved' ? 'primary' : 'secondary'} onClick={() => void move(to)}>
                  {moveLabels[to]}
                </Button>
              ))}
            </div>
          </Form>
        ) : null}
      </div>
    </section>
  );
};

const fieldOrder = [
  { name: 'kind', id: 'kind' },
  { name: 'childIds', id: 'child-0' },
  { name: 'funderId', id: 'funder' },
  { name: 'programmeId', id: 'programme' },
  { name: 'assessmentId', id: 'assessment' },
  { name: 'serviceFrom', id: 'service-from-day' },
  { name: 'amountPence', id: 'amount' },
  { name: 'matchFundingPence', id: 'match' },
  { name: 'matchFunder', id: 'match-funder' },
];
const labels = {
  kind: 'Who the application is for',
  childIds: 'Children',
  funderId: 'Funder',
  programmeId: 'Service',
  assessmentId: 'Assessment',
  serviceFrom: 'Service start date',
  amountPence: 'Amount',
  matchFundingPence: 'Match funding',
  matchFunder: 'Match funder',
};

/** A new draft: in the name of one child or of the family, resting on one of the case's assessments. */
const NewApplication = ({ caseId, data, onCreated }: { caseId: string; data: CaseApplications; onCreated: (a: FundApplication) => void }) => {
  const [kind, setKind] = useState('child');
  const [children, setChildren] = useState<string[]>([]);
  const [funderId, setFunderId] = useState(data.funders[0]?.id ?? '');
  const [programmeId, setProgrammeId] = useState(data.programmes[0]?.id ?? '');
  const [assessmentId, setAssessmentId] = useState(data.assessments.find((a) => a.current)?.id ?? data.assessments[0]?.id ?? '');
  const [serviceFrom, setServiceFrom] = useState<DateParts>(emptyDate);
  const [amount, setAmount] = useState('');
  const [match, setMatch] = useState('0');
  const [matchFunder, setMatchFunder] = useState('');
  const [problems, setProblems] = useState<FormProblems>(noProblems);
  const funder = data.funders.find((f) => f.id === funderId);

  const submit = async () => {
    const found: FormProblems = { fields: {}, general: [] };
    const amountPence = poundsToPence(amount);
    const matchPence = poundsToPence(match || '0');
    const day = toIsoDay(serviceFrom);
    if (children.length === 0) found.fields.childIds = 'Select the child the application is in the name of';
    if (kind === 'child' && children.length > 1) found.fields.childIds = 'A child application is in the name of one child: choose one, or make a family application';
    if (!funderId) found.fields.funderId = 'Select the funder';
    if (!day) found.fields.serviceFrom = 'Service start date must be a real date';
    if (amountPence === null) found.fields.amountPence = 'Amount must be an amount of money, like 2500 or 2,500.00';
    if (matchPence === null) found.fields.matchFundingPence = 'Match funding must be an amount of money, or 0';
    if (hasProblems(found)) {
      setProblems(found);
      return;
    }
    try {
      const created = await fundApplicationsApi.create(caseId, {
        kind: kind as 'child' | 'family',
        childIds: children,
        funderId,
        programmeId,
        assessmentId: assessmentId || null,
        serviceFrom: day ?? '',
        amountPence: amountPence ?? 0,
        matchFundingPence: matchPence ?? 0,
        matchFunder: matchFunder.trim() || null,
        fundReference: null,
      });
      setProblems(noProblems);
      setAmount('');
      setChildren([]);
      onCreated(created);
    } catch (error) {
      setProblems(problemsFromError(error, labels));
    }
  };

  if (data.funders.length === 0) return <p className="govuk-body">No funder has been set up yet. A service manager adds funders under Funding.</p>;
  if (data.children.length === 0) return <p className="govuk-body">This family has no children recorded, so no application can be made in a child’s name.</p>;
  return (
    <Form onSubmit={submit}>
      <ErrorSummary problems={problems} fieldOrder={fieldOrder} />
      <Radios
        id="kind"
        name="kind"
        legend={labels.kind}
        legendSize="s"
        inline
        options={[
          { value: 'child', label: 'One child' },
          { value: 'family', label: 'The family' },
        ]}
        value={kind}
        onChange={setKind}
        error={problems.fields.kind}
      />
      <Checkboxes
        id="child"
        legend={kind === 'child' ? 'The child it is in the name of' : 'The children it covers'}
        legendSize="s"
        error={problems.fields.childIds}
        items={data.children.map((c, i) => ({
          id: `child-${i}`,
          label: c.name,
          checked: children.includes(c.personId),
          onChange: (checked: boolean) => setChildren((now) => (checked ? [...now, c.personId] : now.filter((x) => x !== c.personId))),
        }))}
      />
      <SelectField
        id="funder"
        label={labels.funderId}
        options={data.funders.map((f) => ({ value: f.id, label: f.name }))}
        value={funderId}
        onChange={setFunderId}
        hint={funder?.annualLimitPence != null ? `Annual limit per child: ${formatPence(funder.annualLimitPence)}. Above it, name who match-funds the rest.` : 'This funder has no annual limit set.'}
        error={problems.fields.funderId}
      />
      <SelectField id="programme" label={labels.programmeId} options={data.programmes.map((p) => ({ value: p.id, label: p.name }))} value={programmeId} onChange={setProgrammeId} error={problems.fields.programmeId} />
      <SelectField
        id="assessment"
        label={labels.assessmentId}
        hint="The application is checked against it when it is submitted: it must be completed, suitable, the latest, and recent enough for the funder."
        options={[
          { value: '', label: 'None yet' },
          ...data.assessments.map((a) => ({ value: a.id, label: `Held ${longDay(a.heldOn)}${a.current ? ' (current)' : ' (not current)'}` })),
        ]}
        value={assessmentId}
        onChange={setAssessmentId}
        error={problems.fields.assessmentId}
      />
      <DateInput id="service-from" legend={labels.serviceFrom} hint="It decides the funding year the amount counts in. For example, 12 1 2027" value={serviceFrom} onChange={setServiceFrom} error={problems.fields.serviceFrom} />
      <TextField id="amount" label="Amount (£)" hint="The whole cost of the service for this application" value={amount} onChange={setAmount} width="10" inputMode="decimal" error={problems.fields.amountPence} />
      <TextField id="match" label="Match funding (£)" hint="The part someone else pays; needed above the annual limit" value={match} onChange={setMatch} width="10" inputMode="decimal" error={problems.fields.matchFundingPence} />
      <TextField id="match-funder" label="Match funder (if any)" value={matchFunder} onChange={setMatchFunder} width="30" error={problems.fields.matchFunder} />
      <Button>Save as draft</Button>
    </Form>
  );
};

/** A case's fund applications: case workers prepare and submit them; service managers record the fund's decision and what follows. */
export const CaseApplicationsPage = ({ caseId }: { caseId: string }) => {
  const session = useSignedIn();
  const [loaded, reload] = useLoad(() => fundApplicationsApi.ofCase(caseId), [caseId, session.currentOrganisation?.id]);
  const [banner, setBanner] = useState<string | null>(null);
  const title = 'Fund applications';
  if (loaded.status === 'loading') return <Page title={title}><Loading what="fund applications" /></Page>;
  if (loaded.status === 'failed') return <Page title={title}><LoadFailed message={isApiError(loaded.error) ? loaded.error.message : 'The fund applications could not be loaded.'} /></Page>;
  const data = loaded.data;
  const first = data.applications[0];
  return (
    <Page title={title} caption={first ? `${first.caseReference}, ${first.familyLabel}` : undefined} width="full">
      {banner ? <SuccessBanner heading={banner} /> : null}
      <p className="govuk-body">
        <Link className="govuk-link" href={`/cases/${caseId}`}>
          Back to the case
        </Link>
      </p>
      <p className="govuk-body tandem-two-thirds">
        Each application is made in the name of a child, or of the family, and rests on the family’s assessment. A family placed on a place that a fund
        pays for per participant starts only once its own application is approved.
      </p>
      <h2 className="govuk-heading-m">Applications</h2>
      {data.applications.length === 0 ? <p className="govuk-body">No application has been made for this family yet.</p> : null}
      {data.applications.map((a) => (
        <ApplicationCard
          key={`${a.id}-${a.version}`}
          application={a}
          onChanged={(_updated, message) => {
            setBanner(message);
            reload();
          }}
        />
      ))}
      <div className="tandem-two-thirds">
        <h2 className="govuk-heading-m">New application</h2>
        <NewApplication
          caseId={caseId}
          data={data}
          onCreated={(created) => {
            setBanner(`Draft saved: ${created.children.map((c) => c.name).join(', ')}`);
            reload();
          }}
        />
      </div>
    </Page>
  );
};
