import type { AssessmentPeriodQuery } from "@status/shared";
import { checkOut, type Queryable } from "../../db/database.ts";
import { isDatabaseUnreachable } from "../../db/pg-errors.ts";
import type { AppDeps } from "../../deps.ts";
import { requireCatalog } from "../catalogs/index.ts";
import { listVersionsInPeriod } from "../controls/index.ts";
import { listCatalogMappings } from "../frameworks/index.ts";
import {
  listAssessedControls,
  listAssessedPoints,
  listAssessedPointsOfControl,
  type AssessedPoint,
} from "./assessments.repository.ts";
import {
  buildAssessmentPlan,
  buildAssessmentResults,
  buildPoam,
  observationJson,
  writeAssessmentResults,
} from "./oscal-documents.ts";
import { assessPeriod, compactFinding, type FindingSummary, type PeriodData } from "./period-assessment.ts";
import { listExceptionsOfPoints, type PointException } from "./point-exceptions.ts";

/** A catalog and period, read once: the data and its findings, from which every export is built. */
export interface AssessedPeriod {
  data: PeriodData;
  findings: FindingSummary[];
}

/** What an assessment reads through: the pool, or one client holding a snapshot (streamAssessmentResults). */
type AssessmentDeps = { db: Queryable } & Pick<AppDeps, "now">;

/** What every export of a catalog's period reads besides its points: the catalog, controls, mappings and versions. */
async function readPeriodFrame(
  deps: AssessmentDeps,
  input: { catalogId: string; period: AssessmentPeriodQuery },
): Promise<Omit<PeriodData, "points" | "exceptions">> {
  const catalog = await requireCatalog(deps.db, input.catalogId);
  const from = new Date(input.period.from).toISOString();
  const to = new Date(input.period.to).toISOString();
  const [controls, mappings] = await Promise.all([
    listAssessedControls(deps.db, catalog.id),
    listCatalogMappings(deps, catalog.id),
  ]);
  const versions = await listVersionsInPeriod(deps, { controlIds: controls.map((control) => control.id), from, to });
  return {
    catalog: { id: catalog.id, name: catalog.name, description: catalog.description },
    from,
    to,
    controls,
    mappings,
    versions,
    generatedAt: deps.now().toISOString(),
  };
}

function exceptionsOf(deps: { db: Queryable }, points: readonly AssessedPoint[]) {
  return listExceptionsOfPoints(
    deps,
    points.filter((point) => point.result === "fail").map((point) => point.id),
  );
}

/** Reads everything the exports of one catalog and period need (404 when the catalog does not exist). */
export async function assessCatalogPeriod(
  deps: Pick<AppDeps, "db" | "now">,
  input: { catalogId: string; period: AssessmentPeriodQuery },
): Promise<AssessedPeriod> {
  const frame = await readPeriodFrame(deps, input);
  const points = await listAssessedPoints(deps.db, { catalogId: frame.catalog.id, from: frame.from, to: frame.to });
  const data: PeriodData = { ...frame, points, exceptions: await exceptionsOf(deps, points) };
  return { data, findings: assessPeriod(data) };
}

/**
 * The same assessment read control by control, for a pack: `onControl` receives each control's points and findings
 * (to write its observations) before they are let go, and the answer keeps of each point only what the findings need
 * (compactFinding), with `data.points` empty. Memory holds one control's points, not the catalog's year.
 */
export async function assessCatalogPeriodByControl(
  deps: AssessmentDeps,
  input: {
    catalogId: string;
    period: AssessmentPeriodQuery;
    /** `index` of `count`: the control's place in the catalog, for progress. */
    onControl: (control: {
      data: PeriodData;
      findings: FindingSummary[];
      index: number;
      count: number;
    }) => Promise<void>;
  },
): Promise<AssessedPeriod> {
  const frame = await readPeriodFrame(deps, input);
  const exceptions = new Map<string, PointException[]>();
  const findings: FindingSummary[] = [];
  const windows = new Map<string, string>();
  for (const [index, control] of frame.controls.entries()) {
    const points = await listAssessedPointsOfControl(deps.db, {
      catalogId: frame.catalog.id,
      controlId: control.id,
      from: frame.from,
      to: frame.to,
    });
    const data: PeriodData = { ...frame, controls: [control], points, exceptions: await exceptionsOf(deps, points) };
    const controlFindings = assessPeriod(data);
    await input.onControl({ data, findings: controlFindings, index, count: frame.controls.length });
    for (const [pointId, pointExceptions] of data.exceptions) exceptions.set(pointId, pointExceptions);
    for (const finding of controlFindings) findings.push(compactFinding(finding, windows));
  }
  return { data: { ...frame, points: [], exceptions }, findings };
}

/** Where the results' `import-ap` points: the plan of the same catalog and period, served beside them. */
export function assessmentPlanHref(catalogId: string, period: AssessmentPeriodQuery): string {
  const query = new URLSearchParams({
    from: new Date(period.from).toISOString(),
    to: new Date(period.to).toISOString(),
  });
  return `/api/v1/catalogs/${catalogId}/oscal/assessment-plan?${query.toString()}`;
}

/**
 * Writes a catalog's OSCAL 1.2.1 assessment results as they are read, the same compact JSON byte for byte as
 * `JSON.stringify(exportAssessmentResults(…))`: a year of a large catalog is hundreds of thousands of observations
 * (250 MB of JSON for 100 controls × 5 scopes × 365 days), never one object or one string in the API's memory.
 *
 * Two passes over one snapshot (a repeatable-read, read-only transaction, so a point appended meanwhile is in neither):
 * the first assesses control by control keeping only compact findings, because the result's header carries the overall
 * compliance; the second reads each control's points again and writes their observations. `onReady` runs when the
 * first pass is done, so a missing catalog or a database error before it is still answered as a problem.
 */
export async function streamAssessmentResults(
  deps: Pick<AppDeps, "db" | "now">,
  input: {
    catalogId: string;
    period: AssessmentPeriodQuery;
    onReady: () => void;
    write: (text: string) => Promise<void>;
  },
): Promise<void> {
  const { client, release } = await checkOut(deps.db);
  try {
    await client.query("begin isolation level repeatable read read only");
    const snapshot: AssessmentDeps = { db: client, now: deps.now };
    const { data, findings } = await assessCatalogPeriodByControl(snapshot, { ...input, onControl: async () => {} });
    input.onReady();
    const findingsByControl = new Map<string, Map<string | null, FindingSummary>>();
    for (const finding of findings) {
      const byScope = findingsByControl.get(finding.control.id) ?? new Map<string | null, FindingSummary>();
      findingsByControl.set(finding.control.id, byScope.set(finding.scopeKey, finding));
    }
    await writeAssessmentResults(data, findings, {
      planHref: assessmentPlanHref(input.catalogId, input.period),
      write: input.write,
      writeObservations: async () => {
        let separator = "";
        for (const control of data.controls) {
          const byScope = findingsByControl.get(control.id);
          const points = await listAssessedPointsOfControl(client, {
            catalogId: data.catalog.id,
            controlId: control.id,
            from: data.from,
            to: data.to,
          });
          for (const point of points) {
            await input.write(`${separator}${observationJson(data, byScope!.get(point.scopeKey)!, point)}`);
            separator = ",";
          }
        }
      },
    });
    await client.query("commit");
    release();
  } catch (error) {
    await client.query("rollback").catch(() => undefined);
    release(isDatabaseUnreachable(error) ? (error as Error) : undefined);
    throw error;
  }
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
