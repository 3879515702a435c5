import { useState } from 'react';
import { caseStages, type CaseStage } from '../../../shared/contracts/journey.ts';
import { isApiError } from '../../api/client.ts';
import { api, type CaseSummary } from '../../api/endpoints.ts';
import { LoadFailed, Loading } from '../../components/feedback.tsx';
import { Button, Form, SelectField } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { formatDayOf } from '../../lib/format.ts';
import { useLoad } from '../../lib/use-load.ts';
import { Link, useRouter, useSearchParams } from '../../router.tsx';
import { useSignedIn } from '../../session.tsx';
import { SafeguardingTag } from './safeguarding-tag.tsx';
import { StageTag, stageLabels } from './stage-labels.tsx';

const isStage = (value: string): value is CaseStage => (caseStages as readonly string[]).includes(value);

const CasesTable = ({ cases, caption }: { cases: CaseSummary[]; caption: string }) => (
  <div className="tandem-table-scroll" role="region" aria-label="Cases" tabIndex={0}>
    <table className="govuk-table">
      <caption className="govuk-table__caption govuk-table__caption--m">{caption}</caption>
      <thead className="govuk-table__head">
        <tr className="govuk-table__row">
          <th scope="col" className="govuk-table__header">
            Reference
          </th>
          <th scope="col" className="govuk-table__header">
            Family
          </th>
          <th scope="col" className="govuk-table__header">
            Programme
          </th>
          <th scope="col" className="govuk-table__header">
            Stage
          </th>
          <th scope="col" className="govuk-table__header">
            Case worker
          </th>
          <th scope="col" className="govuk-table__header">
            In this stage since
          </th>
        </tr>
      </thead>
      <tbody className="govuk-table__body">
        {cases.map((item) => (
          <tr className="govuk-table__row" key={item.id}>
            <th scope="row" className="govuk-table__header">
              <Link className="govuk-link" href={`/cases/${item.id}`}>
                {item.reference}
              </Link>
            </th>
            <td className="govuk-table__cell">
              {item.familyLabel}
              {item.safeguarding ? (
                <>
                  {' '}
                  <SafeguardingTag />
                </>
              ) : null}
            </td>
            <td className="govuk-table__cell">{item.programmeName ?? 'Not chosen'}</td>
            <td className="govuk-table__cell">
              <StageTag stage={item.stage} />
            </td>
            <td className="govuk-table__cell">{item.caseWorkerName ?? 'Not allocated'}</td>
            <td className="govuk-table__cell tandem-nowrap">
              <time dateTime={item.stageChangedAt}>{formatDayOf(item.stageChangedAt)}</time>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  </div>
);

/** The caseload: a case worker's own cases by default, everyone's for a manager. */
export const CasesPage = () => {
  const session = useSignedIn();
  const { navigate } = useRouter();
  const search = useSearchParams();
  const manager = session.can('allocate:case');
  const whoOptions = [
    { value: 'me', label: 'My cases' },
    { value: 'unallocated', label: 'Not allocated' },
    { value: 'all', label: manager ? 'Everyone’s cases' : 'Mine and not allocated' },
  ];
  const who = whoOptions.some((option) => option.value === search.get('caseWorker')) ? (search.get('caseWorker') ?? '') : manager ? 'all' : 'me';
  const stageParam = search.get('stage') ?? '';
  const stage = isStage(stageParam) ? stageParam : undefined;
  const [chosenWho, setChosenWho] = useState(who);
  const [chosenStage, setChosenStage] = useState(stage ?? '');
  const [cases] = useLoad(
    () => api.listCases({ caseWorker: who === 'all' ? undefined : who, stage }),
    [who, stage, session.currentOrganisation?.id],
  );

  const apply = () => {
    const params = new URLSearchParams({ caseWorker: chosenWho });
    if (chosenStage) params.set('stage', chosenStage);
    navigate(`/cases?${params.toString()}`);
  };

  const whoLabel = whoOptions.find((option) => option.value === who)?.label ?? 'Cases';
  return (
    <Page title="Cases" caption={session.currentOrganisation?.name} width="full">
      <Form onSubmit={apply}>
        <div className="tandem-filter">
          <SelectField id="cases-who" label="Whose cases" options={whoOptions} value={chosenWho} onChange={setChosenWho} />
          <SelectField
            id="cases-stage"
            label="Stage"
            options={[{ value: '', label: 'Any stage' }, ...caseStages.map((value) => ({ value, label: stageLabels[value] }))]}
            value={chosenStage}
            onChange={setChosenStage}
          />
          <Button variant="secondary">Show cases</Button>
        </div>
      </Form>
      {cases.status === 'loading' ? <Loading what="cases" /> : null}
      {cases.status === 'failed' ? <LoadFailed message={isApiError(cases.error) ? cases.error.message : 'The cases could not be loaded.'} /> : null}
      {cases.status === 'done' ? (
        cases.data.length === 0 ? (
          <p className="govuk-body" role="status">
            There are no cases to show with these filters.
          </p>
        ) : (
          <CasesTable
            cases={cases.data}
            caption={`${whoLabel}${stage ? `, ${stageLabels[stage].toLowerCase()}` : ''}: ${cases.data.length} ${cases.data.length === 1 ? 'case' : 'cases'}`}
          />
        )
      ) : null}
    </Page>
  );
};
