export { auditRoutes } from "./audit.routes.ts";
export { recordAudit } from "./audit.service.ts";
