import {
  AssessmentPeriodQuerySchema,
  IdParamsSchema,
  OscalExportSchema,
  PeriodReportQuerySchema,
} from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { defineRoute, type RouteDefinition } from "../../http/route.ts";
import { bufferedTextWriter } from "../../lib/buffered-text-writer.ts";
import { exportAssessmentPlan, exportPoam, streamAssessmentResults } from "./assessments.service.ts";
import { writePeriodReport } from "./period-report.service.ts";

const OSCAL_EXPORTS = [
  {
    path: "/catalogs/:id/oscal/assessment-results",
    summary: "The catalog's OSCAL 1.2.1 assessment results over a period (one finding per control and scope)",
    describe: "`{ assessment-results }`",
    // None: written as it is read (streamAssessmentResults), as a year of a large catalog is hundreds of megabytes.
    build: null,
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
  return [...oscalRoutes(deps), reportRoute(deps)];
}

function reportRoute(deps: AppDeps): RouteDefinition {
  return defineRoute({
    method: "get",
    path: "/catalogs/:id/report",
    summary: "The catalog's period report (PDF drawn with pdfkit, or standalone HTML), as in its evidence packs",
    tag: "Auditors",
    access: "USER",
    params: IdParamsSchema,
    query: PeriodReportQuerySchema,
    responses: { 200: { description: "application/pdf or text/html" }, 404: { description: "No such catalog" } },
    async handler({ res, params, query }) {
      const onReady = () => {
        res.setHeader("content-type", query.format === "html" ? "text/html; charset=utf-8" : "application/pdf");
        if (query.format === "pdf") res.setHeader("content-disposition", `inline; filename="report-${params.id}.pdf"`);
      };
      await writePeriodReport(deps, { catalogId: params.id, query, output: res, onReady });
    },
  });
}

function oscalRoutes(deps: AppDeps): RouteDefinition[] {
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
        const input = { catalogId: params.id, period: query };
        if (entry.build) return void res.json(await entry.build(deps, input));
        const output = bufferedTextWriter(res);
        await streamAssessmentResults(deps, {
          ...input,
          onReady: () => res.type("application/json"),
          write: output.write,
        });
        await output.flush();
        res.end();
      },
    }),
  );
}
