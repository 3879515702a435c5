/**
 * The outcomes report as a use case: read through inScope (row-level security applies on top of the explicit
 * organisation filter), assemble, and — for the audited entry points — record who viewed or exported it.
 */
import type { Report, ReportFilters } from '../../../../shared/contracts/evaluation.ts';
import type { Db, Trx } from '../../../db.ts';
import { inScope, type Scope } from '../../../platform/db/scope.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { recordAudit } from '../../audit/index.ts';
import { instrumentLibrary } from '../../measures/index.ts';
import { completerPeople, peopleFacilitatedBy } from '../../programmes/index.ts';
import { DEFAULT_MIN_CELL_SIZE } from '../stats/index.ts';
import { assembleMeasures, REPORT_DEFINITIONS, type Audience } from './assemble.ts';
import { rulesForInstruments, type MeasureRule } from './measure-rules.ts';
import {
  countGroups,
  instrumentsPresent,
  loadLayout,
  pairCells,
  prepareReportSession,
  scatterPoints,
  slotPlanOf,
  timepointCells,
  type ReportLayout,
  type ReportScope,
  type SlotPlan,
} from './report.queries.ts';

/** Above this many groups the report lists no per-group breakdown (filter by programme or site to see them). */
export const DEFAULT_GROUP_LIMIT = 100;

export type ReportOptions = {
  readonly audience?: Audience;
  readonly groupLimit?: number;
  /** Fixed clock for tests and reproducible exports. */
  readonly now?: Date;
};

/** One participant-level point of the Jacobson–Truax scatter, with how many people share it. */
export type ScatterPoint = { readonly pre: number; readonly post: number; readonly n: number };

/** The report plus what only the charts need: per measure ("instrument/scale"), the pre→post points. */
export type ReportWithCharts = { readonly report: Report; readonly scatter: ReadonlyMap<string, readonly ScatterPoint[]> };

export const scatterKey = (instrument: string, scale: string): string => `${instrument}/${scale}`;

const echoFilters = (filters: ReportScope): Report['filters'] => ({
  programme: filters.programme ?? null,
  site: filters.site ?? null,
  group: filters.group ?? null,
  role: filters.role ?? null,
  from: filters.from ?? null,
  to: filters.to ?? null,
  facilitator: filters.facilitator ?? null,
  dose: filters.dose ?? null,
});

/**
 * The facilitator and dose filters as the people they stand for (read from programmes in the caller's scope); both
 * given, a respondent must be in both. Questionnaires whose respondent is not linked to a person (imported ones)
 * drop out under either.
 */
const resolveFilters = async (db: Db, scope: Scope, organisationId: string, filters: ReportScope): Promise<ReportScope> => {
  const dose = filters.dose ?? 'all';
  if (filters.facilitator === undefined && dose === 'all') return filters;
  return inScope(db, scope, async (trx) => {
    let people: string[] | null = null;
    if (filters.facilitator !== undefined) people = await peopleFacilitatedBy(trx, organisationId, filters.facilitator);
    if (dose === 'completers') {
      const completers = await completerPeople(trx, organisationId);
      const already = people === null ? null : new Set(people);
      people = already === null ? completers : completers.filter((id) => already.has(id));
    }
    return { ...filters, personIds: people ?? [] };
  });
};

type Prepared = { rules: MeasureRule[]; unknown: string[]; plan: SlotPlan };

const prepare = async (trx: Trx, organisationId: string): Promise<Prepared> => {
  await prepareReportSession(trx);
  const library = await instrumentLibrary(trx, organisationId);
  const { rules, unknown } = rulesForInstruments(await instrumentsPresent(trx, organisationId), (id) => library.get(id));
  return { rules, unknown, plan: slotPlanOf(rules) };
};

/**
 * Runs independent read statements at once, each in its own read transaction: on PostgreSQL they get separate
 * connections and so separate cores (on top of parallel query inside each); on PGlite, one connection, they queue.
 * The statements read separate snapshots — immaterial for a statistical report, and the same rows unless
 * questionnaires are being saved at that very moment.
 */
const concurrently = <A, B>(db: Db, scope: Scope, first: (trx: Trx) => Promise<A>, second: (trx: Trx) => Promise<B>): Promise<[A, B]> => {
  const run = <T>(work: (trx: Trx) => Promise<T>): Promise<T> =>
    inScope(db, scope, async (trx) => {
      await prepareReportSession(trx);
      return work(trx);
    });
  return Promise.all([run(first), run(second)]);
};

const reportFor = async (db: Db, scope: Scope, organisationId: string, asked: ReportScope, options: ReportOptions, prepared: Prepared): Promise<Report> => {
  const filters = await resolveFilters(db, scope, organisationId, asked);
  const audience = options.audience ?? { kind: 'full' };
  const groupLimit = options.groupLimit ?? DEFAULT_GROUP_LIMIT;
  const { layout, groupCount } = await inScope(db, scope, async (trx) => {
    await prepareReportSession(trx);
    const found = await loadLayout(trx, organisationId, filters, prepared.plan);
    return { layout: found, groupCount: prepared.rules.length === 0 ? 0 : await countGroups(trx, organisationId, filters, found) };
  });
  const withGroups = groupCount <= groupLimit;
  const [timepointRows, pairRows] = await concurrently(
    db,
    scope,
    (trx) => timepointCells(trx, organisationId, filters, layout, withGroups),
    (trx) => pairCells(trx, organisationId, filters, layout, withGroups),
  );
  const measures = assembleMeasures({ rules: prepared.rules, plan: prepared.plan, timepointRows, pairRows, withGroups, audience, filters });
  return {
    filters: echoFilters(filters),
    generated_at: (options.now ?? new Date()).toISOString(),
    audience: audience.kind,
    min_cell_size: audience.kind === 'aggregate' ? audience.minCellSize : null,
    groups: { count: groupCount, listed: withGroups, limit: groupLimit },
    definitions: REPORT_DEFINITIONS,
    measures,
    unknown_instruments: prepared.unknown,
  };
};

const prepared = (db: Db, scope: Scope, organisationId: string): Promise<Prepared> => inScope(db, scope, (trx) => prepare(trx, organisationId));

/**
 * The report for one organisation. Not audited by itself: people get it through produceReport, which records
 * the audit event.
 */
export const buildReport = async (db: Db, scope: Scope, filters: ReportScope, options: ReportOptions = {}): Promise<Report> => {
  const organisationId = scope.organisationId;
  if (!organisationId) throw new Error('buildReport needs an organisation');
  return reportFor(db, scope, organisationId, filters, options, await prepared(db, scope, organisationId));
};

const scatterFor = async (db: Db, scope: Scope, organisationId: string, asked: ReportFilters, prep: Prepared): Promise<Map<string, ScatterPoint[]>> => {
  const filters = await resolveFilters(db, scope, organisationId, asked);
  const rows = await inScope(db, scope, async (trx) => {
    await prepareReportSession(trx);
    const layout: ReportLayout = await loadLayout(trx, organisationId, filters, prep.plan);
    return scatterPoints(trx, organisationId, filters, layout);
  });
  const scatter = new Map<string, ScatterPoint[]>();
  for (const row of rows) {
    const rule = prep.plan.byInstrument.get(row.instrumentId)?.[row.slot];
    if (!rule) continue;
    const key = scatterKey(rule.instrument, rule.scale);
    scatter.set(key, [...(scatter.get(key) ?? []), { pre: Number(row.pre), post: Number(row.post), n: Number(row.n) }]);
  }
  return scatter;
};

/** Who sees what: commissioners see aggregates only, with small numbers suppressed (docs/evaluation.md §9). */
export const audienceFor = (actor: Pick<Actor, 'role'>, minCellSize: number = DEFAULT_MIN_CELL_SIZE): Audience =>
  actor.role === 'commissioner' ? { kind: 'aggregate', minCellSize } : { kind: 'full' };

export type ReportFormat = 'json' | 'html' | 'pdf' | 'csv';

export type ReportRequest = {
  readonly filters: ReportFilters;
  readonly format: ReportFormat;
  readonly minCellSize?: number;
  readonly via: 'http' | 'cli';
  /** Read the scatter points for a JSON report too (the report page draws the charts itself). */
  readonly charts?: boolean;
};

/**
 * The report for a person (HTTP) or the command line, audited. The audit event is
 * about an aggregate, not a family: it names the filters and the format, never any person, and says so.
 * Participant-level scatter points are read only for chart formats and never for aggregate-only audiences.
 */
export const produceReport = async (
  db: Db,
  who: { readonly scope: Scope; readonly actor: Pick<Actor, 'role' | 'userId' | 'ip'> | null },
  request: ReportRequest,
  options: ReportOptions = {},
): Promise<ReportWithCharts> => {
  const organisationId = who.scope.organisationId;
  if (!organisationId) throw new Error('produceReport needs an organisation');
  const audience = options.audience ?? (who.actor ? audienceFor(who.actor, request.minCellSize) : { kind: 'full' as const });
  const prep = await prepared(db, who.scope, organisationId);
  const report = await reportFor(db, who.scope, organisationId, request.filters, { ...options, audience }, prep);
  const wantsCharts = request.charts ?? (request.format === 'html' || request.format === 'pdf');
  const scatter = wantsCharts && audience.kind === 'full' ? await scatterFor(db, who.scope, organisationId, request.filters, prep) : new Map<string, ScatterPoint[]>();
  // Recorded once the report has been read, before it is returned: no report leaves without its audit event.
  await inScope(db, who.scope, (trx) =>
    recordAudit(trx, {
      organisationId,
      actorUserId: who.actor?.userId ?? null,
      action: request.format === 'json' ? 'view:evaluation' : 'export:evaluation',
      entityType: 'evaluation_report',
      entityId: null,
      ip: who.actor?.ip ?? null,
      detail: {
        aggregate: true,
        note: 'aggregate outcomes report: no individual record was shown',
        format: request.format,
        via: request.via,
        audience: audience.kind,
        filters: report.filters,
        measures: report.measures.length,
      },
    }),
  );
  return { report, scatter };
};
