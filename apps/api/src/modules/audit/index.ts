export { auditRoutes } from "./audit.routes.ts";
export { auditOfStatement, recordAudit, type AuditChange, type StatementAuditChange } from "./audit.service.ts";
