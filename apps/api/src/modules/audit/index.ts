export { auditRoutes } from "./audit.routes.ts";
export {
  auditOfStatement,
  auditOfStatementEach,
  recordAudit,
  type AuditChange,
  type StatementAuditChange,
} from "./audit.service.ts";
