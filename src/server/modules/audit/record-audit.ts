import type { Trx } from '../../db.ts';

export type AuditEntry = {
  organisationId: string | null;
  actorUserId: string | null;
  action: string;
  entityType: string;
  entityId?: string | null;
  ip?: string | null;
  detail?: Record<string, unknown>;
};

/**
 * Appends one audit row in the caller's transaction, so the record of an action and the action itself commit
 * or roll back together. Action names match permission names (`view:user`, `create:user`, ...).
 */
export const recordAudit = async (trx: Trx, entry: AuditEntry): Promise<void> => recordAuditMany(trx, [entry]);

export const recordAuditMany = async (trx: Trx, entries: AuditEntry[]): Promise<void> => {
  if (entries.length === 0) return;
  await trx
    .insertInto('auditEvent')
    .values(
      entries.map((entry) => ({
        organisationId: entry.organisationId,
        actorUserId: entry.actorUserId,
        action: entry.action,
        entityType: entry.entityType,
        entityId: entry.entityId ?? null,
        ip: entry.ip ?? null,
        detail: JSON.stringify(entry.detail ?? {}),
      })),
    )
    .execute();
};
