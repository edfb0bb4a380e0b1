import { AuditListQuerySchema, AuditPageSchema } from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { defineRoute, type RouteDefinition } from "../../http/route.ts";
import { listAudit } from "./audit.service.ts";

export function auditRoutes(deps: AppDeps): RouteDefinition[] {
  return [
    defineRoute({
      method: "get",
      path: "/audit",
      summary: "List the audit trail (who changed what, when, before and after)",
      tag: "Audit",
      access: "ADMIN",
      query: AuditListQuerySchema,
      responses: { 200: { description: "A page of audit entries", schema: AuditPageSchema } },
      async handler({ res, query }) {
        res.json(await listAudit(deps.db, query));
      },
    }),
  ];
}
