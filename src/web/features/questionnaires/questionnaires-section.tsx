import { useState } from 'react';
import type { AdministrationSummary, Answers, QuestionnaireForm, Timepoint } from '../../../shared/contracts/questionnaires.ts';
import { isApiError } from '../../api/client.ts';
import type { CaseDetail } from '../../api/endpoints.ts';
import { LoadFailed, Loading, Tag } from '../../components/feedback.tsx';
import { Button, Checkboxes, DateInput, emptyDate, ErrorSummary, Form, Radios, SelectField, type DateParts } from '../../components/form.tsx';
import { formatDay } from '../../lib/format.ts';
import { noProblems, type FormProblems } from '../../lib/form-problems.ts';
import { useLoad } from '../../lib/use-load.ts';
import { Link } from '../../router.tsx';
import { useSignedIn } from '../../session.tsx';
import { useSectionForm, type SectionProps } from '../cases/case-section.ts';
import { questionnaireApi, type CaseQuestionnairesData, type CreatedLink } from './questionnaires-api.ts';

/*
 * The case's questionnaires (issue 4): what the programme's schedule expects and when, the links sent to parents,
 * each administration with its scores, bands, flags and alerts; and two ways in for staff — send a parent a link, or
 * key a paper form item by item, optionally twice to catch keying slips.
 */

export const timepointLabels: Record<Timepoint, string> = { pre: 'Before (pre)', post: 'At the end (post)', followup: 'Six-month follow-up' };
const timepointOptions = (Object.keys(timepointLabels) as Timepoint[]).map((value) => ({ value, label: timepointLabels[value] }));

const stateTags: Record<CaseQuestionnairesData['expected'][number]['state'], { label: string; colour: 'grey' | 'blue' | 'red' | 'green' }> = {
  not_yet_open: { label: 'Not yet', colour: 'grey' },
  due: { label: 'Due', colour: 'blue' },
  overdue: { label: 'Overdue', colour: 'red' },
  done: { label: 'Done', colour: 'green' },
};
const linkTags: Record<CaseQuestionnairesData['links'][number]['status'], { label: string; colour: 'grey' | 'blue' | 'red' | 'green' }> = {
  open: { label: 'Waiting', colour: 'blue' },
  submitted: { label: 'Answered', colour: 'green' },
  cancelled: { label: 'Cancelled or replaced', colour: 'grey' },
  expired: { label: 'Expired', colour: 'grey' },
};

export const scoreText = (a: Pick<AdministrationSummary, 'scores' | 'bands'>): string[] =>
  Object.entries(a.scores)
    .filter(([, value]) => value !== null)
    .map(([scale, value]) => {
      const band = a.bands[scale];
      const shown = typeof value === 'number' && !Number.isInteger(value) ? value.toFixed(1) : String(value);
      return `${scale.replaceAll('_', ' ')} ${shown}${band ? ` (${band.replaceAll('_', ' ')})` : ''}`;
    });

const Administrations = ({ caseId, administrations }: { caseId: string; administrations: AdministrationSummary[] }) =>
  administrations.length === 0 ? (
    <p className="govuk-body">No questionnaires have been recorded on this case yet.</p>
  ) : (
    <div className="tandem-table-scroll" tabIndex={0} role="region" aria-label="Questionnaires recorded">
      <table className="govuk-table" id="administrations">
        <caption className="govuk-table__caption govuk-table__caption--s">Recorded</caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header">Questionnaire</th>
            <th scope="col" className="govuk-table__header">Answered by</th>
            <th scope="col" className="govuk-table__header">When</th>
            <th scope="col" className="govuk-table__header">Scores</th>
            <th scope="col" className="govuk-table__header">Flags and alerts</th>
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {administrations.map((a) => (
            <tr className="govuk-table__row" key={a.id}>
              <td className="govuk-table__cell">
                {a.instrumentTitle}
                <br />
                <span className="tandem-secondary-text">{a.source === 'link' ? 'by link' : a.source === 'paper' ? 'paper form' : 'imported'}</span>
                {a.version > 1 ? <span className="tandem-secondary-text">, corrected</span> : null}
                {a.source === 'paper' ? (
                  <>
                    <br />
                    <Link className="govuk-link" href={`/cases/${caseId}/questionnaires/${a.id}`}>
                      Correct or see history<span className="govuk-visually-hidden">{` of ${a.instrumentTitle} (${a.timepoint}) by ${a.personName ?? 'unknown'}`}</span>
                    </Link>
                  </>
                ) : null}
              </td>
              <td className="govuk-table__cell">
                {a.personName ?? 'Unknown'}
                {a.subjectName ? <span className="tandem-secondary-text"> about {a.subjectName}</span> : null}
              </td>
              <td className="govuk-table__cell">
                {timepointLabels[a.timepoint]}
                <br />
                <span className="tandem-secondary-text">{formatDay(a.completedOn)}</span>
              </td>
              <td className="govuk-table__cell">
                {a.status === 'not_scorable' ? <p className="govuk-body-s">Not scorable: too many answers missing</p> : null}
                <ul className="govuk-list govuk-body-s">
                  {scoreText(a).map((line) => (
                    <li key={line}>{line}</li>
                  ))}
                </ul>
                {a.valid ? null : <Tag colour="yellow">Not valid</Tag>}
              </td>
              <td className="govuk-table__cell">
                {a.flags.map((flag) => (
                  <span key={flag}>
                    <Tag colour={flag === 'risk' || flag === 'at_risk' ? 'red' : 'grey'}>{flag.replaceAll('_', ' ')}</Tag>{' '}
                  </span>
                ))}
                {a.alerts.length > 0 ? (
                  <ul className="govuk-list govuk-body-s">
                    {a.alerts.map((reason) => (
                      <li key={reason}>
                        <Tag colour="red">Alert</Tag> {reason}
                      </li>
                    ))}
                  </ul>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );

const Expected = ({ expected }: { expected: CaseQuestionnairesData['expected'] }) =>
  expected.length === 0 ? null : (
    <div className="tandem-table-scroll" tabIndex={0} role="region" aria-label="Questionnaires the programme expects">
      <table className="govuk-table">
        <caption className="govuk-table__caption govuk-table__caption--s">The programme's schedule</caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header">Questionnaire</th>
            <th scope="col" className="govuk-table__header">Who</th>
            <th scope="col" className="govuk-table__header">When</th>
            <th scope="col" className="govuk-table__header">Due by</th>
            <th scope="col" className="govuk-table__header">Status</th>
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {expected.map((x) => (
            <tr className="govuk-table__row" key={`${x.personId}-${x.subjectPersonId ?? ''}-${x.instrumentId}-${x.timepoint}`}>
              <td className="govuk-table__cell">{x.instrumentTitle}</td>
              <td className="govuk-table__cell">
                {x.personName}
                {x.subjectName ? <span className="tandem-secondary-text"> about {x.subjectName}</span> : null}
              </td>
              <td className="govuk-table__cell">{timepointLabels[x.timepoint]}</td>
              <td className="govuk-table__cell tandem-nowrap">{formatDay(x.dueOn)}</td>
              <td className="govuk-table__cell">
                <Tag colour={stateTags[x.state].colour}>{stateTags[x.state].label}</Tag>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );

const Links = ({ links, cancel }: { links: CaseQuestionnairesData['links']; cancel: ((link: CaseQuestionnairesData['links'][number]) => void) | null }) =>
  links.length === 0 ? null : (
    <div className="tandem-table-scroll" tabIndex={0} role="region" aria-label="Links sent to parents">
      <table className="govuk-table">
        <caption className="govuk-table__caption govuk-table__caption--s">Links sent</caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header">Questionnaire</th>
            <th scope="col" className="govuk-table__header">For</th>
            <th scope="col" className="govuk-table__header">Answered so far</th>
            <th scope="col" className="govuk-table__header">Status</th>
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {links.map((l) => (
            <tr className="govuk-table__row" key={l.id}>
              <td className="govuk-table__cell">
                {l.instrumentTitle} <span className="tandem-secondary-text">({timepointLabels[l.timepoint]})</span>
              </td>
              <td className="govuk-table__cell">
                {l.personName}
                {l.subjectName ? <span className="tandem-secondary-text"> about {l.subjectName}</span> : null}
              </td>
              <td className="govuk-table__cell">
                {l.answered} of {l.itemCount}
              </td>
              <td className="govuk-table__cell">
                <Tag colour={linkTags[l.status].colour}>{linkTags[l.status].label}</Tag>
                {l.status === 'open' ? <span className="tandem-secondary-text"> until {formatDay(l.expiresAt.slice(0, 10))}</span> : null}
                {l.status === 'open' && cancel ? (
                  <>
                    <br />
                    <button type="button" className="govuk-button govuk-button--warning govuk-!-margin-bottom-0 govuk-!-margin-top-2" onClick={() => cancel(l)}>
                      Cancel link<span className="govuk-visually-hidden">{` for ${l.instrumentTitle} (${l.timepoint}), ${l.personName}`}</span>
                    </button>
                  </>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );

type Who = { personId: string; instrumentId: string; timepoint: string; subjectPersonId: string };
const noOne: Who = { personId: '', instrumentId: '', timepoint: '', subjectPersonId: '' };

/** The questions both forms ask: who answers, which questionnaire, when, and which child it is about. */
const WhoFields = ({ prefix, item, forms, who, setWho, problems }: { prefix: string; item: CaseDetail; forms: QuestionnaireForm[]; who: Who; setWho: (w: Who) => void; problems: FormProblems }) => {
  const form = forms.find((f) => f.instrumentId === who.instrumentId);
  const adults = item.members.filter((m) => !m.isChild);
  const children = item.members.filter((m) => m.isChild);
  return (
    <>
      <SelectField
        id={`${prefix}-person`}
        label="Parent or carer"
        options={[{ value: '', label: 'Choose who answers' }, ...adults.map((m) => ({ value: m.personId, label: `${m.givenName} ${m.familyName}` }))]}
        value={who.personId}
        onChange={(personId) => setWho({ ...who, personId })}
        error={problems.fields.personId}
      />
      <SelectField
        id={`${prefix}-instrument`}
        label="Questionnaire"
        options={[{ value: '', label: 'Choose a questionnaire' }, ...forms.map((f) => ({ value: f.instrumentId, label: f.title }))]}
        value={who.instrumentId}
        onChange={(instrumentId) => setWho({ ...who, instrumentId })}
        error={problems.fields.instrumentId}
      />
      {form?.aboutAChild ? (
        <SelectField
          id={`${prefix}-child`}
          label="Which child is it about"
          options={[{ value: '', label: 'Choose a child' }, ...children.map((m) => ({ value: m.personId, label: `${m.givenName} ${m.familyName}` }))]}
          value={who.subjectPersonId}
          onChange={(subjectPersonId) => setWho({ ...who, subjectPersonId })}
          error={problems.fields.subjectPersonId}
        />
      ) : null}
      <Radios id={`${prefix}-timepoint`} name={`${prefix}-timepoint`} legend="When" legendSize="s" options={timepointOptions} value={who.timepoint} onChange={(timepoint) => setWho({ ...who, timepoint })} error={problems.fields.timepoint} />
    </>
  );
};

const whoProblems = (who: Who, form: QuestionnaireForm | undefined): FormProblems => {
  const fields: Record<string, string> = {};
  if (!who.personId) fields.personId = 'Choose the parent or carer who answers';
  if (!who.instrumentId) fields.instrumentId = 'Choose a questionnaire';
  if (form?.aboutAChild && !who.subjectPersonId) fields.subjectPersonId = 'Choose the child the questionnaire is about';
  if (!who.timepoint) fields.timepoint = 'Choose when the questionnaire is given';
  return { fields, general: [] };
};

const whoOrder = (prefix: string) => [
  { name: 'personId', id: `${prefix}-person` },
  { name: 'instrumentId', id: `${prefix}-instrument` },
  { name: 'subjectPersonId', id: `${prefix}-child` },
  { name: 'timepoint', id: `${prefix}-timepoint` },
];
const whoLabels = { personId: 'Parent or carer', instrumentId: 'Questionnaire', subjectPersonId: 'Child', timepoint: 'When', completedOn: 'Date completed' };

const bodyOf = (who: Who, form: QuestionnaireForm | undefined) => ({
  personId: who.personId,
  instrumentId: who.instrumentId,
  timepoint: who.timepoint as Timepoint,
  ...(form?.aboutAChild ? { subjectPersonId: who.subjectPersonId } : {}),
});

const SendLink = (props: SectionProps & { forms: QuestionnaireForm[]; done: () => void }) => {
  const { item, forms } = props;
  const { problems, setProblems, failed } = useSectionForm('questionnaire-link', props, whoLabels);
  const [who, setWho] = useState<Who>(noOne);
  const [created, setCreated] = useState<(CreatedLink & { label: string }) | null>(null);
  const [copied, setCopied] = useState(false);
  const form = forms.find((f) => f.instrumentId === who.instrumentId);

  const submit = async () => {
    const found = whoProblems(who, form);
    if (Object.keys(found.fields).length > 0) return setProblems(found);
    try {
      const link = await questionnaireApi.createLink(item.id, bodyOf(who, form));
      const person = item.members.find((m) => m.personId === who.personId);
      setCreated({ ...link, label: `${form?.title ?? who.instrumentId} for ${person ? `${person.givenName} ${person.familyName}` : 'the parent'}` });
      setProblems(noProblems);
      setWho(noOne);
      props.done();
    } catch (error) {
      await failed(error);
    }
  };
  const url = created ? `${window.location.origin}${created.path}` : '';
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      // Without clipboard access the link is still selectable in the box.
      setCopied(false);
    }
  };

  return (
    <>
      <h3 className="govuk-heading-s">Send a questionnaire</h3>
      {created ? (
        <div className="govuk-inset-text" id="questionnaire-link-created">
          <p className="govuk-body">Link for {created.label}. It works once, until {formatDay(created.expiresAt.slice(0, 10))}. Copy it now: it is not shown again.</p>
          <div className="govuk-form-group">
            <label className="govuk-label" htmlFor="questionnaire-link-url">
              Link to send
            </label>
            <input className="govuk-input" id="questionnaire-link-url" readOnly value={url} onFocus={(event) => event.target.select()} />
          </div>
          <Button type="button" variant="secondary" onClick={() => void copy()}>
            Copy link
          </Button>
          <p className="govuk-body-s" role="status">
            {copied ? 'Copied' : ''}
          </p>
        </div>
      ) : null}
      <ErrorSummary problems={problems} fieldOrder={whoOrder('send')} />
      <Form onSubmit={submit}>
        <WhoFields prefix="send" item={item} forms={forms} who={who} setWho={setWho} problems={problems} />
        <Button>Create the link</Button>
      </Form>
    </>
  );
};

const isoOf = (d: DateParts): string => `${d.year.trim().padStart(4, '0')}-${d.month.trim().padStart(2, '0')}-${d.day.trim().padStart(2, '0')}`;

/** One pass of keying: every item in the order of the paper form, its answers as printed. */
const ItemEntry = ({ pass, form, answers, setAnswer, problems }: { pass: 'first' | 'second'; form: QuestionnaireForm; answers: Answers; setAnswer: (key: string, value: number) => void; problems: FormProblems }) => (
  <>
    {form.items.map((formItem) => (
      <Radios
        key={`${pass}-${formItem.key}`}
        id={`paper-${pass}-${formItem.key}`}
        name={`paper-${pass}-${formItem.key}`}
        legend={formItem.text ? `${formItem.key}. ${formItem.text}` : `Item ${formItem.key}`}
        legendSize="s"
        inline
        options={formItem.options.map((o) => ({ value: String(o.value), label: o.label }))}
        value={typeof answers[formItem.key] === 'number' ? String(answers[formItem.key]) : ''}
        onChange={(value) => setAnswer(formItem.key, Number(value))}
        error={problems.fields[`${pass}-${formItem.key}`]}
      />
    ))}
  </>
);

const PaperEntry = (props: SectionProps & { forms: QuestionnaireForm[]; done: (saved: AdministrationSummary) => void }) => {
  const { item, forms } = props;
  const { problems, setProblems, failed } = useSectionForm('paper-form', props, whoLabels);
  const [who, setWho] = useState<Who>(noOne);
  const [completedOn, setCompletedOn] = useState<DateParts>(emptyDate);
  const [double, setDouble] = useState(false);
  const [pass, setPass] = useState<'first' | 'second'>('first');
  const [first, setFirst] = useState<Answers>({});
  const [second, setSecond] = useState<Answers>({});
  const form = forms.find((f) => f.instrumentId === who.instrumentId);
  const labelOf = (key: string, value: number | null | undefined): string =>
    value === null || value === undefined ? 'not answered' : `“${form?.items.find((i) => i.key === key)?.options.find((o) => o.value === value)?.label ?? value}”`;

  const order = [
    ...whoOrder('paper'),
    { name: 'completedOn', id: 'paper-completed-on-day' },
    ...(form?.items ?? []).flatMap((i) => [
      { name: `first-${i.key}`, id: `paper-first-${i.key}` },
      { name: `second-${i.key}`, id: `paper-second-${i.key}` },
    ]),
  ];

  const save = async () => {
    const found = whoProblems(who, form);
    if (!completedOn.day || !completedOn.month || !completedOn.year) found.fields.completedOn = 'Enter the date the form was completed';
    if (form && Object.keys(first).length === 0) found.general.push('Key at least one answer from the form');
    if (Object.keys(found.fields).length > 0 || found.general.length > 0 || !form) return setProblems(found);
    if (double && pass === 'first') {
      // The second pass starts blank, so the second keying is not a copy of the first.
      setPass('second');
      setProblems(noProblems);
      return;
    }
    if (double) {
      const mismatches = form.items.filter((i) => (first[i.key] ?? null) !== (second[i.key] ?? null));
      if (mismatches.length > 0) {
        return setProblems({
          fields: Object.fromEntries(
            mismatches.map((i) => [`second-${i.key}`, `Item ${i.key} was keyed as ${labelOf(i.key, first[i.key])} the first time and ${labelOf(i.key, second[i.key])} the second: check the paper form`]),
          ),
          general: [],
        });
      }
    }
    try {
      const saved = await questionnaireApi.enterPaper(item.id, { ...bodyOf(who, form), completedOn: isoOf(completedOn), responses: first, ...(double ? { secondEntry: second } : {}) });
      setProblems(noProblems);
      setWho(noOne);
      setFirst({});
      setSecond({});
      setPass('first');
      setCompletedOn(emptyDate);
      props.done(saved);
    } catch (error) {
      if (isApiError(error) && error.status === 400 && error.fields.some((f) => /^body\.(responses|secondEntry)\./.test(f.path))) {
        const fields: Record<string, string> = {};
        const general: string[] = [];
        for (const f of error.fields) {
          const [, part, key] = f.path.split('.');
          if (part === 'responses' && key) fields[`first-${key}`] = `Item ${key}: ${f.message}`;
          else if (part === 'secondEntry' && key) fields[`second-${key}`] = f.message.startsWith('item') ? f.message.charAt(0).toUpperCase() + f.message.slice(1) : `Item ${key}: ${f.message}`;
          else general.push(f.message);
        }
        return setProblems({ fields, general });
      }
      await failed(error);
    }
  };

  return (
    <>
      <h3 className="govuk-heading-s">Enter a paper form</h3>
      <ErrorSummary problems={problems} fieldOrder={order} />
      <Form onSubmit={save}>
        {pass === 'first' ? (
          <>
            <WhoFields prefix="paper" item={item} forms={forms} who={who} setWho={(w) => {
                // Another questionnaire has other items: start its answers afresh.
                if (w.instrumentId !== who.instrumentId) {
                  setFirst({});
                  setSecond({});
                }
                setWho(w);
              }} problems={problems} />
            <DateInput id="paper-completed-on" legend="Date the form was completed" value={completedOn} onChange={setCompletedOn} error={problems.fields.completedOn} />
            <Checkboxes
              id="paper-double"
              items={[{ id: 'paper-double', label: 'Check by keying the form twice', hint: 'After the first entry you key it again; any item keyed differently is listed before anything is saved.', checked: double, onChange: setDouble }]}
            />
            {form ? (
              <fieldset className="govuk-fieldset">
                <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">{double ? 'First entry' : 'Answers'}</legend>
                {!form.wordingShown ? <p className="govuk-hint">Items by number, as printed on the paper form (the wording cannot be shown under its licence).</p> : null}
                <ItemEntry pass="first" form={form} answers={first} setAnswer={(key, value) => setFirst((a) => ({ ...a, [key]: value }))} problems={problems} />
              </fieldset>
            ) : null}
          </>
        ) : form ? (
          <fieldset className="govuk-fieldset">
            <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Second entry: key the same paper form again</legend>
            <ItemEntry pass="second" form={form} answers={second} setAnswer={(key, value) => setSecond((a) => ({ ...a, [key]: value }))} problems={problems} />
          </fieldset>
        ) : null}
        <div className="govuk-button-group">
          <Button>{double && pass === 'first' ? 'Continue to the second entry' : 'Save the form'}</Button>
          {pass === 'second' ? (
            <Button type="button" variant="secondary" onClick={() => {
                setPass('first');
                setProblems(noProblems);
              }}>
              Change the first entry
            </Button>
          ) : null}
        </div>
      </Form>
    </>
  );
};

/** The case's questionnaires (issue 4). */
export const QuestionnairesSection = (props: SectionProps) => {
  const { item } = props;
  const session = useSignedIn();
  const mayEnter = session.can('update:case');
  const [data, reloadData] = useLoad(() => questionnaireApi.ofCase(item.id), [item.id]);
  const [forms] = useLoad(() => questionnaireApi.forms(), []);
  const [mode, setMode] = useState<'none' | 'link' | 'paper'>('none');
  const cancelProblems = useSectionForm('questionnaire-link-cancel', props, {});

  const cancelLink = async (link: CaseQuestionnairesData['links'][number]) => {
    try {
      await questionnaireApi.cancelLink(item.id, link.id);
      cancelProblems.clear();
      reloadData();
      await props.saved(`The ${link.instrumentTitle} link for ${link.personName} is cancelled: it no longer works`);
    } catch (error) {
      // Already answered or cancelled (409): say so and show the list as it is now.
      if (isApiError(error) && error.status === 409) {
        cancelProblems.setProblems({ fields: {}, general: [error.message] });
        reloadData();
        return;
      }
      await cancelProblems.failed(error);
    }
  };

  const afterPaper = async (saved: AdministrationSummary) => {
    reloadData();
    setMode('none');
    await props.saved(saved.alerts.length > 0 ? `${saved.instrumentTitle} saved. It raised an alert: see Safeguarding` : `${saved.instrumentTitle} saved and scored`);
  };

  return (
    <div className="tandem-two-thirds">
      <h2 className="govuk-heading-m" id="questionnaires-heading">
        Questionnaires
      </h2>
      {data.status === 'loading' ? <Loading what="questionnaires" /> : null}
      {data.status === 'failed' ? <LoadFailed message="The questionnaires could not be loaded. Reload the page to try again." /> : null}
      {data.status === 'done' ? (
        <>
          <Expected expected={data.data.expected} />
          <Administrations caseId={item.id} administrations={data.data.administrations} />
          <ErrorSummary problems={cancelProblems.problems} fieldOrder={[]} />
          <Links links={data.data.links} cancel={mayEnter ? (link) => void cancelLink(link) : null} />
        </>
      ) : null}
      {mayEnter && forms.status === 'done' ? (
        <>
          <div className="govuk-button-group">
            <Button type="button" variant="secondary" onClick={() => setMode(mode === 'link' ? 'none' : 'link')}>
              Send a questionnaire
            </Button>
            <Button type="button" variant="secondary" onClick={() => setMode(mode === 'paper' ? 'none' : 'paper')}>
              Enter a paper form
            </Button>
          </div>
          {mode === 'link' ? <SendLink {...props} forms={forms.data.forms} done={reloadData} /> : null}
          {mode === 'paper' ? <PaperEntry {...props} forms={forms.data.forms} done={(saved) => void afterPaper(saved)} /> : null}
        </>
      ) : null}
    </div>
  );
};
