import type { AssessmentPeriodQuery } from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { requireCatalog } from "../catalogs/index.ts";
import { listCatalogMappings } from "../frameworks/index.ts";
import { listAssessedControls, listAssessedPoints } from "./assessments.repository.ts";
import { buildAssessmentPlan, buildAssessmentResults, buildPoam } from "./oscal-documents.ts";
import { assessPeriod, type FindingSummary, type PeriodData } from "./period-assessment.ts";
import { listExceptionsOfPoints } from "./point-exceptions.ts";

/** A catalog and period, read once: the data and its findings, from which every export is built. */
export interface AssessedPeriod {
  data: PeriodData;
  findings: FindingSummary[];
}

/** Reads everything the exports of one catalog and period need (404 when the catalog does not exist). */
export async function assessCatalogPeriod(
  deps: Pick<AppDeps, "db" | "now">,
  input: { catalogId: string; period: AssessmentPeriodQuery },
): Promise<AssessedPeriod> {
  const catalog = await requireCatalog(deps.db, input.catalogId);
  const from = new Date(input.period.from).toISOString();
  const to = new Date(input.period.to).toISOString();
  const [controls, points, mappings] = await Promise.all([
    listAssessedControls(deps.db, catalog.id),
    listAssessedPoints(deps.db, { catalogId: catalog.id, from, to }),
    listCatalogMappings(deps, catalog.id),
  ]);
  const failing = points.filter((point) => point.result === "fail").map((point) => point.id);
  const exceptions = await listExceptionsOfPoints(deps, failing);
  const data: PeriodData = {
    catalog: { id: catalog.id, name: catalog.name, description: catalog.description },
    from,
    to,
    controls,
    points,
    mappings,
    exceptions,
    generatedAt: deps.now().toISOString(),
  };
  return { data, findings: assessPeriod(data) };
}

/** Where the results' `import-ap` points: the plan of the same catalog and period, served beside them. */
export function assessmentPlanHref(catalogId: string, period: AssessmentPeriodQuery): string {
  const query = new URLSearchParams({
    from: new Date(period.from).toISOString(),
    to: new Date(period.to).toISOString(),
  });
  return `/api/v1/catalogs/${catalogId}/oscal/assessment-plan?${query.toString()}`;
}

/** The OSCAL 1.2.1 assessment results of a catalog over a period. */
export async function exportAssessmentResults(
  deps: AppDeps,
  input: { catalogId: string; period: AssessmentPeriodQuery },
): Promise<object> {
  const { data, findings } = await assessCatalogPeriod(deps, input);
  return buildAssessmentResults(data, findings, { planHref: assessmentPlanHref(input.catalogId, input.period) });
}

/** The minimal OSCAL assessment plan the results of the same catalog and period import. */
export async function exportAssessmentPlan(
  deps: AppDeps,
  input: { catalogId: string; period: AssessmentPeriodQuery },
): Promise<object> {
  const { data } = await assessCatalogPeriod(deps, input);
  return buildAssessmentPlan(data);
}

/** The OSCAL 1.2.1 POA&M of a catalog over a period: its open not-satisfied findings. */
export async function exportPoam(
  deps: AppDeps,
  input: { catalogId: string; period: AssessmentPeriodQuery },
): Promise<object> {
  const { data, findings } = await assessCatalogPeriod(deps, input);
  return buildPoam(data, findings);
}
