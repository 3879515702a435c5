import { useState } from 'react';
import { isApiError } from '../../api/client.ts';
import { LoadFailed, Loading, SuccessBanner } from '../../components/feedback.tsx';
import { Button, Checkboxes, DateInput, emptyDate, ErrorSummary, Form, Radios, SelectField, TextField, type DateParts } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { formatDay } from '../../lib/format.ts';
import { noProblems, problemsFromError, type FormProblems } from '../../lib/form-problems.ts';
import { useLoad } from '../../lib/use-load.ts';
import { useSignedIn } from '../../session.tsx';
import { evaluationApi, type FunderReturn } from './evaluation-api.ts';
import { INSTRUMENTS } from './instruments.ts';

const BREAKDOWNS = [
  ['role', 'Respondents (mothers, fathers, …)'],
  ['site', 'Site'],
  ['group', 'Group'],
] as const;

/** The last eight calendar quarters, most recent complete one first, and the current one. */
const quarters = (today = new Date()): string[] => {
  let year = today.getUTCFullYear();
  let q = Math.ceil((today.getUTCMonth() + 1) / 3);
  const out = [`${year}-Q${q}`];
  for (let i = 0; i < 8; i += 1) {
    q -= 1;
    if (q === 0) {
      q = 4;
      year -= 1;
    }
    out.push(`${year}-Q${q}`);
  }
  return out;
};

const isoOf = (parts: DateParts): string | null => {
  const { day, month, year } = parts;
  if (!/^\d{1,2}$/.test(day.trim()) || !/^\d{1,2}$/.test(month.trim()) || !/^\d{4}$/.test(year.trim())) return null;
  const iso = `${year.trim()}-${month.trim().padStart(2, '0')}-${day.trim().padStart(2, '0')}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso ? null : iso;
};

const labels = { name: 'Name', funderName: 'Funder', instruments: 'Questionnaires', programme: 'Programme', site: 'Site', period: 'Period', startDate: 'Start date', breakdowns: 'Breakdowns' };

const NewReturnForm = ({ onSaved }: { onSaved: (saved: FunderReturn) => void }) => {
  const [name, setName] = useState('');
  const [funderName, setFunderName] = useState('');
  const [instruments, setInstruments] = useState<string[]>(['core-10']);
  const [programme, setProgramme] = useState('');
  const [site, setSite] = useState('');
  const [period, setPeriod] = useState<'quarter' | 'since_start'>('quarter');
  const [start, setStart] = useState<DateParts>(emptyDate);
  const [breakdowns, setBreakdowns] = useState<string[]>(['role']);
  const [problems, setProblems] = useState<FormProblems>(noProblems);
  const toggle = (list: string[], value: string, on: boolean) => (on ? [...new Set([...list, value])] : list.filter((v) => v !== value));
  const save = async () => {
    const startDate = period === 'since_start' ? isoOf(start) : null;
    if (period === 'since_start' && startDate === null) {
      setProblems({ fields: { startDate: 'Enter the start date as a real date, for example 1 4 2025' }, general: [] });
      return;
    }
    try {
      const saved = await evaluationApi.createReturn({
        name,
        funderName,
        instruments,
        programme: programme.trim() || null,
        site: site.trim() || null,
        period,
        startDate,
        breakdowns: breakdowns as FunderReturn['breakdowns'],
      });
      setProblems(noProblems);
      onSaved(saved);
    } catch (error) {
      setProblems(problemsFromError(error, labels));
    }
  };
  return (
    <Form onSubmit={save}>
      <h2 className="govuk-heading-m">Save a new return</h2>
      <ErrorSummary
        problems={problems}
        fieldOrder={[
          { name: 'name', id: 'return-name' },
          { name: 'funderName', id: 'return-funder' },
          { name: 'instruments', id: 'instrument-0' },
          { name: 'startDate', id: 'start-day' },
        ]}
      />
      <TextField id="return-name" label="Name of the return" hint="For example, Family Fund quarterly outcomes" value={name} onChange={setName} error={problems.fields.name} />
      <TextField id="return-funder" label="Funder" value={funderName} onChange={setFunderName} error={problems.fields.funderName} />
      <Checkboxes
        id="instruments"
        legend="Questionnaires"
        legendSize="s"
        small
        error={problems.fields.instruments}
        items={INSTRUMENTS.map(([value, label], i) => ({ id: `instrument-${i}`, label, checked: instruments.includes(value), onChange: (on) => setInstruments(toggle(instruments, value, on)) }))}
      />
      <TextField id="return-programme" label="Programme (optional)" hint="Exactly as recorded; leave empty for every programme" value={programme} onChange={setProgramme} />
      <TextField id="return-site" label="Site (optional)" hint="Leave empty for every site" value={site} onChange={setSite} />
      <Radios
        id="period"
        name="period"
        legend="Period"
        legendSize="s"
        value={period}
        onChange={(v) => setPeriod(v === 'since_start' ? 'since_start' : 'quarter')}
        options={[
          { value: 'quarter', label: 'The quarter chosen when it is produced' },
          { value: 'since_start', label: 'From a start date to the end of the chosen quarter (cumulative)' },
        ]}
        conditional={{ since_start: <DateInput id="start" legend="Start date" value={start} onChange={setStart} error={problems.fields.startDate} /> }}
      />
      <Checkboxes
        id="breakdowns"
        legend="Breakdowns (all respondents are always shown)"
        legendSize="s"
        small
        items={BREAKDOWNS.map(([value, label]) => ({ id: `breakdown-${value}`, label, checked: breakdowns.includes(value), onChange: (on) => setBreakdowns(toggle(breakdowns, value, on)) }))}
      />
      <Button>Save the return</Button>
    </Form>
  );
};

/** Funders' returns (issue 6 item 6): saved report definitions, produced each quarter as PDF, HTML or CSV. */
export const FunderReturnsPage = () => {
  const session = useSignedIn();
  const [list, reload] = useLoad(() => evaluationApi.returns(), [session.currentOrganisation?.id]);
  const [quarter, setQuarter] = useState(quarters()[1] ?? '');
  const [saved, setSaved] = useState<string | null>(null);
  return (
    <Page title="Funders' returns" caption={session.currentOrganisation?.name} width="full">
      {saved ? <SuccessBanner heading={`Return saved: ${saved}`} /> : null}
      <p className="govuk-body tandem-two-thirds">
        Each return is the outcomes report cut the way one funder asks for it. Produce it each quarter: the figures are made from the records at that moment, with small numbers withheld as
        funders see them.
      </p>
      <div className="tandem-two-thirds">
        <SelectField id="quarter" label="Quarter to produce" value={quarter} onChange={setQuarter} options={quarters().map((q) => ({ value: q, label: q }))} />
      </div>
      {list.status === 'loading' ? <Loading what="returns" /> : null}
      {list.status === 'failed' ? <LoadFailed message={isApiError(list.error) ? list.error.message : 'The returns could not be loaded.'} /> : null}
      {list.status === 'done' && list.data.length === 0 ? <p className="govuk-body">No returns saved yet.</p> : null}
      {list.status === 'done' && list.data.length > 0 ? (
        <div className="tandem-table-scroll" role="region" aria-label="Saved returns" tabIndex={0}>
          <table className="govuk-table">
            <caption className="govuk-table__caption govuk-table__caption--m">Saved returns</caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                {['Return', 'Funder', 'Questionnaires', 'Programme and site', 'Period', 'Breakdowns', `Produce for ${quarter}`].map((h) => (
                  <th scope="col" className="govuk-table__header" key={h}>
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {list.data.map((r) => (
                <tr className="govuk-table__row" key={r.id}>
                  <th scope="row" className="govuk-table__header">
                    {r.name}
                  </th>
                  <td className="govuk-table__cell">{r.funderName}</td>
                  <td className="govuk-table__cell">{r.instruments.map((id) => INSTRUMENTS.find(([v]) => v === id)?.[1] ?? id).join(', ')}</td>
                  <td className="govuk-table__cell">{`${r.programme ?? 'All programmes'}; ${r.site ?? 'all sites'}`}</td>
                  <td className="govuk-table__cell">{r.period === 'quarter' ? 'The quarter' : `Since ${formatDay(r.startDate)}`}</td>
                  <td className="govuk-table__cell">{r.breakdowns.length === 0 ? 'None' : r.breakdowns.join(', ')}</td>
                  <td className="govuk-table__cell">
                    {(['pdf', 'html', 'csv'] as const).map((format) => (
                      <a key={format} className="govuk-link govuk-!-margin-right-2" href={`/api/evaluation/returns/${encodeURIComponent(r.id)}/report.${format}?quarter=${quarter}`} download>
                        {format.toUpperCase()}
                        <span className="govuk-visually-hidden">{` of ${r.name}`}</span>
                      </a>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <div className="tandem-two-thirds">
        <NewReturnForm
          onSaved={(r) => {
            setSaved(r.name);
            reload();
          }}
        />
      </div>
    </Page>
  );
};
