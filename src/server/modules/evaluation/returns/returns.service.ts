/**
 * Funders' returns: saved report definitions (table funder_return) and producing one for a quarter. Producing
 * runs the ordinary outcomes report (produceReport: same figures, same audit) over the return's programme, site and
 * period, then keeps only the return's questionnaires and breakdowns.
 */
import { sql } from 'kysely';
import type { FunderReturn, FunderReturnInput } from '../../../../shared/contracts/evaluation-outputs.ts';
import type { Report } from '../../../../shared/contracts/evaluation.ts';
import type { Db, Trx } from '../../../db.ts';
import { inScope } from '../../../platform/db/scope.ts';
import { scopeOf, type Actor } from '../../../platform/http/actor.ts';
import { AppError, badField, notFound, staleVersion } from '../../../platform/http/app-error.ts';
import { recordAudit } from '../../audit/index.ts';
import { getBuiltInInstrument, localToday } from '../../measures/index.ts';
import { renderReport, type RenderedReport } from '../render/export.ts';
import { produceReport, type ReportFormat } from '../report/report.service.ts';
import { lastCompleteQuarter, periodFor, type Period } from './quarter.ts';

type Row = {
  id: string;
  name: string;
  funderName: string;
  funderId: string | null;
  instruments: string[];
  programme: string | null;
  site: string | null;
  period: 'quarter' | 'since_start';
  startDate: string | Date | null;
  breakdowns: ('role' | 'site' | 'group')[];
  version: number;
  updatedAt: Date;
};

const day = (value: string | Date | null): string | null => (value === null ? null : typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10));

const toReturn = (row: Row): FunderReturn => ({
  id: row.id,
  name: row.name,
  funderName: row.funderName,
  funderId: row.funderId,
  instruments: row.instruments,
  programme: row.programme,
  site: row.site,
  period: row.period,
  startDate: day(row.startDate),
  breakdowns: row.breakdowns,
  version: row.version,
  updatedAt: row.updatedAt.toISOString(),
});

const COLUMNS = ['id', 'name', 'funderName', 'funderId', 'instruments', 'programme', 'site', 'period', 'startDate', 'breakdowns', 'version', 'updatedAt'] as const;

const orgOf = (actor: Actor): string => {
  if (!actor.organisationId) throw new AppError('forbidden', 'Choose an organisation first');
  return actor.organisationId;
};

const checkInstruments = (input: FunderReturnInput): void => {
  input.instruments.forEach((id, i) => {
    if (!getBuiltInInstrument(id)) throw badField(`body.instruments.${i}`, `"${id}" is not a questionnaire Tandem knows`);
  });
};

const values = (input: FunderReturnInput) => ({
  name: input.name,
  funderName: input.funderName,
  instruments: [...new Set(input.instruments)],
  programme: input.programme === null || input.programme === '' ? null : input.programme,
  site: input.site === null || input.site === '' ? null : input.site,
  period: input.period,
  startDate: input.period === 'since_start' ? input.startDate : null,
  breakdowns: [...new Set(input.breakdowns)],
});

const nameTaken = async (trx: Trx, organisationId: string, name: string, except: string | null): Promise<boolean> => {
  let q = trx.selectFrom('funderReturn').select('id').where('organisationId', '=', organisationId).where('name', '=', name);
  if (except) q = q.where('id', '<>', except);
  return (await q.executeTakeFirst()) !== undefined;
};

const load = async (trx: Trx, organisationId: string, id: string): Promise<Row> => {
  const row = await trx.selectFrom('funderReturn').select(COLUMNS).where('organisationId', '=', organisationId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Funder return');
  return row as Row;
};

export const listReturns = (db: Db, actor: Actor): Promise<FunderReturn[]> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const rows = await trx.selectFrom('funderReturn').select(COLUMNS).where('organisationId', '=', orgOf(actor)).orderBy('funderName').orderBy('name').execute();
    return rows.map((r) => toReturn(r as Row));
  });

export const getReturn = (db: Db, actor: Actor, id: string): Promise<FunderReturn> =>
  inScope(db, scopeOf(actor), async (trx) => toReturn(await load(trx, orgOf(actor), id)));

export const createReturn = (db: Db, actor: Actor, input: FunderReturnInput): Promise<FunderReturn> => {
  checkInstruments(input);
  return inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    if (await nameTaken(trx, organisationId, input.name, null)) throw badField('body.name', 'another return already has this name');
    const row = await trx
      .insertInto('funderReturn')
      .values({ organisationId, ...values(input), funderId: null, createdBy: actor.userId })
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
    await recordAudit(trx, { organisationId, actorUserId: actor.userId, action: 'manage:returns', entityType: 'funder_return', entityId: row.id, ip: actor.ip, detail: { created: values(input) } });
    return toReturn(row as Row);
  });
};

export const updateReturn = (db: Db, actor: Actor, id: string, input: FunderReturnInput & { version: number }): Promise<FunderReturn> => {
  checkInstruments(input);
  return inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    await load(trx, organisationId, id);
    if (await nameTaken(trx, organisationId, input.name, id)) throw badField('body.name', 'another return already has this name');
    const row = await trx
      .updateTable('funderReturn')
      .set({ ...values(input), version: sql<number>`version + 1`, updatedAt: new Date() })
      .where('organisationId', '=', organisationId)
      .where('id', '=', id)
      .where('version', '=', input.version)
      .returning(COLUMNS)
      .executeTakeFirst();
    if (!row) throw staleVersion('This return');
    await recordAudit(trx, { organisationId, actorUserId: actor.userId, action: 'manage:returns', entityType: 'funder_return', entityId: id, ip: actor.ip, detail: { updated: values(input) } });
    return toReturn(row as Row);
  });
};

/** Keeps the return's questionnaires and breakdowns; "all respondents" always stays. */
export const trimReport = (report: Report, definition: Pick<FunderReturn, 'instruments' | 'breakdowns'>): Report => ({
  ...report,
  measures: report.measures
    .filter((m) => definition.instruments.includes(m.instrument))
    .map((m) => ({
      ...m,
      by_role: definition.breakdowns.includes('role') ? m.by_role : Object.fromEntries(Object.entries(m.by_role).filter(([key]) => key === 'all')),
      by_site: definition.breakdowns.includes('site') ? m.by_site : {},
      by_group: definition.breakdowns.includes('group') ? m.by_group : null,
    })),
});

export type ProducedReturn = { readonly definition: FunderReturn; readonly period: Period; readonly report: Report; readonly rendered: RenderedReport };

export const produceReturn = async (
  db: Db,
  actor: Actor,
  id: string,
  request: { quarter?: string | undefined; format: Exclude<ReportFormat, 'json'>; minCellSize: number; organisationName: string },
): Promise<ProducedReturn> => {
  const definition = await getReturn(db, actor, id);
  const quarter = request.quarter ?? lastCompleteQuarter(localToday());
  const period = periodFor(quarter, definition.period, definition.startDate);
  if (period.from > period.to) throw badField('query.quarter', `ends before the return's start date (${definition.startDate ?? ''})`);
  const filters = {
    ...(definition.programme ? { programme: definition.programme } : {}),
    ...(definition.site ? { site: definition.site } : {}),
    from: period.from,
    to: period.to,
  };
  const who = { scope: scopeOf(actor), actor };
  // A return goes to a funder, so it is produced as funders see reports: small numbers suppressed, no
  // participant-level scatter — whoever presses the button.
  const audience = { kind: 'aggregate' as const, minCellSize: request.minCellSize };
  const result = await produceReport(db, who, { filters, format: request.format, minCellSize: request.minCellSize, via: 'http' }, { audience });
  const report = trimReport(result.report, definition);
  const title = `${request.organisationName} · ${definition.name} for ${definition.funderName} · ${period.label}`;
  const rendered = await renderReport({ report, scatter: result.scatter }, request.format, title);
  await inScope(db, who.scope, (trx) =>
    recordAudit(trx, {
      organisationId: orgOf(actor),
      actorUserId: actor.userId,
      action: 'manage:returns',
      entityType: 'funder_return',
      entityId: definition.id,
      ip: actor.ip,
      detail: { produced: { quarter, from: period.from, to: period.to, format: request.format }, aggregate: true },
    }),
  );
  return { definition, period, report, rendered };
};
