import type { CatalogListQuery } from "@status/shared";
import type { Queryable } from "../../db/database.ts";
import { perPool } from "../../lib/per-pool.ts";
import { createSharedReads } from "../../lib/turn-reads.ts";
import { listCatalogsAsJson } from "./catalogs.repository.ts";

/**
 * Issue 19: equal GET /catalogs requests of one turn (the catalogs page many people keep open) share one statement
 * (lib/turn-reads.ts); different ones are read in parallel as before. Per pool, as every read of a pool is.
 */

/** Loads in flight per pool at once: the rest of the pool stays free for the other routes. */
const MAX_IN_FLIGHT = 4;
/** Distinct requests one load reads at most (each its own statement, in parallel). */
const MAX_LISTS = 4;

const catalogListReadsOf = perPool((db: Queryable) =>
  createSharedReads<CatalogListQuery, string>({
    maxInFlight: MAX_IN_FLIGHT,
    maxKeys: MAX_LISTS,
    // Queries parsed by one schema name their keys in one order: equal queries are equal texts.
    textOf: (query) => JSON.stringify(query),
    loadOne: async (query) => (await listCatalogsAsJson(db, query)).json,
  }),
);

/** The page of catalogs as JSON text (listCatalogsAsJson), shared with equal requests of this turn. */
export function readCatalogListJson(db: Queryable, query: CatalogListQuery): Promise<string> {
  return catalogListReadsOf(db).read(query);
}
