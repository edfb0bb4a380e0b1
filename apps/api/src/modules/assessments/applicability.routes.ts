import {
  IdParamsSchema,
  SetApplicabilityBodySchema,
  SoaFormatQuerySchema,
  SoaRowSchema,
  StatementOfApplicabilitySchema,
} from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { defineRoute, type RouteDefinition } from "../../http/route.ts";
import { getStatementOfApplicability, setRequirementApplicability, soaCsv, soaXlsx } from "./applicability.service.ts";

const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

export function applicabilityRoutes(deps: AppDeps): RouteDefinition[] {
  return [
    defineRoute({
      method: "get",
      path: "/frameworks/:id/statement-of-applicability",
      summary: "The framework's Statement of Applicability (JSON, CSV or XLSX)",
      tag: "Auditors",
      access: "USER",
      params: IdParamsSchema,
      query: SoaFormatQuerySchema,
      responses: {
        200: { description: "JSON, or the CSV / XLSX file", schema: StatementOfApplicabilitySchema },
        404: { description: "No such framework" },
      },
      async handler({ res, params, query }) {
        const statement = await getStatementOfApplicability(deps, params.id);
        if (query.format === "json") return void res.json(statement);
        const name = `statement-of-applicability-${params.id}.${query.format}`;
        res.setHeader("content-disposition", `attachment; filename="${name}"`);
        if (query.format === "csv") return void res.type("text/csv; charset=utf-8").send(soaCsv(statement));
        res.type(XLSX_TYPE).send(await soaXlsx(statement));
      },
    }),
    defineRoute({
      method: "put",
      path: "/requirements/:id/applicability",
      summary: "Decide whether a requirement applies, with its justification (audited)",
      tag: "Auditors",
      access: "DEVELOPER",
      params: IdParamsSchema,
      body: SetApplicabilityBodySchema,
      responses: {
        200: { description: "The requirement's row", schema: SoaRowSchema },
        404: { description: "No such requirement" },
      },
      async handler({ res, actor, params, body }) {
        res.json(await setRequirementApplicability(deps, actor, { requirementId: params.id, body }));
      },
    }),
  ];
}
