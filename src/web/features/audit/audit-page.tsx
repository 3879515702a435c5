import { useState } from 'react';
import { auditQuery } from '../../../shared/contracts/audit.ts';
import type { StaffMember } from '../../../shared/contracts/identity.ts';
import { isApiError } from '../../api/client.ts';
import { api, type AuditEvent, type AuditPage as AuditResults } from '../../api/endpoints.ts';
import { LoadFailed, Loading } from '../../components/feedback.tsx';
import { Button, ErrorSummary, Form, SelectField, TextField } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { hasProblems, noProblems, problemsFromError, problemsFromZod, type FormProblems } from '../../lib/form-problems.ts';
import { useLoad, type Loaded } from '../../lib/use-load.ts';
import { Link, useRouter, useSearchParams } from '../../router.tsx';
import { useSignedIn } from '../../session.tsx';

const filterNames = ['entityType', 'entityId', 'actorUserId', 'action', 'from', 'to'] as const;
type FilterName = (typeof filterNames)[number];
type Filters = Record<FilterName, string>;

const labels: Record<FilterName | 'before' | 'limit', string> = {
  entityType: 'Record type',
  entityId: 'Record ID',
  actorUserId: 'Person',
  action: 'Action',
  from: 'From date',
  to: 'To date',
  before: 'Page',
  limit: 'Number of events',
};
const fieldOrder = filterNames.map((name) => ({ name, id: `audit-${name}` }));

const filtersFrom = (search: URLSearchParams): Filters =>
  Object.fromEntries(filterNames.map((name) => [name, search.get(name) ?? ''])) as Filters;

const hrefWith = (filters: Partial<Filters>, before?: number): string => {
  const params = new URLSearchParams();
  for (const name of filterNames) {
    const value = filters[name]?.trim();
    if (value) params.set(name, value);
  }
  if (before !== undefined) params.set('before', String(before));
  const text = params.toString();
  return text ? `/audit?${text}` : '/audit';
};

const formatWhen = (iso: string): string => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'medium' });
};

const describeDetail = (detail: Record<string, unknown>): string => (Object.keys(detail).length === 0 ? '' : JSON.stringify(detail));

type SearchOutcome = { problems: FormProblems; results: AuditResults | null };

const search = async (params: URLSearchParams): Promise<SearchOutcome> => {
  const given = Object.fromEntries([...params.entries()].filter(([, value]) => value.trim() !== ''));
  const parsed = auditQuery.safeParse(given);
  if (!parsed.success) return { problems: problemsFromZod(parsed.error, labels), results: null };
  try {
    return { problems: noProblems, results: await api.searchAudit(parsed.data) };
  } catch (error) {
    if (isApiError(error) && error.status === 400) return { problems: problemsFromError(error, labels), results: null };
    throw error;
  }
};

const SearchForm = ({ initial, problems, staff }: { initial: Filters; problems: FormProblems; staff: Loaded<StaffMember[]> }) => {
  const { navigate } = useRouter();
  const [filters, setFilters] = useState<Filters>(initial);
  const field = (name: FilterName) => ({
    id: `audit-${name}`,
    name,
    label: labels[name],
    value: filters[name],
    onChange: (value: string) => setFilters((previous) => ({ ...previous, [name]: value })),
    error: problems.fields[name],
  });
  const people =
    staff.status === 'done'
      ? [{ value: '', label: 'Anyone' }, ...staff.data.map((person) => ({ value: person.id, label: `${person.name} (${person.email})` }))]
      : null;
  // Someone who left the organisation is not in the staff list but may still be searched for by ID.
  const personKnown = people?.some((option) => option.value === filters.actorUserId) ?? false;

  return (
    <Form onSubmit={() => navigate(hrefWith(filters))}>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-one-half">
          <TextField {...field('entityType')} hint="For example, user or family" spellCheck={false} autoComplete="off" />
        </div>
        <div className="govuk-grid-column-one-half">
          <TextField {...field('entityId')} hint="The record’s ID, as shown in its address" spellCheck={false} autoComplete="off" />
        </div>
      </div>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-one-half">
          {people && personKnown ? (
            <SelectField {...field('actorUserId')} hint="Who did it" options={people} />
          ) : (
            <TextField {...field('actorUserId')} hint="The person’s user ID" spellCheck={false} autoComplete="off" />
          )}
        </div>
        <div className="govuk-grid-column-one-half">
          <TextField {...field('action')} hint="For example, view:user, create:user or sign_in" spellCheck={false} autoComplete="off" />
        </div>
      </div>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-one-half">
          <TextField {...field('from')} hint="For example, 2026-03-01" width="10" autoComplete="off" />
        </div>
        <div className="govuk-grid-column-one-half">
          <TextField {...field('to')} hint="For example, 2026-03-31" width="10" autoComplete="off" />
        </div>
      </div>
      <div className="govuk-button-group">
        <Button>Search</Button>
        <Link className="govuk-link" href="/audit">
          Clear filters
        </Link>
      </div>
    </Form>
  );
};

const EventsTable = ({ events, filters }: { events: AuditEvent[]; filters: Filters }) => (
  <div className="tandem-table-scroll" role="region" aria-label="Audit events" tabIndex={0}>
    <table className="govuk-table govuk-body-s">
      <caption className="govuk-table__caption govuk-table__caption--m">Audit events, newest first</caption>
      <thead className="govuk-table__head">
        <tr className="govuk-table__row">
          <th scope="col" className="govuk-table__header">
            When
          </th>
          <th scope="col" className="govuk-table__header">
            Who
          </th>
          <th scope="col" className="govuk-table__header">
            Action
          </th>
          <th scope="col" className="govuk-table__header">
            Record
          </th>
          <th scope="col" className="govuk-table__header">
            From
          </th>
          <th scope="col" className="govuk-table__header">
            Details
          </th>
        </tr>
      </thead>
      <tbody className="govuk-table__body">
        {events.map((event) => (
          <tr className="govuk-table__row" key={event.seq}>
            <td className="govuk-table__cell tandem-nowrap">
              <time dateTime={event.at}>{formatWhen(event.at)}</time>
            </td>
            <td className="govuk-table__cell">
              {event.actorUserId ? (
                <Link className="govuk-link" href={hrefWith({ ...filters, actorUserId: event.actorUserId })}>
                  {event.actorName ?? event.actorUserId}
                  <span className="govuk-visually-hidden">: show only their events</span>
                </Link>
              ) : (
                'Nobody signed in'
              )}
            </td>
            <td className="govuk-table__cell">
              <code>{event.action}</code>
            </td>
            <td className="govuk-table__cell tandem-break-anywhere">
              {event.entityId ? (
                <Link className="govuk-link" href={hrefWith({ entityType: event.entityType, entityId: event.entityId })}>
                  {event.entityType} {event.entityId}
                  <span className="govuk-visually-hidden">: show everything done to this record</span>
                </Link>
              ) : (
                event.entityType
              )}
            </td>
            <td className="govuk-table__cell">{event.ip ?? ''}</td>
            <td className="govuk-table__cell tandem-break-anywhere">
              <code>{describeDetail(event.detail)}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  </div>
);

export const AuditPage = () => {
  const session = useSignedIn();
  const params = useSearchParams();
  const { location } = useRouter();
  const filters = filtersFrom(params);
  const before = params.get('before');
  const [outcome] = useLoad(() => search(params), [location.search, session.currentOrganisation?.id]);
  const [staff] = useLoad(
    () => (session.can('view:users') ? api.listUsers() : Promise.reject(new Error('no permission to list staff'))),
    [session.currentOrganisation?.id],
  );
  const problems = outcome.status === 'done' ? outcome.data.problems : noProblems;

  return (
    <Page title="Audit trail" caption={session.currentOrganisation?.name} width="full" hasErrors={hasProblems(problems)}>
      <p className="govuk-body tandem-two-thirds">
        Every time someone views or changes a record in Tandem, it is written here and cannot be changed. Search by record to see who viewed a
        family, or by person to see what they did.
      </p>
      <ErrorSummary problems={problems} fieldOrder={fieldOrder} />
      <SearchForm key={location.search} initial={filters} problems={problems} staff={staff} />

      {outcome.status === 'loading' ? <Loading what="audit events" /> : null}
      {outcome.status === 'failed' ? (
        <LoadFailed message={isApiError(outcome.error) ? outcome.error.message : 'The audit trail could not be searched.'} />
      ) : null}
      {outcome.status === 'done' && outcome.data.results ? (
        <>
          <p className="govuk-body" role="status">
            {outcome.data.results.events.length === 0
              ? 'No events match these filters.'
              : `Showing ${outcome.data.results.events.length} ${outcome.data.results.events.length === 1 ? 'event' : 'events'}${before ? ', older page' : ''}.`}
          </p>
          {outcome.data.results.events.length > 0 ? <EventsTable events={outcome.data.results.events} filters={filters} /> : null}
          {outcome.data.results.nextBefore !== null || before ? (
            <nav className="govuk-pagination" aria-label="Audit trail pages">
              {before ? (
                <div className="govuk-pagination__prev">
                  <Link className="govuk-link govuk-pagination__link" href={hrefWith(filters)} rel="prev">
                    <span className="govuk-pagination__link-title">Newest events</span>
                  </Link>
                </div>
              ) : null}
              {outcome.data.results.nextBefore !== null ? (
                <div className="govuk-pagination__next">
                  <Link className="govuk-link govuk-pagination__link" href={hrefWith(filters, outcome.data.results.nextBefore)} rel="next">
                    <span className="govuk-pagination__link-title">Older events</span>
                  </Link>
                </div>
              ) : null}
            </nav>
          ) : null}
        </>
      ) : null}
    </Page>
  );
};
