import type { ColumnType, Generated } from 'kysely';

export type AuditEventTable = {
  seq: Generated<number>;
  organisationId: string | null;
  actorUserId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  at: ColumnType<Date, never, never>;
  ip: string | null;
  detail: ColumnType<Record<string, unknown>, string | undefined, never>;
};

export type AuditTables = { auditEvent: AuditEventTable };
