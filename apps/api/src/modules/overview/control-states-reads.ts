import type { AppDeps } from "../../deps.ts";
import type { Queryable } from "../../db/database.ts";
import { perPool } from "../../lib/per-pool.ts";
import { createSharedReads } from "../../lib/turn-reads.ts";
import { listControlStates } from "./overview.service.ts";

/**
 * Issue 19: GET /catalogs/:id/control-states asked for the same catalog in one turn (a catalog page many people keep
 * open) is read and written out once, and the requests share its JSON text (lib/turn-reads.ts). Different catalogs
 * are read in parallel as before, each answering (or failing, 404) its own requests.
 */
interface StatesRead {
  deps: Pick<AppDeps, "db" | "now">;
  catalogId: string;
}

const stateReadsOf = perPool((_db: Queryable) =>
  createSharedReads<StatesRead, string>({
    maxInFlight: 4,
    maxKeys: 8,
    textOf: ({ catalogId }) => catalogId.toLowerCase(),
    loadOne: async ({ deps, catalogId }) => JSON.stringify(await listControlStates(deps, catalogId)),
  }),
);

/** listControlStates as JSON text, shared with the requests for the same catalog of this turn. */
export function readControlStatesJson(deps: Pick<AppDeps, "db" | "now">, catalogId: string): Promise<string> {
  return stateReadsOf(deps.db).read({ deps, catalogId });
}
