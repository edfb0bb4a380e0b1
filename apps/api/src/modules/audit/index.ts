export { auditRoutes } from "./audit.routes.ts";
export { recordAudit, type AuditChange } from "./audit.service.ts";
