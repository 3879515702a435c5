import type { z } from 'zod';
import type { AuditQuery, auditPage } from '../../../shared/contracts/audit.ts';
import type { Db } from '../../db.ts';
import { inScope } from '../../platform/db/scope.ts';
import { scopeOf, type Actor } from '../../platform/http/actor.ts';
import { recordAudit } from './record-audit.ts';

/**
 * "Who viewed this family?" The query filters by organisation explicitly, and row-level security would hide
 * another organisation's events even if it did not. Searching the trail is itself recorded.
 */
export const searchAudit = async (db: Db, actor: Actor, query: AuditQuery): Promise<z.infer<typeof auditPage>> => {
  const organisationId = actor.organisationId;
  if (!organisationId) return { events: [], nextBefore: null };
  return inScope(db, scopeOf(actor), async (trx) => {
    let q = trx
      .selectFrom('auditEvent')
      .leftJoin('appUser', 'appUser.id', 'auditEvent.actorUserId')
      .select([
        'auditEvent.seq',
        'auditEvent.at',
        'auditEvent.actorUserId',
        'appUser.name as actorName',
        'auditEvent.action',
        'auditEvent.entityType',
        'auditEvent.entityId',
        'auditEvent.ip',
        'auditEvent.detail',
      ])
      .where('auditEvent.organisationId', '=', organisationId);
    if (query.entityType) q = q.where('auditEvent.entityType', '=', query.entityType);
    if (query.entityId) q = q.where('auditEvent.entityId', '=', query.entityId);
    if (query.actorUserId) q = q.where('auditEvent.actorUserId', '=', query.actorUserId);
    if (query.action) q = q.where('auditEvent.action', '=', query.action);
    if (query.from) q = q.where('auditEvent.at', '>=', new Date(`${query.from}T00:00:00Z`));
    if (query.to) q = q.where('auditEvent.at', '<', new Date(new Date(`${query.to}T00:00:00Z`).getTime() + 86_400_000));
    if (query.before) q = q.where('auditEvent.seq', '<', query.before);
    const rows = await q.orderBy('auditEvent.seq', 'desc').limit(query.limit + 1).execute();
    const page = rows.slice(0, query.limit);
    await recordAudit(trx, {
      organisationId,
      actorUserId: actor.userId,
      action: 'search:audit',
      entityType: 'audit_event',
      entityId: null,
      ip: actor.ip,
      detail: { filters: { ...query } },
    });
    return {
      events: page.map((row) => ({ ...row, at: row.at.toISOString() })),
      nextBefore: rows.length > query.limit ? (page.at(-1)?.seq ?? null) : null,
    };
  });
};
