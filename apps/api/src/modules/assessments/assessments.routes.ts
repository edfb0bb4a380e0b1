import { AssessmentPeriodQuerySchema, IdParamsSchema, OscalExportSchema } from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { defineRoute, type RouteDefinition } from "../../http/route.ts";
import { exportAssessmentPlan, exportAssessmentResults, exportPoam } from "./assessments.service.ts";

const OSCAL_EXPORTS = [
  {
    path: "/catalogs/:id/oscal/assessment-results",
    summary: "The catalog's OSCAL 1.2.1 assessment results over a period (one finding per control and scope)",
    describe: "`{ assessment-results }`",
    build: exportAssessmentResults,
  },
  {
    path: "/catalogs/:id/oscal/assessment-plan",
    summary: "The minimal OSCAL assessment plan the assessment results of the same period import",
    describe: "`{ assessment-plan }`",
    build: exportAssessmentPlan,
  },
  {
    path: "/catalogs/:id/oscal/poam",
    summary: "The catalog's OSCAL 1.2.1 plan of action and milestones: open not-satisfied findings of the period",
    describe: "`{ plan-of-action-and-milestones }`",
    build: exportPoam,
  },
] as const;

export function assessmentRoutes(deps: AppDeps): RouteDefinition[] {
  return OSCAL_EXPORTS.map((entry) =>
    defineRoute({
      method: "get",
      path: entry.path,
      summary: entry.summary,
      tag: "Auditors",
      access: "USER",
      params: IdParamsSchema,
      query: AssessmentPeriodQuerySchema,
      responses: {
        200: { description: entry.describe, schema: OscalExportSchema },
        404: { description: "No such catalog" },
      },
      async handler({ res, params, query }) {
        res.json(await entry.build(deps, { catalogId: params.id, period: query }));
      },
    }),
  );
}
