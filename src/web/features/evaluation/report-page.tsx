import { useState, type ReactNode } from 'react';
import type { CellFigures, MeasureReport, PairedFigures, Report, TimepointFigures } from '../../../shared/contracts/evaluation.ts';
import { fmtDz, fmtMean, fmtOf, fmtP, fmtSigned } from '../../../shared/evaluation-format.ts';
import { isApiError } from '../../api/client.ts';
import { ImportantBanner, LoadFailed, Loading } from '../../components/feedback.tsx';
import { Button, DateInput, emptyDate, ErrorSummary, Form, SelectField, type DateParts } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { useLoad } from '../../lib/use-load.ts';
import { Link, useRouter, useSearchParams } from '../../router.tsx';
import { useSignedIn } from '../../session.tsx';
import { evaluationApi, queryString, type ReportPage, type ReportQuery } from './evaluation-api.ts';

const FILTERS = ['programme', 'site', 'group', 'role', 'from', 'to', 'facilitator', 'dose'] as const;
const roleLabels: Record<string, string> = { all: 'All respondents', mother: 'Mothers', father: 'Fathers', carer: 'Carers', child: 'Children', teacher: 'Teachers', other: 'Others' };
const labelOf = (key: string): string => roleLabels[key] ?? key;

const toParts = (iso: string | undefined): DateParts => {
  if (!iso) return emptyDate;
  const [year = '', month = '', day = ''] = iso.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year };
};

/** Three boxes → YYYY-MM-DD; '' when empty; null when partly filled or not a real date. */
const fromParts = (parts: DateParts): string | null => {
  const { day, month, year } = { day: parts.day.trim(), month: parts.month.trim(), year: parts.year.trim() };
  if (!day && !month && !year) return '';
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return null;
  const iso = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso ? null : iso;
};

const suppressedText = (report: Report): string => `fewer than ${report.min_cell_size ?? 5}`;

const Th = ({ children, colSpan, rowSpan, scope = 'col' }: { children: ReactNode; colSpan?: number; rowSpan?: number; scope?: 'col' | 'colgroup' | 'row' }) => (
  <th scope={scope} className="govuk-table__header" colSpan={colSpan} rowSpan={rowSpan}>
    {children}
  </th>
);
const Td = ({ children, numeric = true, colSpan }: { children: ReactNode; numeric?: boolean; colSpan?: number }) => (
  <td className={`govuk-table__cell${numeric ? ' govuk-table__cell--numeric' : ''}`} colSpan={colSpan}>
    {children}
  </td>
);

const TimepointCells = ({ t, report, clinical }: { t: TimepointFigures; report: Report; clinical: boolean }) => {
  if (t.suppressed) {
    return (
      <>
        <Td>{suppressedText(report)}</Td>
        <Td>—</Td>
        <Td>—</Td>
        {clinical ? <Td>—</Td> : null}
      </>
    );
  }
  const ci = t.ci_lower === null || t.ci_upper === null ? '—' : `${fmtMean(t.ci_lower)} to ${fmtMean(t.ci_upper)}`;
  return (
    <>
      <Td>{t.n ?? '—'}</Td>
      <Td>{t.mean === null ? '—' : `${fmtMean(t.mean)}${t.sd === null ? '' : ` (${fmtMean(t.sd)})`}`}</Td>
      <Td>{ci}</Td>
      {clinical ? <Td>{fmtOf(t.n_clinical, t.n)}</Td> : null}
    </>
  );
};

const TimepointTable = ({ measure, cells, caption, report, rowHeading }: { measure: MeasureReport; cells: Record<string, CellFigures>; caption: string; report: Report; rowHeading: string }) => {
  const clinical = measure.clinical_rule !== null;
  const sub = ['n', 'Mean (SD)', '95 % CI', ...(clinical ? ['In clinical range'] : [])];
  return (
    <div className="tandem-table-scroll" role="region" aria-label={caption} tabIndex={0}>
      <table className="govuk-table tandem-report-table">
        <caption className="govuk-table__caption govuk-table__caption--s">{caption}</caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <Th rowSpan={2}>{rowHeading}</Th>
            {['Pre', 'Post', 'Follow-up'].map((h) => (
              <Th key={h} colSpan={sub.length} scope="colgroup">
                {h}
              </Th>
            ))}
          </tr>
          <tr className="govuk-table__row">
            {['pre', 'post', 'followup'].flatMap((tp) => sub.map((h) => <Th key={`${tp}-${h}`}>{h}</Th>))}
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {Object.entries(cells).map(([key, cell]) => (
            <tr className="govuk-table__row" key={key}>
              <Th scope="row">{labelOf(key)}</Th>
              <TimepointCells t={cell.pre} report={report} clinical={clinical} />
              <TimepointCells t={cell.post} report={report} clinical={clinical} />
              <TimepointCells t={cell.followup} report={report} clinical={clinical} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
};

const PairedRow = ({ name, p, completeness, measure, report }: { name: string; p: PairedFigures; completeness: CellFigures['completeness']['post']; measure: MeasureReport; report: Report }) => {
  if (p.suppressed) {
    return (
      <tr className="govuk-table__row">
        <Th scope="row">{name}</Th>
        <Td numeric={false} colSpan={9}>{`${suppressedText(report)} pairs: figures withheld`}</Td>
      </tr>
    );
  }
  if (p.n === null || p.n === 0) {
    return (
      <tr className="govuk-table__row">
        <Th scope="row">{name}</Th>
        <Td numeric={false} colSpan={9}>
          No complete pairs
        </Td>
      </tr>
    );
  }
  const ci = p.dz_ci_lower === null || p.dz_ci_upper === null ? '' : ` [${fmtDz(p.dz_ci_lower)}, ${fmtDz(p.dz_ci_upper)}]`;
  const held = (field: string) => p.suppressed_fields.includes(field);
  const recovered = measure.clinical_rule === null ? 'no cut-off' : held('n_recovered') ? suppressedText(report) : fmtOf(p.n_recovered, p.n_clinical_pre);
  const reliable = measure.reliable_change === null ? 'no RC value' : `${fmtOf(p.n_reliable_improvement, p.n)} / ${fmtOf(p.n_reliable_deterioration, p.n)}`;
  const reliableRecovery =
    measure.reliable_change === null || measure.clinical_rule === null ? '—' : held('n_reliable_recovery') ? suppressedText(report) : fmtOf(p.n_reliable_recovery, p.n_clinical_pre);
  return (
    <tr className="govuk-table__row">
      <Th scope="row">{name}</Th>
      <Td>{p.n}</Td>
      <Td>{completeness.suppressed ? suppressedText(report) : fmtOf(completeness.numerator, completeness.denominator)}</Td>
      <Td>{`${fmtMean(p.mean_pre)} → ${fmtMean(p.mean_post)}`}</Td>
      <Td>{fmtSigned(p.mean_change)}</Td>
      <Td>{`${fmtDz(p.effect_size_dz)}${ci}`}</Td>
      <Td>{`${fmtP(p.t_test_p)} / ${fmtP(p.wilcoxon_p)}`}</Td>
      <Td>{measure.clinical_rule === null ? '—' : fmtP(p.mcnemar_p)}</Td>
      <Td>{recovered}</Td>
      <Td>{`${reliable}; reliable recovery ${reliableRecovery}`}</Td>
    </tr>
  );
};

const PairedTable = ({ measure, cells, later, caption, report }: { measure: MeasureReport; cells: Record<string, CellFigures>; later: 'post' | 'followup'; caption: string; report: Report }) => (
  <div className="tandem-table-scroll" role="region" aria-label={caption} tabIndex={0}>
    <table className="govuk-table tandem-report-table">
      <caption className="govuk-table__caption govuk-table__caption--s">{caption}</caption>
      <thead className="govuk-table__head">
        <tr className="govuk-table__row">
          {[
            '',
            'Pairs (n)',
            `Pre with a ${later === 'post' ? 'post' : 'follow-up'}`,
            'Mean pre → later',
            'Change',
            'd_z [95 % CI]',
            'p: t-test / Wilcoxon',
            'p: McNemar',
            'Recovered (of clinical at pre)',
            'Reliable improvement / deterioration (of pairs)',
          ].map((h, i) => (
            <Th key={h || i}>{h || <span className="govuk-visually-hidden">Respondents</span>}</Th>
          ))}
        </tr>
      </thead>
      <tbody className="govuk-table__body">
        {Object.entries(cells).map(([key, cell]) => (
          <PairedRow
            key={key}
            name={labelOf(key)}
            p={later === 'post' ? cell.paired : cell.paired_followup}
            completeness={cell.completeness[later]}
            measure={measure}
            report={report}
          />
        ))}
      </tbody>
    </table>
  </div>
);

const Rules = ({ measure }: { measure: MeasureReport }) => (
  <ul className="govuk-list govuk-list--bullet">
    <li>{`${measure.better === 'lower' ? 'Lower' : 'Higher'} scores are better. Change is later − pre.`}</li>
    <li>
      {measure.clinical_rule
        ? `Clinical range: ${measure.clinical_rule.text} (${measure.clinical_rule.source}).`
        : 'Clinical range: none — this scale has no validated cut-off, so clinical figures, McNemar and recovery are not shown.'}
    </li>
    <li>
      {measure.reliable_change_rule
        ? `Reliable change: ${measure.reliable_change_rule.text} (${measure.reliable_change_rule.source}).`
        : 'Reliable change: no published value for this scale, so no reliable-change categories.'}
    </li>
    {measure.valid_protocols_only ? <li>Valid protocols only: invalid protocols (lie or random responding) are left out of every figure and counted.</li> : null}
  </ul>
);

const Charts = ({ measure, page }: { measure: MeasureReport; page: ReportPage }) => {
  const charts = page.charts.filter((c) => c.instrument === measure.instrument && c.scale === measure.scale);
  if (charts.length === 0) return null;
  return (
    <div className="tandem-charts">
      {charts.map((chart) => (
        <figure className="tandem-chart" key={chart.kind} data-chart={chart.kind}>
          {/* SVG rendered by the server from the report's own figures (Vega-Lite → Vega → SVG); nothing typed by a user is in it unescaped. */}
          <div className="tandem-chart__image" dangerouslySetInnerHTML={{ __html: chart.svg }} />
          <figcaption className="govuk-body-s tandem-secondary-text">{chart.description}</figcaption>
        </figure>
      ))}
    </div>
  );
};

const MeasureSection = ({ measure, page }: { measure: MeasureReport; page: ReportPage }) => {
  const report = page.report;
  const name = `${measure.instrument_title} — ${measure.scale_label}`;
  return (
    <section className="tandem-report-measure" aria-labelledby={`m-${measure.instrument}-${measure.scale}`}>
      <h2 className="govuk-heading-l" id={`m-${measure.instrument}-${measure.scale}`}>
        {name}
      </h2>
      <Rules measure={measure} />
      <Charts measure={measure} page={page} />
      <TimepointTable measure={measure} cells={measure.by_role} caption={`${name}: each timepoint, by respondents`} report={report} rowHeading="Respondents" />
      <PairedTable measure={measure} cells={measure.by_role} later="post" caption={`${name}: pre → post, paired, by respondents`} report={report} />
      <PairedTable measure={measure} cells={measure.by_role} later="followup" caption={`${name}: pre → follow-up, paired, by respondents`} report={report} />
      {Object.keys(measure.by_site).length > 0 ? (
        <>
          <TimepointTable measure={measure} cells={measure.by_site} caption={`${name}: each timepoint, by site`} report={report} rowHeading="Site" />
          <PairedTable measure={measure} cells={measure.by_site} later="post" caption={`${name}: pre → post, paired, by site`} report={report} />
        </>
      ) : null}
      {measure.by_group && Object.keys(measure.by_group).length > 0 ? (
        <>
          <TimepointTable measure={measure} cells={measure.by_group} caption={`${name}: each timepoint, by group`} report={report} rowHeading="Group" />
          <PairedTable measure={measure} cells={measure.by_group} later="post" caption={`${name}: pre → post, paired, by group`} report={report} />
        </>
      ) : null}
    </section>
  );
};

const optionsOf = (values: readonly string[], all: string, label: (v: string) => string = (v) => v) => [{ value: '', label: all }, ...values.map((v) => ({ value: v, label: label(v) }))];

const Filters = ({ query, page }: { query: ReportQuery; page: ReportPage | null }) => {
  const { navigate } = useRouter();
  const [values, setValues] = useState({
    programme: query.programme ?? '',
    site: query.site ?? '',
    group: query.group ?? '',
    role: query.role ?? '',
    facilitator: query.facilitator ?? '',
    dose: query.dose ?? '',
  });
  const [from, setFrom] = useState<DateParts>(toParts(query.from));
  const [to, setTo] = useState<DateParts>(toParts(query.to));
  const [problems, setProblems] = useState<Record<string, string>>({});
  const options = page?.options;
  // A chosen value stays selectable even if it is no longer in the data.
  const withCurrent = (list: readonly string[] | undefined, current: string) => [...new Set([...(list ?? []), ...(current ? [current] : [])])];
  const apply = () => {
    const fromIso = fromParts(from);
    const toIso = fromParts(to);
    const found: Record<string, string> = {};
    if (fromIso === null) found.from = 'Enter the "from" date as a real date, for example 1 4 2026';
    if (toIso === null) found.to = 'Enter the "to" date as a real date, for example 30 6 2026';
    if (fromIso && toIso && fromIso > toIso) found.to = 'The "to" date must be the same as or after the "from" date';
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    navigate(`/evaluation${queryString({ ...values, from: fromIso ?? '', to: toIso ?? '' })}`);
  };
  return (
    <Form onSubmit={apply}>
      <ErrorSummary problems={{ fields: problems, general: [] }} fieldOrder={[{ name: 'from', id: 'from-day' }, { name: 'to', id: 'to-day' }]} />
      <div className="tandem-filter">
        <SelectField id="programme" label="Programme" value={values.programme} onChange={(v) => setValues({ ...values, programme: v })} options={optionsOf(withCurrent(options?.programmes, values.programme), 'All programmes')} />
        <SelectField id="site" label="Site" value={values.site} onChange={(v) => setValues({ ...values, site: v })} options={optionsOf(withCurrent(options?.sites, values.site), 'All sites')} />
        <SelectField id="group" label="Group" value={values.group} onChange={(v) => setValues({ ...values, group: v })} options={optionsOf(withCurrent(options?.groups, values.group), 'All groups')} />
        <SelectField
          id="role"
          label="Respondents"
          value={values.role}
          onChange={(v) => setValues({ ...values, role: v })}
          options={optionsOf(withCurrent(options?.roles, values.role), 'Everyone', labelOf)}
        />
        <SelectField
          id="facilitator"
          label="Facilitator"
          value={values.facilitator}
          onChange={(v) => setValues({ ...values, facilitator: v })}
          options={[{ value: '', label: 'Any facilitator' }, ...(options?.facilitators ?? []).map((f) => ({ value: f.id, label: f.name }))]}
        />
        <SelectField
          id="dose"
          label="Attendance"
          value={values.dose}
          onChange={(v) => setValues({ ...values, dose: v })}
          options={[
            { value: '', label: 'Everyone' },
            { value: 'completers', label: 'Completers only' },
          ]}
        />
      </div>
      <div className="tandem-filter">
        <DateInput id="from" legend="Completed from" value={from} onChange={setFrom} error={problems.from} hint="For example, 1 4 2026" />
        <DateInput id="to" legend="Completed up to" value={to} onChange={setTo} error={problems.to} hint="For example, 30 6 2026" />
      </div>
      <div className="govuk-button-group">
        <Button>Apply filters</Button>
        <Link className="govuk-link" href="/evaluation">
          Clear filters
        </Link>
      </div>
    </Form>
  );
};

const describeFilters = (report: Report, facilitators: readonly { id: string; name: string }[] = []): string => {
  const shown = (key: string, value: string): string => {
    if (key === 'role') return labelOf(value).toLowerCase();
    if (key === 'facilitator') return facilitators.find((f) => f.id === value)?.name ?? value;
    if (key === 'dose') return value === 'completers' ? 'completers only' : 'everyone';
    return value;
  };
  const parts = Object.entries(report.filters).flatMap(([key, value]) => (value === null ? [] : [`${key}: ${shown(key, value)}`]));
  return parts.length === 0 ? 'All questionnaires' : parts.join('; ');
};

/** The outcomes report (issue 6): filters, every instrument and scale with the n and rule behind each figure, charts, downloads. */
export const ReportPageView = () => {
  const session = useSignedIn();
  const search = useSearchParams();
  const query: ReportQuery = Object.fromEntries(FILTERS.flatMap((key) => (search.get(key) ? [[key, search.get(key) ?? '']] : [])));
  const qs = queryString(query);
  const [page] = useLoad(() => evaluationApi.reportPage(query), [session.currentOrganisation?.id, qs]);
  const loaded = page.status === 'done' ? page.data : null;
  const report = loaded?.report;
  return (
    <Page title="Outcomes report" caption={session.currentOrganisation?.name} width="full">
      <p className="govuk-body tandem-two-thirds">
        Pre, post and follow-up scores for every questionnaire in your records, with the number of people behind each figure and the rule it was built on. Paired figures use only
        people with both scores. Definitions of every figure are in the downloads.
      </p>
      {session.can('manage:returns') || session.can('export:pseudonymised') ? (
        <ul className="govuk-list">
          {session.can('manage:returns') ? (
            <li>
              <Link className="govuk-link" href="/evaluation/returns">
                Funders' returns
              </Link>
            </li>
          ) : null}
          {session.can('export:pseudonymised') ? (
            <li>
              <Link className="govuk-link" href="/evaluation/export">
                Pseudonymised export for evaluators
              </Link>
            </li>
          ) : null}
        </ul>
      ) : null}
      <Filters key={qs} query={query} page={loaded} />
      <p className="govuk-body-s tandem-secondary-text tandem-two-thirds">
        Facilitator and attendance dose (completers only) cannot be filtered yet: questionnaires are not linked to attendance records.
      </p>
      <div className="govuk-button-group">
        {(['pdf', 'html', 'csv'] as const).map((format) => (
          <a key={format} className="govuk-button govuk-button--secondary" href={`/api/evaluation/report.${format}${qs}`} download>
            {`Download ${format.toUpperCase()}`}
          </a>
        ))}
      </div>
      {page.status === 'loading' ? <Loading what="the outcomes report" /> : null}
      {page.status === 'failed' ? <LoadFailed message={isApiError(page.error) ? page.error.message : 'The report could not be produced.'} /> : null}
      {loaded && report ? (
        <>
          <p className="govuk-body" role="status">
            {`${describeFilters(report, loaded.options.facilitators)}: ${report.measures.length === 0 ? 'no questionnaires match these filters.' : `${report.measures.length} ${report.measures.length === 1 ? 'measure' : 'measures'}.`}`}
          </p>
          {report.audience === 'aggregate' ? (
            <ImportantBanner>{`Aggregate figures only. Any figure built on fewer than ${report.min_cell_size ?? 5} people is withheld and shown as "${suppressedText(report)}". Participant-level charts are not shown.`}</ImportantBanner>
          ) : null}
          {!report.groups.listed ? <p className="govuk-body">{`${report.groups.count} groups: too many to list (limit ${report.groups.limit}). Filter by programme or site to see groups.`}</p> : null}
          {report.unknown_instruments.length > 0 ? <p className="govuk-body">{`Not reported (no instrument definition): ${report.unknown_instruments.join(', ')}.`}</p> : null}
          {report.measures.map((measure) => (
            <MeasureSection key={`${measure.instrument}/${measure.scale}`} measure={measure} page={loaded} />
          ))}
        </>
      ) : null}
    </Page>
  );
};
