import { useEffect, useState } from 'react';
import type { ProgrammeSchedule, QuestionnaireForm, Timepoint } from '../../../shared/contracts/questionnaires.ts';
import { isApiError } from '../../api/client.ts';
import { api } from '../../api/endpoints.ts';
import { LoadFailed, Loading, SuccessBanner } from '../../components/feedback.tsx';
import { Button, ErrorSummary, Form, SelectField } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { hasProblems, noProblems, type FormProblems } from '../../lib/form-problems.ts';
import { useLoad } from '../../lib/use-load.ts';
import { useSignedIn } from '../../session.tsx';
import { questionnaireApi } from './questionnaires-api.ts';
import { timepointLabels } from './questionnaires-section.tsx';

/*
 * A programme's measurement schedule (issue 4 item 5): which questionnaires each parent gives, about each child where
 * the questionnaire is about a child, at which timepoints, and how many days either side of the timepoint's date count.
 * Saving stores the programme's own schedule in place of Tandem's built-in one.
 */

const timepoints: Timepoint[] = ['pre', 'post', 'followup'];
const anchorHints: Record<Timepoint, string> = {
  pre: 'Around the assessment',
  post: 'Around the last session (or the day the case completed)',
  followup: 'Around six months after the programme ends',
};

type Row = { included: boolean; ageMin: string; ageMax: string; windows: Record<Timepoint, { on: boolean; days: string }> };
type Rows = Record<string, Row>;

const emptyRow = (): Row => ({ included: false, ageMin: '', ageMax: '', windows: { pre: { on: false, days: '14' }, post: { on: false, days: '14' }, followup: { on: false, days: '30' } } });

const rowsOf = (schedule: ProgrammeSchedule, forms: QuestionnaireForm[]): Rows => {
  const rows: Rows = Object.fromEntries(forms.map((f) => [f.instrumentId, emptyRow()]));
  for (const entry of schedule.entries) {
    const row = rows[entry.instrumentId];
    if (!row) continue;
    row.included = true;
    row.ageMin = entry.childAge ? String(entry.childAge.min) : '';
    row.ageMax = entry.childAge ? String(entry.childAge.max) : '';
    for (const t of entry.timepoints) row.windows[t.timepoint] = { on: true, days: String(t.windowDays) };
  }
  return rows;
};

const wholeNumber = (text: string): number | null => (/^\d{1,3}$/.test(text.trim()) ? Number(text.trim()) : null);

/** The schedule to send, or the problems found (named by field) before sending. */
const entriesOf = (rows: Rows, forms: QuestionnaireForm[]) => {
  const fields: Record<string, string> = {};
  const entries = [];
  for (const form of forms) {
    const row = rows[form.instrumentId];
    if (!row?.included) continue;
    const chosen = timepoints.filter((t) => row.windows[t].on);
    if (chosen.length === 0) fields[`${form.instrumentId}-timepoints`] = `${form.title}: choose at least one timepoint`;
    for (const t of chosen) {
      const days = wholeNumber(row.windows[t].days);
      if (days === null || days > 365) fields[`${form.instrumentId}-${t}`] = `${form.title}, ${timepointLabels[t].toLowerCase()}: days either side must be a whole number from 0 to 365`;
    }
    let childAge: { min: number; max: number } | undefined;
    if (form.aboutAChild && (row.ageMin.trim() || row.ageMax.trim())) {
      const [min, max] = [wholeNumber(row.ageMin), wholeNumber(row.ageMax)];
      if (min === null || max === null) fields[`${form.instrumentId}-age`] = `${form.title}: enter both ages as whole numbers of years, or leave both empty`;
      else if (min > max) fields[`${form.instrumentId}-age`] = `${form.title}: the youngest age must not be above the oldest`;
      else childAge = { min, max };
    }
    entries.push({
      instrumentId: form.instrumentId,
      respondents: 'each_parent' as const,
      aboutEachChild: form.aboutAChild,
      ...(childAge ? { childAge } : {}),
      timepoints: chosen.map((t) => ({ timepoint: t, windowDays: wholeNumber(row.windows[t].days) ?? 0 })),
    });
  }
  return { entries, problems: { fields, general: [] } as FormProblems };
};

/** The server names `body.entries.2.timepoints.0.windowDays`; the page knows that as the instrument's field. */
const serverProblems = (error: unknown, sent: { instrumentId: string; timepoints: { timepoint: Timepoint }[] }[], titleOf: (id: string) => string): FormProblems => {
  if (!isApiError(error)) return { fields: {}, general: ['The schedule could not be saved. Try again.'] };
  const fields: Record<string, string> = {};
  const general: string[] = [];
  for (const f of error.fields) {
    const [, , index, part, sub, leaf] = f.path.split('.');
    const entry = index === undefined ? undefined : sent[Number(index)];
    if (!entry) {
      general.push(f.message);
      continue;
    }
    const title = titleOf(entry.instrumentId);
    if (part === 'timepoints' && sub !== undefined && leaf === 'windowDays') {
      const t = entry.timepoints[Number(sub)]?.timepoint ?? 'pre';
      fields[`${entry.instrumentId}-${t}`] = `${title}, ${timepointLabels[t].toLowerCase()}: days either side ${f.message}`;
    } else if (part === 'timepoints') fields[`${entry.instrumentId}-timepoints`] = `${title}: ${f.message}`;
    else if (part === 'childAge') fields[`${entry.instrumentId}-age`] = `${title}: ${f.message}`;
    else fields[entry.instrumentId] = `${title}: ${f.message}`;
  }
  if (Object.keys(fields).length === 0 && general.length === 0) general.push(error.message);
  return { fields, general };
};

const Editor = ({ programmeId, forms, reportProblems }: { programmeId: string; forms: QuestionnaireForm[]; reportProblems: (has: boolean) => void }) => {
  const [schedule, reload] = useLoad(() => questionnaireApi.schedule(programmeId), [programmeId]);
  const [rows, setRows] = useState<Rows>({});
  const [problems, setProblems] = useState<FormProblems>(noProblems);
  const [saved, setSaved] = useState<string | null>(null);
  useEffect(() => reportProblems(hasProblems(problems)), [problems, reportProblems]);
  useEffect(() => {
    if (schedule.status === 'done') setRows(rowsOf(schedule.data, forms));
  }, [schedule, forms]);
  if (schedule.status === 'loading') return <Loading what="the schedule" />;
  if (schedule.status === 'failed') return <LoadFailed message={isApiError(schedule.error) ? schedule.error.message : 'The schedule could not be loaded.'} />;
  const current = schedule.data;
  const change = (id: string, update: (row: Row) => Row) => setRows((all) => ({ ...all, [id]: update(all[id] ?? emptyRow()) }));
  const titleOf = (id: string) => forms.find((f) => f.instrumentId === id)?.title ?? id;

  const order = forms.flatMap((f) => [
    { name: f.instrumentId, id: `schedule-${f.instrumentId}` },
    { name: `${f.instrumentId}-age`, id: `schedule-${f.instrumentId}-age-min` },
    { name: `${f.instrumentId}-timepoints`, id: `schedule-${f.instrumentId}-pre` },
    ...timepoints.map((t) => ({ name: `${f.instrumentId}-${t}`, id: `schedule-${f.instrumentId}-${t}-days` })),
  ]);

  const save = async () => {
    setSaved(null);
    const { entries, problems: found } = entriesOf(rows, forms);
    if (hasProblems(found)) return setProblems(found);
    try {
      const result = await questionnaireApi.saveSchedule(programmeId, { entries, version: current.version });
      setProblems(noProblems);
      setSaved(`${result.programmeName}: schedule saved with ${result.entries.length} ${result.entries.length === 1 ? 'questionnaire' : 'questionnaires'}`);
      reload();
    } catch (error) {
      if (isApiError(error) && error.status === 409) {
        setProblems({ fields: {}, general: ['Someone else changed this schedule while you had the page open. The page now shows theirs: check it and save again.'] });
        reload();
        return;
      }
      setProblems(serverProblems(error, entries, titleOf));
    }
  };

  return (
    <>
      {saved ? <SuccessBanner heading={saved} /> : null}
      <ErrorSummary problems={problems} fieldOrder={order} />
      <p className="govuk-body" id="schedule-origin">
        {current.origin === 'stored'
          ? 'This programme has its own schedule.'
          : current.origin === 'built_in'
            ? `${current.programmeName} uses Tandem's built-in schedule. Saving makes it the programme's own.`
            : 'This programme expects no questionnaires yet.'}
      </p>
      <p className="govuk-body">Each parent or carer in the family answers each questionnaire chosen; a questionnaire about a child is answered about each child. The days either side set when it opens and when it is overdue.</p>
      <Form onSubmit={save}>
        {forms.map((form) => {
          const id = form.instrumentId;
          const row = rows[id] ?? emptyRow();
          const fieldError = problems.fields[id] ?? problems.fields[`${id}-timepoints`];
          return (
            <div className={`govuk-form-group${fieldError || problems.fields[`${id}-age`] ? ' govuk-form-group--error' : ''}`} key={id}>
              <div className="govuk-checkboxes govuk-checkboxes--small">
                <div className="govuk-checkboxes__item">
                  <input
                    className="govuk-checkboxes__input"
                    id={`schedule-${id}`}
                    type="checkbox"
                    checked={row.included}
                    onChange={(event) => change(id, (r) => ({ ...r, included: event.target.checked }))}
                    aria-controls={`schedule-${id}-conditional`}
                    aria-expanded={row.included}
                  />
                  <label className="govuk-label govuk-checkboxes__label" htmlFor={`schedule-${id}`}>
                    {form.title}
                    {form.aboutAChild ? ' — about each child' : ''}
                  </label>
                </div>
                {row.included ? (
                  <div className="govuk-checkboxes__conditional" id={`schedule-${id}-conditional`}>
                    {form.aboutAChild ? (
                      <fieldset className="govuk-fieldset govuk-!-margin-bottom-4">
                        <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Children's ages (leave empty for every child)</legend>
                        {problems.fields[`${id}-age`] ? (
                          <p className="govuk-error-message" id={`schedule-${id}-age-error`}>
                            <span className="govuk-visually-hidden">Error:</span> {problems.fields[`${id}-age`]}
                          </p>
                        ) : null}
                        <div className="govuk-date-input">
                          {(['min', 'max'] as const).map((end) => (
                            <div className="govuk-date-input__item" key={end}>
                              <label className="govuk-label govuk-date-input__label" htmlFor={`schedule-${id}-age-${end}`}>
                                {end === 'min' ? 'From age' : 'To age'}
                              </label>
                              <input
                                className={`govuk-input govuk-input--width-3${problems.fields[`${id}-age`] ? ' govuk-input--error' : ''}`}
                                id={`schedule-${id}-age-${end}`}
                                inputMode="numeric"
                                value={end === 'min' ? row.ageMin : row.ageMax}
                                onChange={(event) => change(id, (r) => (end === 'min' ? { ...r, ageMin: event.target.value } : { ...r, ageMax: event.target.value }))}
                                aria-describedby={problems.fields[`${id}-age`] ? `schedule-${id}-age-error` : undefined}
                              />
                            </div>
                          ))}
                        </div>
                      </fieldset>
                    ) : null}
                    <fieldset className="govuk-fieldset" aria-describedby={fieldError ? `schedule-${id}-error` : undefined}>
                      <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">{`When ${form.title} is given`}</legend>
                      {fieldError ? (
                        <p className="govuk-error-message" id={`schedule-${id}-error`}>
                          <span className="govuk-visually-hidden">Error:</span> {fieldError}
                        </p>
                      ) : null}
                      <div className="govuk-checkboxes govuk-checkboxes--small">
                        {timepoints.map((t) => {
                          const window = row.windows[t];
                          const error = problems.fields[`${id}-${t}`];
                          return (
                            <div key={t}>
                              <div className="govuk-checkboxes__item">
                                <input
                                  className="govuk-checkboxes__input"
                                  id={`schedule-${id}-${t}`}
                                  type="checkbox"
                                  checked={window.on}
                                  onChange={(event) => change(id, (r) => ({ ...r, windows: { ...r.windows, [t]: { ...r.windows[t], on: event.target.checked } } }))}
                                  aria-describedby={`schedule-${id}-${t}-hint`}
                                />
                                <label className="govuk-label govuk-checkboxes__label" htmlFor={`schedule-${id}-${t}`}>
                                  {timepointLabels[t]}
                                </label>
                                <div className="govuk-hint govuk-checkboxes__hint" id={`schedule-${id}-${t}-hint`}>
                                  {anchorHints[t]}
                                </div>
                              </div>
                              {window.on ? (
                                <div className={`govuk-checkboxes__conditional${error ? ' govuk-form-group--error' : ''}`}>
                                  <label className="govuk-label" htmlFor={`schedule-${id}-${t}-days`}>
                                    {`Days either side (${timepointLabels[t].toLowerCase()})`}
                                  </label>
                                  {error ? (
                                    <p className="govuk-error-message" id={`schedule-${id}-${t}-days-error`}>
                                      <span className="govuk-visually-hidden">Error:</span> {error}
                                    </p>
                                  ) : null}
                                  <input
                                    className={`govuk-input govuk-input--width-3${error ? ' govuk-input--error' : ''}`}
                                    id={`schedule-${id}-${t}-days`}
                                    inputMode="numeric"
                                    value={window.days}
                                    onChange={(event) => change(id, (r) => ({ ...r, windows: { ...r.windows, [t]: { ...r.windows[t], days: event.target.value } } }))}
                                    aria-describedby={error ? `schedule-${id}-${t}-days-error` : undefined}
                                  />
                                </div>
                              ) : null}
                            </div>
                          );
                        })}
                      </div>
                    </fieldset>
                  </div>
                ) : null}
              </div>
            </div>
          );
        })}
        <Button>Save the schedule</Button>
      </Form>
    </>
  );
};

/** `/programmes/measurement-schedule`: choose a programme, then its questionnaires. */
export const SchedulePage = () => {
  const session = useSignedIn();
  const [programmes] = useLoad(() => api.listProgrammes(), [session.currentOrganisation?.id]);
  const [forms] = useLoad(() => questionnaireApi.forms(), [session.currentOrganisation?.id]);
  const [programmeId, setProgrammeId] = useState('');
  const [hasErrors, setHasErrors] = useState(false);
  if (programmes.status === 'loading' || forms.status === 'loading') return <Loading what="programmes" />;
  if (programmes.status === 'failed' || forms.status === 'failed') return <LoadFailed message="The programmes or questionnaires could not be loaded." />;
  return (
    <Page title="Measurement schedules" caption={session.currentOrganisation?.name} hasErrors={hasErrors}>
      <p className="govuk-body">Which questionnaires a programme's families give, and when. What families have already given is kept whatever the schedule says.</p>
      <SelectField
        id="schedule-programme"
        label="Programme"
        options={[{ value: '', label: 'Select a programme' }, ...programmes.data.map((p) => ({ value: p.id, label: p.name }))]}
        value={programmeId}
        onChange={setProgrammeId}
      />
      {programmeId ? <Editor key={programmeId} programmeId={programmeId} forms={forms.data.forms} reportProblems={setHasErrors} /> : null}
    </Page>
  );
};
