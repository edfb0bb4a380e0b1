import type { PointListQuery, PointPage } from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { withHandlingAt } from "../../domain/point-handling.ts";
import { countResultsOfControls, listPointWindowStarts, listPoints } from "./points.repository.ts";

/** For the scheduler: start times (epoch ms) of the windows of one control and scope that have an engine point. */
export async function listWindowStartsWithPoints(
  deps: Pick<AppDeps, "db">,
  input: { controlId: string; scopeKey: string; from: string; to: string },
): Promise<Set<number>> {
  return listPointWindowStarts(deps.db, input);
}

/** For roll-ups: passing and failing points per control over a period (controls without points are absent). */
export async function countPointResults(
  deps: Pick<AppDeps, "db">,
  input: { controlIds: readonly string[]; from: string; to: string },
): Promise<Map<string, { passCount: number; failCount: number }>> {
  return countResultsOfControls(deps.db, input);
}

/** Points with their handling (acknowledged, accepted exception, comments) at the API's clock. */
export async function listAllPoints(deps: AppDeps, query: PointListQuery): Promise<PointPage> {
  const page = await listPoints(deps.db, query);
  return { ...page, items: withHandlingAt(page.items, deps.now()) };
}
