/**
 * The report page's one call: the audited report (produceReport, unchanged), its charts rendered to SVG, and the
 * values the filters can take. One request, so the page shows figures and charts from the same reading.
 */
import type { ReportFilters } from '../../../../shared/contracts/evaluation.ts';
import type { ReportFilterOptions, ReportPage } from '../../../../shared/contracts/evaluation-outputs.ts';
import { respondentRoles } from '../../../../shared/contracts/evaluation.ts';
import type { Db } from '../../../db.ts';
import { inScope, type Scope } from '../../../platform/db/scope.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { sessionFacilitators } from '../../programmes/index.ts';
import { produceReport } from '../report/report.service.ts';
import { reportCharts } from './charts.ts';

const GROUP_OPTIONS_LIMIT = 200;

/** Programmes, sites, groups and respondent roles that occur in the organisation's questionnaires; staff who facilitated. */
export const filterOptions = (db: Db, scope: Scope, organisationId: string): Promise<ReportFilterOptions> =>
  inScope(db, scope, async (trx) => {
    const base = trx.selectFrom('administration').where('organisationId', '=', organisationId);
    // One after another: the reads share one transaction, so one connection.
    const programmes = await base.select('programme as value').distinct().where('programme', '<>', '').orderBy('programme').execute();
    const sites = await base.select('site as value').distinct().where('site', 'is not', null).where('site', '<>', '').orderBy('site').execute();
    const groups = await base.select('groupLabel as value').distinct().where('groupLabel', '<>', '').orderBy('groupLabel').limit(GROUP_OPTIONS_LIMIT).execute();
    const roles = await base.select('respondentRole as value').distinct().execute();
    const present = new Set(roles.map((r) => r.value));
    const facilitators = await sessionFacilitators(trx, organisationId);
    return {
      facilitators,
      programmes: programmes.map((r) => r.value),
      sites: sites.flatMap((r) => (r.value === null ? [] : [r.value])),
      groups: groups.map((r) => r.value),
      roles: respondentRoles.filter((role) => present.has(role)),
    };
  });

export const produceReportPage = async (
  db: Db,
  who: { readonly scope: Scope; readonly actor: Pick<Actor, 'role' | 'userId' | 'ip'> },
  filters: ReportFilters,
  minCellSize: number,
): Promise<ReportPage> => {
  const organisationId = who.scope.organisationId;
  if (!organisationId) throw new Error('produceReportPage needs an organisation');
  // Audited inside produceReport (view:evaluation); the scatter is read only for full audiences.
  const { report, scatter } = await produceReport(db, who, { filters, format: 'json', charts: true, minCellSize, via: 'http' });
  const [charts, options] = await Promise.all([reportCharts(report.measures, scatter), filterOptions(db, who.scope, organisationId)]);
  return { report, charts, options };
};
