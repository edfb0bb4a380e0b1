import type { ControlState, ControlStateList, Overview, OverviewQuery, ScheduledRun } from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { requireCatalog } from "../catalogs/index.ts";
import { createNextScheduledRuns } from "./next-scheduled-run.ts";
import {
  listCatalogCompliance,
  listComplianceSeries,
  listControlStatesOfCatalog,
  listFailingControls,
  listScheduleStates,
} from "./overview.repository.ts";

type OverviewDeps = Pick<AppDeps, "db" | "now">;

/** The overview shows this many catalogs, failing controls and upcoming runs; the pages behind it list the rest. */
export const OVERVIEW_LIMITS = { catalogs: 50, failing: 10, nextRuns: 10 } as const;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The upcoming scheduled runs, soonest first, at most `limit`. */
async function upcomingRuns(deps: OverviewDeps, limit: number): Promise<ScheduledRun[]> {
  const states = await listScheduleStates(deps.db, null);
  const nextScheduledRun = createNextScheduledRuns();
  const runs = states.flatMap((state) => {
    const next = nextScheduledRun(state);
    if (!next) return [];
    const { controlId, controlName, catalogId, catalogName, period } = state;
    return [{ controlId, controlName, catalogId, catalogName, period, ...next }];
  });
  return runs
    .sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt) || a.controlName.localeCompare(b.controlName))
    .slice(0, limit);
}

/**
 * Compliance at a glance: each catalog now (latest point of every control and scope) and per day over the last
 * `days` days, the latest failing points, and the next runs the scheduler owes.
 */
export async function getOverview(deps: OverviewDeps, query: OverviewQuery): Promise<Overview> {
  const now = deps.now();
  const since = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - (query.days - 1) * DAY_MS,
  ).toISOString();
  const [catalogs, failing, nextRuns] = await Promise.all([
    listCatalogCompliance(deps.db, OVERVIEW_LIMITS.catalogs, now),
    listFailingControls(deps.db, OVERVIEW_LIMITS.failing),
    upcomingRuns(deps, OVERVIEW_LIMITS.nextRuns),
  ]);
  const series = await listComplianceSeries(
    deps.db,
    catalogs.map((catalog) => catalog.catalogId),
    since,
  );
  return {
    generatedAt: now.toISOString(),
    catalogs,
    series,
    failingControls: failing.items,
    failingTotal: failing.total,
    nextRuns,
  };
}

/**
 * Each control of a catalog with its state now (passing, failing, stale…), latest point, failing scopes, latest run and
 * next scheduled run; 404 without the catalog.
 */
export async function listControlStates(deps: OverviewDeps, catalogId: string): Promise<ControlStateList> {
  const states = await listControlStatesOfCatalog(deps.db, catalogId, deps.now());
  // No rows: a catalog without controls, or none at all (404). Asked only then, so a catalog page is one statement.
  if (states.length === 0) await requireCatalog(deps.db, catalogId);
  const nextScheduledRun = createNextScheduledRuns();
  const items = states.map(
    ({ schedule, ...state }): ControlState => ({
      ...state,
      nextRun: schedule ? nextScheduledRun(schedule) : null,
    }),
  );
  return { items };
}
