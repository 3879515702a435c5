/**
 * The pseudonymised export as a use case: read the administrations (numbers and labels only), key the people,
 * write the CSV, and audit — one event for the export and one per person whose questionnaires are in it, so a
 * subject access request can tell them their answers went to an evaluator.
 */
import { stringify } from 'csv-stringify/sync';
import type { PseudonymisedExportQuery } from '../../../../shared/contracts/evaluation-outputs.ts';
import type { Db } from '../../../db.ts';
import { inScope } from '../../../platform/db/scope.ts';
import { scopeOf, type Actor } from '../../../platform/http/actor.ts';
import { recordAudit, recordAuditMany } from '../../audit/index.ts';
import { getBuiltInInstrument, type InstrumentDefinition } from '../../measures/index.ts';
import { exportKeyer, headerOf, pseudonymisedRow, variableColumns, type SourceRow } from './pseudonymise.ts';

const AUDIT_BATCH = 1000;

const parsed = (value: unknown): Record<string, unknown> =>
  (typeof value === 'string' ? (JSON.parse(value) as Record<string, unknown>) : ((value as Record<string, unknown> | null) ?? {}));

const isoDay = (value: string | Date): string => (typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10));

export type PseudonymisedExport = { readonly csv: string; readonly rows: number; readonly people: number };

export const pseudonymisedExport = async (db: Db, actor: Actor, filters: PseudonymisedExportQuery): Promise<PseudonymisedExport> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = actor.organisationId;
    if (!organisationId) throw new Error('pseudonymisedExport needs an organisation');
    let query = trx
      .selectFrom('administration')
      // Deliberately no join to respondent (its external reference identifies people) and no other table.
      .select([
        'id',
        'respondentId',
        'subjectRef',
        'familyRef',
        'respondentRole',
        'programme',
        'site',
        'groupLabel',
        'instrumentId',
        'instrumentVersion',
        'timepoint',
        'completedOn',
        'source',
        'status',
        'valid',
        'responses',
        'scores',
      ])
      .where('organisationId', '=', organisationId);
    if (filters.programme !== undefined) query = query.where('programme', '=', filters.programme);
    if (filters.site !== undefined) query = query.where('site', '=', filters.site);
    if (filters.instrument !== undefined) query = query.where('instrumentId', '=', filters.instrument);
    if (filters.from !== undefined) query = query.where('completedOn', '>=', filters.from);
    if (filters.to !== undefined) query = query.where('completedOn', '<=', filters.to);
    const records = await query.orderBy('instrumentId').orderBy('completedOn').orderBy('id').execute();

    const instruments = [...new Set(records.map((r) => r.instrumentId))]
      .map((id) => getBuiltInInstrument(id))
      .filter((i): i is InstrumentDefinition => i !== undefined);
    const known = new Set(instruments.map((i) => i.id));
    const columns = variableColumns(instruments);
    const key = exportKeyer();
    const rows = records
      // An instrument Tandem has no definition for has no known columns, so nothing of it is exported.
      .filter((r) => known.has(r.instrumentId))
      .map((r) => {
        const source: SourceRow = {
          respondentId: r.respondentId,
          subjectRef: r.subjectRef,
          familyRef: r.familyRef,
          respondentRole: r.respondentRole,
          programme: r.programme,
          site: r.site,
          groupLabel: r.groupLabel,
          instrumentId: r.instrumentId,
          instrumentVersion: r.instrumentVersion,
          timepoint: r.timepoint,
          completedOn: isoDay(r.completedOn as string | Date),
          source: r.source,
          status: r.status,
          valid: r.valid,
          responses: parsed(r.responses),
          scores: parsed(r.scores),
        };
        return pseudonymisedRow(source, key, columns);
      });
    const csv = stringify(rows, { header: true, columns: headerOf(columns) });

    const respondents = [...new Set(records.filter((r) => known.has(r.instrumentId)).map((r) => r.respondentId))];
    const exportedAt = new Date().toISOString();
    await recordAudit(trx, {
      organisationId,
      actorUserId: actor.userId,
      action: 'export:pseudonymised',
      entityType: 'pseudonymised_export',
      entityId: null,
      ip: actor.ip,
      detail: { filters, rows: rows.length, people: respondents.length, datesReducedTo: 'month', exportedAt },
    });
    for (let i = 0; i < respondents.length; i += AUDIT_BATCH) {
      await recordAuditMany(
        trx,
        respondents.slice(i, i + AUDIT_BATCH).map((respondentId) => ({
          organisationId,
          actorUserId: actor.userId,
          action: 'export:pseudonymised',
          entityType: 'respondent',
          entityId: respondentId,
          ip: actor.ip,
          detail: { note: 'questionnaires included in a pseudonymised export (keyed, dates to the month)', exportedAt },
        })),
      );
    }
    return { csv, rows: rows.length, people: respondents.length };
  });
