import type { PointListQuery } from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import type { Queryable } from "../../db/database.ts";
import { perPool } from "../../lib/per-pool.ts";
import { createSharedReads } from "../../lib/turn-reads.ts";
import { listAllPoints } from "./points.service.ts";

/**
 * Issue 19: equal GET /points requests of one turn (a control's history on many screens, a Grafana panel refreshed
 * by many viewers) are read and written out once, and the requests share the page's JSON text (lib/turn-reads.ts).
 * Different queries are read in parallel as before, each answering (or failing) its own requests.
 */
interface PageRead {
  deps: AppDeps;
  query: PointListQuery;
}

const pageReadsOf = perPool((_db: Queryable) =>
  createSharedReads<PageRead, string>({
    maxInFlight: 4,
    maxKeys: 8,
    // Queries parsed by one schema name their keys in one order: equal queries are equal texts.
    textOf: ({ query }) => JSON.stringify(query),
    loadOne: async ({ deps, query }) => JSON.stringify(await listAllPoints(deps, query)),
  }),
);

/** listAllPoints as JSON text, shared with the equal requests of this turn. */
export function readPointPageJson(deps: AppDeps, query: PointListQuery): Promise<string> {
  return pageReadsOf(deps.db).read({ deps, query });
}
