import type { Failures, FailuresQuery } from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { requireCatalog } from "../catalogs/index.ts";
import { listFailedControls } from "./failures.repository.ts";

type FailuresDeps = Pick<AppDeps, "db" | "now">;

/** "Failed in this period" lists at most this many controls; `total` says how many failed. */
export const FAILURES_LIMIT = 500;
const DEFAULT_PERIOD_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Every control with at least one failing window starting in the period (by default the last 30 days), newest failure
 * first: how many of its windows failed, since when it is failing (or that it is not failing now) and the computation
 * to open. With `catalogId`, that catalog's only (404 without it).
 */
export async function listFailures(deps: FailuresDeps, query: FailuresQuery): Promise<Failures> {
  if (query.catalogId) await requireCatalog(deps.db, query.catalogId);
  const now = deps.now();
  const to = query.to ? new Date(query.to) : now;
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - DEFAULT_PERIOD_MS);
  const { items, total } = await listFailedControls(deps.db, {
    from: from.toISOString(),
    to: to.toISOString(),
    catalogId: query.catalogId ?? null,
    at: now,
    limit: FAILURES_LIMIT,
  });
  return { from: from.toISOString(), to: to.toISOString(), items, total };
}
