import { useState } from 'react';
import { uuid } from '../../../shared/contracts/common.ts';
import { erasureBody, retentionRecordTypes } from '../../../shared/contracts/records.ts';
import { isApiError } from '../../api/client.ts';
import {
  api,
  subjectAccessHref,
  type ErasureResult,
  type RetentionPolicy,
  type RetentionRecordType,
  type RetentionRunResult,
  type SubjectAccessSummary,
} from '../../api/endpoints.ts';
import { LoadFailed, Loading, SuccessBanner } from '../../components/feedback.tsx';
import { Button, Checkboxes, ErrorSummary, Form, TextArea, TextField } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { formatWhen } from '../../lib/format.ts';
import { hasProblems, noProblems, parseForm, problemsFromError, type FormProblems } from '../../lib/form-problems.ts';
import { useLoad } from '../../lib/use-load.ts';
import { useSignedIn } from '../../session.tsx';

const recordTypeLabels: Record<RetentionRecordType, string> = {
  closed_case: 'Closed cases',
  declined_referral: 'Declined referrals',
  case_note: 'Case notes',
  case_document: 'Case documents',
  administration: 'Questionnaire answers',
};

/** The record types a retention run acts on today; the others are the organisation's recorded policy. */
const appliedByRun: readonly RetentionRecordType[] = ['case_note', 'case_document'];

const retentionFieldId = (recordType: RetentionRecordType): string => `retention-${recordType}`;

type Reporter = { setDone: (message: string | null) => void; setErrors: (section: string, has: boolean) => void };

// ---------------------------------------------------------------------------------------------------------------
// Retention

const RetentionForm = ({ initial, setDone, setErrors }: { initial: RetentionPolicy[] } & Reporter) => {
  const [saved, setSaved] = useState(initial);
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(retentionRecordTypes.map((type) => [type, String(initial.find((p) => p.recordType === type)?.keepMonths ?? '')])),
  );
  const [problems, setProblemsState] = useState<FormProblems>(noProblems);
  const [run, setRun] = useState<RetentionRunResult[] | null>(null);
  const [runProblems, setRunProblemsState] = useState<FormProblems>(noProblems);
  const setProblems = (next: FormProblems) => {
    setProblemsState(next);
    setErrors('retention', hasProblems(next));
  };
  const setRunProblems = (next: FormProblems) => {
    setRunProblemsState(next);
    setErrors('retention-run', hasProblems(next));
  };

  const save = async () => {
    setDone(null);
    const fields: Record<string, string> = {};
    const policies: RetentionPolicy[] = [];
    for (const recordType of retentionRecordTypes) {
      const text = (values[recordType] ?? '').trim();
      const label = recordTypeLabels[recordType];
      if (text === '') {
        if (saved.some((p) => p.recordType === recordType)) fields[recordType] = `Enter how many months to keep ${label.toLowerCase()}: a setting cannot be removed`;
        continue;
      }
      const months = Number(text);
      if (!/^\d+$/.test(text) || !Number.isInteger(months)) fields[recordType] = `${label} must be a whole number of months`;
      else if (months < 1 || months > 1200) fields[recordType] = `${label} must be between 1 and 1200 months`;
      else policies.push({ recordType, keepMonths: months });
    }
    if (Object.keys(fields).length > 0) return setProblems({ fields, general: [] });
    try {
      const updated = await api.setRetention(policies);
      setSaved(updated);
      setProblems(noProblems);
      setDone('Retention settings saved');
    } catch (error) {
      setProblems(problemsFromError(error, {}));
    }
  };

  const runNow = async () => {
    setDone(null);
    try {
      setRun(await api.runRetention());
      setRunProblems(noProblems);
      setDone('Retention settings applied');
    } catch (error) {
      setRunProblems(problemsFromError(error, {}));
    }
  };

  return (
    <>
      <ErrorSummary problems={problems} fieldOrder={retentionRecordTypes.map((type) => ({ name: type, id: retentionFieldId(type) }))} />
      <Form onSubmit={save}>
        {retentionRecordTypes.map((recordType) => (
          <TextField
            key={recordType}
            id={retentionFieldId(recordType)}
            label={`${recordTypeLabels[recordType]}: months to keep`}
            hint={
              appliedByRun.includes(recordType)
                ? 'Counted from the day the case closed. Leave empty to keep them with no limit.'
                : 'Recorded as your policy; a retention run does not act on these records yet. Leave empty for no limit.'
            }
            width="4"
            inputMode="numeric"
            value={values[recordType] ?? ''}
            onChange={(value) => setValues((previous) => ({ ...previous, [recordType]: value }))}
            error={problems.fields[recordType]}
          />
        ))}
        <Button>Save retention settings</Button>
      </Form>

      <h3 className="govuk-heading-s">Apply the settings now</h3>
      <p className="govuk-body">
        Erases the case notes and documents of cases closed longer ago than the settings allow. Families with a safeguarding flag or an adoption
        record are kept. Each erasure is logged with the reason, never the content.
      </p>
      <ErrorSummary problems={runProblems} fieldOrder={[]} />
      <Form onSubmit={runNow}>
        <Button variant="warning">Run retention now</Button>
      </Form>
      {run ? (
        <div className="tandem-table-scroll" role="region" aria-label="Retention run" tabIndex={0}>
          <table className="govuk-table">
            <caption className="govuk-table__caption govuk-table__caption--s">What the run did</caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                <th scope="col" className="govuk-table__header">
                  Records
                </th>
                <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                  Erased
                </th>
                <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                  Kept under a legal hold
                </th>
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {run.length === 0 ? (
                <tr className="govuk-table__row">
                  <td className="govuk-table__cell" colSpan={3}>
                    Nothing to do: no setting for case notes or documents.
                  </td>
                </tr>
              ) : (
                run.map((result) => (
                  <tr className="govuk-table__row" key={result.recordType}>
                    <th scope="row" className="govuk-table__header">
                      {recordTypeLabels[result.recordType as RetentionRecordType] ?? result.recordType}
                    </th>
                    <td className="govuk-table__cell govuk-table__cell--numeric">{result.count}</td>
                    <td className="govuk-table__cell govuk-table__cell--numeric">{result.kept}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
};

const Retention = (reporter: Reporter) => {
  const session = useSignedIn();
  const [policies] = useLoad(() => api.retention(), [session.currentOrganisation?.id]);
  return (
    <section className="tandem-two-thirds" aria-labelledby="retention-heading">
      <h2 className="govuk-heading-m" id="retention-heading">
        Retention
      </h2>
      {policies.status === 'loading' ? <Loading what="retention settings" /> : null}
      {policies.status === 'failed' ? (
        <LoadFailed message={isApiError(policies.error) ? policies.error.message : 'The retention settings could not be loaded.'} />
      ) : null}
      {policies.status === 'done' ? <RetentionForm initial={policies.data} {...reporter} /> : null}
    </section>
  );
};

// ---------------------------------------------------------------------------------------------------------------
// One person: subject access and erasure

const count = (items: unknown[], one: string, many: string): string => `${items.length} ${items.length === 1 ? one : many}`;

const personName = (bundle: SubjectAccessSummary): string =>
  [bundle.person.givenName, bundle.person.familyName].filter(Boolean).join(' ') || 'Name erased';

const Erasure = ({ personId, name, setDone, setErrors }: { personId: string; name: string } & Reporter) => {
  const [reason, setReason] = useState('');
  const [confirmed, setConfirmed] = useState(false);
  const [problems, setProblemsState] = useState<FormProblems>(noProblems);
  const [result, setResult] = useState<ErasureResult | null>(null);
  const setProblems = (next: FormProblems) => {
    setProblemsState(next);
    setErrors('erasure', hasProblems(next));
  };
  const labels = { reason: 'Reason for erasure' };

  const erase = async () => {
    setDone(null);
    const parsed = parseForm(erasureBody, { reason }, labels, { reason: 'Enter why the person’s details are erased' });
    const fields = parsed.ok ? {} : { ...parsed.problems.fields };
    if (!confirmed) fields.confirm = `Confirm that ${name}’s details are to be erased`;
    if (!parsed.ok || Object.keys(fields).length > 0) return setProblems({ fields, general: [] });
    try {
      const erased = await api.erasePerson(personId, parsed.data.reason);
      setResult(erased);
      setProblems(noProblems);
      setDone(erased.erased ? `${name}’s details were erased` : `${name}’s records are kept under a legal hold`);
    } catch (error) {
      setProblems(problemsFromError(error, labels));
    }
  };

  if (result) {
    return (
      <>
        <h3 className="govuk-heading-s">Erasure</h3>
        {result.keptBecause.length > 0 ? (
          <>
            <p className="govuk-body">Some records are kept because:</p>
            <ul className="govuk-list govuk-list--bullet">
              {result.keptBecause.map((why) => (
                <li key={why}>{why}</li>
              ))}
            </ul>
          </>
        ) : null}
        {result.records.length > 0 ? (
          <div className="tandem-table-scroll" role="region" aria-label="Erased records" tabIndex={0}>
            <table className="govuk-table">
              <caption className="govuk-table__caption govuk-table__caption--s">What was erased</caption>
              <thead className="govuk-table__head">
                <tr className="govuk-table__row">
                  <th scope="col" className="govuk-table__header">
                    Record
                  </th>
                  <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                    Number
                  </th>
                </tr>
              </thead>
              <tbody className="govuk-table__body">
                {result.records.map((record) => (
                  <tr className="govuk-table__row" key={record.recordType}>
                    <th scope="row" className="govuk-table__header">
                      {record.recordType.replaceAll('_', ' ')}
                    </th>
                    <td className="govuk-table__cell govuk-table__cell--numeric">{record.count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="govuk-body">Nothing was erased.</p>
        )}
      </>
    );
  }

  return (
    <>
      <h3 className="govuk-heading-s">Erase this person’s details</h3>
      <p className="govuk-body">
        Erases {name}’s identifying details, their own disclosures and the notes of their risk assessments, unless a legal hold applies: a
        safeguarding flag on any of their families, or an adoption record. What was erased and why is logged; the content is not.
      </p>
      <ErrorSummary
        problems={problems}
        fieldOrder={[
          { name: 'reason', id: 'erasure-reason' },
          { name: 'confirm', id: 'erasure-confirm' },
        ]}
      />
      <Form onSubmit={erase}>
        <TextArea id="erasure-reason" label="Reason for erasure" hint="For example, the person’s request and its date." rows={3} value={reason} onChange={setReason} error={problems.fields.reason} maxLength={2000} />
        <Checkboxes
          id="erasure-confirm"
          small
          error={problems.fields.confirm}
          items={[{ id: 'erasure-confirm', label: `I confirm that ${name}’s details are to be erased. This cannot be undone.`, checked: confirmed, onChange: setConfirmed }]}
        />
        <Button variant="warning">Erase details</Button>
      </Form>
    </>
  );
};

const PersonRecords = ({ personId, bundle, ...reporter }: { personId: string; bundle: SubjectAccessSummary } & Reporter) => {
  const name = personName(bundle);
  return (
    <>
      <h3 className="govuk-heading-s">What Tandem holds about {name}</h3>
      <dl className="govuk-summary-list">
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Families</dt>
          <dd className="govuk-summary-list__value">{bundle.families.map((family) => family.label).join(', ') || 'None'}</dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Cases</dt>
          <dd className="govuk-summary-list__value">{bundle.cases.map((c) => c.reference).join(', ') || 'None'}</dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Records</dt>
          <dd className="govuk-summary-list__value">
            <ul className="govuk-list">
              <li>{count(bundle.referrals, 'referral', 'referrals')}</li>
              <li>{count(bundle.riskAssessments, 'risk assessment', 'risk assessments')}</li>
              <li>{count(bundle.ownDisclosures, 'disclosure of their own', 'disclosures of their own')}</li>
              <li>{count(bundle.caseNotes, 'case note', 'case notes')}</li>
              <li>{count(bundle.documents, 'document', 'documents')}</li>
              <li>{count(bundle.questionnaires, 'questionnaire', 'questionnaires')}</li>
            </ul>
          </dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Left out of the export</dt>
          <dd className="govuk-summary-list__value">
            <ul className="govuk-list">
              {bundle.withheld.map((item) => (
                <li key={item}>{item}</li>
              ))}
            </ul>
          </dd>
        </div>
      </dl>
      <p className="govuk-body">
        <a className="govuk-link" href={subjectAccessHref(personId, 'html')} download>
          Download the subject access export for {name} (a page to save or print)
        </a>
      </p>
      <p className="govuk-body">
        <a className="govuk-link" href={subjectAccessHref(personId, 'json')} download>
          Download it as JSON<span className="govuk-visually-hidden"> for {name}</span>
        </a>
      </p>
      <Erasure key={personId} personId={personId} name={name} {...reporter} />
    </>
  );
};

const Person = (reporter: Reporter) => {
  const [personId, setPersonId] = useState('');
  const [problems, setProblemsState] = useState<FormProblems>(noProblems);
  const [found, setFound] = useState<{ personId: string; bundle: SubjectAccessSummary } | null>(null);
  const setProblems = (next: FormProblems) => {
    setProblemsState(next);
    reporter.setErrors('person', hasProblems(next));
  };

  const find = async () => {
    reporter.setDone(null);
    setFound(null);
    const id = personId.trim();
    if (id === '') return setProblems({ fields: { personId: 'Enter the person ID' }, general: [] });
    if (!uuid.safeParse(id).success) {
      return setProblems({ fields: { personId: 'Person ID must be the ID shown on the case page, for example 0b6f5c1e-2f0a-4d4e-9a51-3c2a7e8b9d10' }, general: [] });
    }
    try {
      const bundle = await api.subjectAccess(id);
      setProblems(noProblems);
      setFound({ personId: id, bundle });
    } catch (error) {
      if (isApiError(error) && error.status === 404) return setProblems({ fields: { personId: 'There is no person with this ID in this organisation' }, general: [] });
      setProblems(problemsFromError(error, { personId: 'Person ID' }));
    }
  };

  return (
    <section className="tandem-two-thirds" aria-labelledby="person-heading">
      <h2 className="govuk-heading-m" id="person-heading">
        Subject access and erasure
      </h2>
      <p className="govuk-body">
        Requests are made about one person. Ask the case worker or service manager for the person’s ID: it is on the family’s case page, under
        the person’s name (“Person ID”).
      </p>
      <ErrorSummary problems={problems} fieldOrder={[{ name: 'personId', id: 'person-id' }]} />
      <Form onSubmit={find}>
        <TextField
          id="person-id"
          label="Person ID"
          hint="36 characters, for example 0b6f5c1e-2f0a-4d4e-9a51-3c2a7e8b9d10"
          autoComplete="off"
          spellCheck={false}
          value={personId}
          onChange={setPersonId}
          error={problems.fields.personId}
          width="30"
        />
        <Button variant="secondary">Find their records</Button>
      </Form>
      {found ? (
        <>
          <p className="govuk-body-s tandem-secondary-text">
            Looked up <time dateTime={found.bundle.generatedAt}>{formatWhen(found.bundle.generatedAt)}</time>. The look-up is recorded in the audit
            trail as a subject access export.
          </p>
          <PersonRecords key={found.personId} personId={found.personId} bundle={found.bundle} {...reporter} />
        </>
      ) : null}
    </section>
  );
};

/** Data protection for the organisation admin: retention, and subject access and erasure for one person. */
export const PrivacyPage = () => {
  const [done, setDone] = useState<{ message: string; at: number } | null>(null);
  const [errors, setErrorsState] = useState<Record<string, boolean>>({});
  const reporter: Reporter = {
    setDone: (message) => setDone(message ? { message, at: Date.now() } : null),
    setErrors: (section, has) => setErrorsState((previous) => (Boolean(previous[section]) === has ? previous : { ...previous, [section]: has })),
  };
  return (
    <Page title="Data protection" width="full" hasErrors={Object.values(errors).some(Boolean)}>
      <div className="tandem-two-thirds">
        {done ? <SuccessBanner key={done.at} heading={done.message} /> : null}
        <p className="govuk-body">
          How long records are kept, and requests from the people Tandem holds records about. Case files themselves stay with the people who do
          the casework.
        </p>
      </div>
      <Retention {...reporter} />
      <Person {...reporter} />
    </Page>
  );
};
