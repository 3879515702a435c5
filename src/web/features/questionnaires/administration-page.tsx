import { useState } from 'react';
import type { AdministrationDetail, Answers } from '../../../shared/contracts/questionnaires.ts';
import { isApiError } from '../../api/client.ts';
import { LoadFailed, Loading, SuccessBanner } from '../../components/feedback.tsx';
import { Button, DateInput, ErrorSummary, Form, Radios, TextArea, type DateParts } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { formatDay } from '../../lib/format.ts';
import { hasProblems, noProblems, problemsFromError, withLabel, type FormProblems } from '../../lib/form-problems.ts';
import { useLoad } from '../../lib/use-load.ts';
import { Link } from '../../router.tsx';
import { useSignedIn } from '../../session.tsx';
import { readDate } from '../referrals/referral-values.ts';
import { questionnaireApi } from './questionnaires-api.ts';
import { scoreText, timepointLabels } from './questionnaires-section.tsx';

/*
 * One questionnaire of a case (issue 4): what it scored, every correction made to it (what it said before, why, who),
 * and, for a paper form keyed by staff, the form to correct it — keyed as it was keyed, rescored on saving.
 */

const partsOf = (iso: string): DateParts => {
  const [year = '', month = '', day = ''] = iso.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year };
};

const labels = { completedOn: 'Date the form was completed', reason: 'Why it is corrected', responses: 'Answers' };

const History = ({ detail }: { detail: AdministrationDetail }) =>
  detail.revisions.length === 0 ? (
    <p className="govuk-body">This form has not been corrected.</p>
  ) : (
    <div className="tandem-table-scroll" tabIndex={0} role="region" aria-label="Corrections">
      <table className="govuk-table" id="corrections">
        <caption className="govuk-table__caption govuk-table__caption--s">What the form said before each correction</caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header">Corrected</th>
            <th scope="col" className="govuk-table__header">Why</th>
            <th scope="col" className="govuk-table__header">Changed</th>
            <th scope="col" className="govuk-table__header">Scores before</th>
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {detail.revisions.map((r) => (
            <tr className="govuk-table__row" key={r.version}>
              <td className="govuk-table__cell">
                {formatDay(r.replacedAt.slice(0, 10))}
                <br />
                <span className="tandem-secondary-text">by {r.replacedByName ?? 'someone no longer here'}</span>
              </td>
              <td className="govuk-table__cell">{r.reason}</td>
              <td className="govuk-table__cell">
                {[
                  ...(r.itemsChanged.length > 0 ? [`${r.itemsChanged.length === 1 ? 'Item' : 'Items'} ${r.itemsChanged.join(', ')}`] : []),
                  ...(r.dateChanged ? [`date (was ${formatDay(r.completedOn)})`] : []),
                ].join('; ') || 'Nothing'}
              </td>
              <td className="govuk-table__cell">
                {r.status === 'not_scorable' ? <p className="govuk-body-s">Not scorable</p> : null}
                <ul className="govuk-list govuk-body-s">
                  {scoreText({ scores: r.scores, bands: r.bands }).map((line) => (
                    <li key={line}>{line}</li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );

/** `corrected` reloads the page with a success message, or with a conflict to report (someone else corrected it first). */
const Correct = ({ caseId, detail, corrected }: { caseId: string; detail: AdministrationDetail; corrected: (outcome: { done: string } | { conflict: string }) => void }) => {
  const { form, administration } = detail;
  const [answers, setAnswers] = useState<Answers>(detail.responses);
  const [completedOn, setCompletedOn] = useState<DateParts>(partsOf(administration.completedOn));
  const [reason, setReason] = useState('');
  const [problems, setProblems] = useState<FormProblems>(noProblems);

  const order = [{ name: 'completedOn', id: 'correct-completed-on-day' }, ...form.items.map((i) => ({ name: `item-${i.key}`, id: `correct-item-${i.key}` })), { name: 'reason', id: 'correct-reason' }];
  const save = async () => {
    const found: FormProblems = { fields: {}, general: [] };
    const date = readDate(completedOn);
    if (date.problem) found.fields.completedOn = date.problem === 'blank' ? 'Enter the date the form was completed' : withLabel(labels.completedOn, date.problem);
    if (!reason.trim()) found.fields.reason = 'Say why the form is corrected';
    if (hasProblems(found)) return setProblems(found);
    try {
      const saved = await questionnaireApi.correct(caseId, administration.id, { completedOn: date.iso ?? '', responses: answers, reason, version: administration.version });
      setProblems(noProblems);
      setReason('');
      corrected({ done: saved.alerts.length > administration.alerts.length ? `${saved.instrumentTitle} corrected and rescored. It raised an alert: see Safeguarding` : `${saved.instrumentTitle} corrected and rescored` });
    } catch (error) {
      if (isApiError(error) && error.status === 409) {
        corrected({ conflict: 'Someone else corrected this form while you had the page open. The page now shows their answers: check them and correct again if needed.' });
        return;
      }
      const shown = problemsFromError(error, labels);
      if (isApiError(error)) {
        for (const f of error.fields) {
          const [, part, key] = f.path.split('.');
          if (part === 'responses' && key) {
            shown.fields[`item-${key}`] = `Item ${key}: ${f.message}`;
            delete shown.fields.responses;
          }
        }
        if (Object.keys(shown.fields).length > 0) shown.general = shown.general.filter((m) => !m.startsWith('Nothing was saved'));
      }
      setProblems(shown);
    }
  };

  return (
    <section aria-labelledby="correct-heading">
      <h2 className="govuk-heading-m" id="correct-heading">
        Correct the form
      </h2>
      <p className="govuk-body">Change the answers that were keyed wrongly. What the form says now is kept with your reason, and it is scored again.</p>
      <ErrorSummary problems={problems} fieldOrder={order} />
      <Form onSubmit={save}>
        <DateInput id="correct-completed-on" legend={labels.completedOn} value={completedOn} onChange={setCompletedOn} error={problems.fields.completedOn} />
        <fieldset className="govuk-fieldset">
          <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">{labels.responses}</legend>
          {!form.wordingShown ? <p className="govuk-hint">Items by number, as printed on the paper form (the wording cannot be shown under its licence).</p> : null}
          {form.items.map((item) => (
            <Radios
              key={item.key}
              id={`correct-item-${item.key}`}
              name={`correct-item-${item.key}`}
              legend={item.text ? `${item.key}. ${item.text}` : `Item ${item.key}`}
              legendSize="s"
              inline
              options={[...item.options.map((o) => ({ value: String(o.value), label: o.label })), { value: '', label: 'Not answered' }]}
              value={typeof answers[item.key] === 'number' ? String(answers[item.key]) : ''}
              onChange={(value) => setAnswers((a) => ({ ...a, [item.key]: value === '' ? null : Number(value) }))}
              error={problems.fields[`item-${item.key}`]}
            />
          ))}
        </fieldset>
        <TextArea id="correct-reason" label={labels.reason} hint="For example, items 1 and 6 were keyed in the wrong column" rows={3} maxLength={1000} value={reason} onChange={setReason} error={problems.fields.reason} />
        <Button>Save the correction</Button>
      </Form>
    </section>
  );
};

/** `/cases/:caseId/questionnaires/:administrationId` */
export const AdministrationPage = ({ caseId, administrationId }: { caseId: string; administrationId: string }) => {
  const session = useSignedIn();
  const [detail, reload] = useLoad(() => questionnaireApi.administration(caseId, administrationId), [caseId, administrationId]);
  const [outcome, setOutcome] = useState<{ done: string } | { conflict: FormProblems } | null>(null);
  if (detail.status === 'loading') return <Loading what="the questionnaire" />;
  if (detail.status === 'failed') return <LoadFailed message={isApiError(detail.error) ? detail.error.message : 'The questionnaire could not be loaded.'} />;
  const { administration: a } = detail.data;
  const correctable = a.source === 'paper' && session.can('update:case');
  return (
    <Page
      title={`${a.instrumentTitle} (${a.timepoint === 'followup' ? 'follow-up' : a.timepoint})`}
      caption={`${a.personName ?? 'Unknown'}${a.subjectName ? ` about ${a.subjectName}` : ''}`}
      hasErrors={outcome !== null && 'conflict' in outcome}
    >
      {outcome && 'done' in outcome ? <SuccessBanner heading={outcome.done} /> : null}
      {outcome && 'conflict' in outcome ? <ErrorSummary problems={outcome.conflict} fieldOrder={[]} /> : null}
      <dl className="govuk-summary-list">
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">When</dt>
          <dd className="govuk-summary-list__value">{`${timepointLabels[a.timepoint]}, completed ${formatDay(a.completedOn)}`}</dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">How</dt>
          <dd className="govuk-summary-list__value">{a.source === 'paper' ? 'Paper form keyed by staff' : a.source === 'link' ? "Answered by the parent through a link" : 'Imported'}</dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Scores</dt>
          <dd className="govuk-summary-list__value" id="current-scores">
            {a.status === 'not_scorable' ? <p className="govuk-body">Not scorable: too many answers missing</p> : null}
            <ul className="govuk-list">
              {scoreText(a).map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          </dd>
        </div>
      </dl>
      <h2 className="govuk-heading-m">Corrections</h2>
      <History detail={detail.data} />
      {correctable ? (
        <Correct
          caseId={caseId}
          detail={detail.data}
          corrected={(next) => {
            // Kept as one object: the error summary takes focus whenever its problems change.
            setOutcome('done' in next ? next : { conflict: { fields: {}, general: [next.conflict] } });
            reload();
          }}
        />
      ) : a.source !== 'paper' ? (
        <p className="govuk-body">Only paper forms keyed by staff are corrected here: a parent's own answers stay as sent, and imported forms are corrected by importing again.</p>
      ) : null}
      <p className="govuk-body">
        <Link className="govuk-link" href={`/cases/${caseId}`}>
          Back to the case
        </Link>
      </p>
    </Page>
  );
};
