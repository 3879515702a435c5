/** Audit: the append-only trail of who read or changed personal data. Other modules call recordAudit. */
export { recordAudit, recordAuditMany, type AuditEntry } from './record-audit.ts';
export { auditRoutes } from './audit.routes.ts';
export type { AuditTables } from './audit.tables.ts';
