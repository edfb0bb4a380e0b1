import type { ControlState, ControlStateList, Overview, OverviewQuery, ScheduledRun } from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { requireCatalog } from "../catalogs/index.ts";
import { createNextScheduledRuns, nextRunFrom } from "./next-scheduled-run.ts";
import { computeOverviewOnce, recallOverview, rememberOverview, type RememberedOverview } from "./overview-cache.ts";
import {
  listCatalogOverview,
  listControlStatesOfCatalog,
  listFailingControls,
  listScheduleGroups,
} from "./overview.repository.ts";
import { readOverviewVersionOfTurn } from "./overview-version-reads.ts";

type OverviewDeps = Pick<AppDeps, "db" | "now">;

/** The overview shows this many catalogs, failing controls and upcoming runs; the pages behind it list the rest. */
export const OVERVIEW_LIMITS = { catalogs: 50, failing: 10, nextRuns: 10 } as const;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Control names in the order String.prototype.localeCompare gives (ECMA-402 defines it as this collator's). */
const byName = new Intl.Collator().compare;

/**
 * The upcoming scheduled runs, soonest first (then by control name), at most `limit`. The next run is computed once
 * per group of controls that share its inputs; only the groups due up to the `limit`-th control (and every group due
 * at that same instant, whose controls may come first by name) have their controls looked at.
 */
export async function listUpcomingRuns(deps: OverviewDeps, limit: number): Promise<ScheduledRun[]> {
  if (limit <= 0) return [];
  const groups = (await listScheduleGroups(deps.db)).flatMap((group) => {
    const next = nextRunFrom(group, group.scheduledFrom);
    return next ? [{ group, next, dueMs: Date.parse(next.dueAt) }] : [];
  });
  groups.sort((a, b) => a.dueMs - b.dueMs);
  const shown: typeof groups = [];
  let controls = 0;
  for (const due of groups) {
    if (controls >= limit && (shown.length === 0 || due.dueMs !== shown.at(-1)!.dueMs)) break;
    shown.push(due);
    controls += due.group.controlCount;
  }
  // The first `limit` by due time, then name: kept in order as they come (a later equal one after the earlier, as a
  // stable sort would), so a group of 500 controls costs 500 comparisons with the last kept, not a sort of 500.
  const first: { dueMs: number; run: ScheduledRun }[] = [];
  const isBefore = (dueMs: number, name: string, kept: (typeof first)[number]) =>
    (dueMs - kept.dueMs || byName(name, kept.run.controlName)) < 0;
  for (const { group, next, dueMs } of shown) {
    const [controlIds, controlNames, catalogIds, catalogNames] = [
      group.controlIds,
      group.controlNames,
      group.catalogIds,
      group.catalogNames,
    ].map((column) => JSON.parse(column) as string[]) as [string[], string[], string[], string[]];
    controlNames.forEach((controlName, index) => {
      if (first.length === limit && !isBefore(dueMs, controlName, first.at(-1)!)) return;
      let at = first.length;
      while (at > 0 && isBefore(dueMs, controlName, first[at - 1]!)) at -= 1;
      const run = {
        controlId: controlIds[index]!,
        controlName,
        catalogId: catalogIds[index]!,
        catalogName: catalogNames[index]!,
        period: group.period,
        ...next,
      };
      first.splice(at, 0, { dueMs, run });
      if (first.length > limit) first.pop();
    });
  }
  return first.map(({ run }) => run);
}

/**
 * Compliance at a glance: each catalog now (latest point of every control and scope) and per day over the last
 * `days` days, the latest failing points, and the next runs the scheduler owes; computed afresh (bench:scale times
 * this). With it, the first instant after `now` at which a control turns stale (null: none does).
 */
export async function getOverview(
  deps: OverviewDeps,
  query: OverviewQuery,
  now = deps.now(),
): Promise<Overview & { nextStaleAt: string | null }> {
  const since = new Date(startOfUtcDay(now) - (query.days - 1) * DAY_MS).toISOString();
  const [{ catalogs, series, nextStaleAt }, failing, nextRuns] = await Promise.all([
    listCatalogOverview(deps.db, { limit: OVERVIEW_LIMITS.catalogs, at: now, seriesSince: since }),
    listFailingControls(deps.db, OVERVIEW_LIMITS.failing),
    listUpcomingRuns(deps, OVERVIEW_LIMITS.nextRuns),
  ]);
  return {
    generatedAt: now.toISOString(),
    catalogs,
    series,
    failingControls: failing.items,
    failingTotal: failing.total,
    nextRuns,
    nextStaleAt,
  };
}

/**
 * The overview as JSON text (getOverview's answer). The answer of a previous request is given again when nothing it
 * shows has changed since (the data version and the clock, overview-cache.ts), with this request's `generatedAt`: a
 * read then costs one statement over 16 rows instead of three over every catalog and control.
 */
export async function getOverviewJson(deps: OverviewDeps, query: OverviewQuery): Promise<string> {
  const now = deps.now();
  const version = await readOverviewVersionOfTurn(deps.db);
  const generatedAt = `{"generatedAt":${JSON.stringify(now.toISOString())},`;
  const atMs = now.getTime();
  const kept = recallOverview(deps.db, query.days, version, atMs);
  if (kept !== undefined) return generatedAt + kept;
  const compute = () => computeOverview(deps, query, now, version);
  const shared = await computeOverviewOnce(deps.db, query.days, version, compute);
  // A computation another request started holds for its own clock; across a midnight or a stale_at, compute anew.
  const answer = atMs >= shared.fromMs && atMs < shared.untilMs ? shared : await compute();
  return generatedAt + answer.rest;
}

/** getOverview at `now`, kept for the requests after it (overview-cache.ts). */
async function computeOverview(
  deps: OverviewDeps,
  query: OverviewQuery,
  now: Date,
  version: string,
): Promise<RememberedOverview> {
  const { generatedAt: _at, nextStaleAt, ...overview } = await getOverview(deps, query, now);
  const answer = {
    version,
    fromMs: now.getTime(),
    // Tomorrow the series starts a day later; at a control's stale_at its state turns stale.
    untilMs: Math.min(startOfUtcDay(now) + DAY_MS, nextStaleAt === null ? Infinity : Date.parse(nextStaleAt)),
    // `{"catalogs":…}` without its brace: after generatedAt, the bytes JSON.stringify gives for the whole answer.
    rest: JSON.stringify(overview).slice(1),
  };
  rememberOverview(deps.db, query.days, answer);
  return answer;
}

function startOfUtcDay(at: Date): number {
  return Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
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
  const items = states.map(({ schedule, ...state }): ControlState => ({
    ...state,
    nextRun: schedule ? nextScheduledRun(schedule) : null,
  }));
  return { items };
}
