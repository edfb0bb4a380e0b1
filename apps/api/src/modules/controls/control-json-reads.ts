import type { Queryable } from "../../db/database.ts";
import { perPool } from "../../lib/per-pool.ts";
import { createSharedReads, createTurnReads } from "../../lib/turn-reads.ts";
import type { ControlListFilter } from "./controls.repository.ts";
import { findControlsAsJson, listControlsAsJson } from "./controls-json.repository.ts";

/**
 * Issue 19: the controls' hot reads, made together for the requests that arrive in one turn (lib/turn-reads.ts).
 * GET /controls/:id of many ids is one statement instead of one each (a round trip, a bind and an execution each),
 * and equal list requests (a dashboard many people keep open) share one page. Per pool, as every read of a pool is.
 */

/** Loads in flight per pool at once: the rest of the pool stays free for the other routes. */
const MAX_IN_FLIGHT = 4;
/** Ids one statement reads at most. */
const MAX_IDS = 200;
/** Distinct list requests one load reads at most (each its own statement, in parallel). */
const MAX_LISTS = 4;

const controlReadsOf = perPool((db: Queryable) =>
  createTurnReads<string, string | undefined>({
    maxInFlight: MAX_IN_FLIGHT,
    maxKeys: MAX_IDS,
    textOf: (id) => id,
    load: (ids) => findControlsAsJson(db, ids),
  }),
);

/** The control's JSON text (findControlsAsJson), read with the others asked for in this turn; undefined if none. */
export function readControlJson(db: Queryable, id: string): Promise<string | undefined> {
  // Postgres answers ids in lower case; an id asked for in upper case is the same control.
  return controlReadsOf(db).read(id.toLowerCase());
}

interface ListRead {
  filter: ControlListFilter;
  at: Date;
}

const listReadsOf = perPool((db: Queryable) =>
  createSharedReads<ListRead, string>({
    maxInFlight: MAX_IN_FLIGHT,
    maxKeys: MAX_LISTS,
    // Equal filters are equal texts: the filters are built by one schema, so their keys come in one order. The
    // instant is not part of the text: requests of one turn are microseconds apart, and share the first one's.
    textOf: ({ filter }) => JSON.stringify(filter),
    loadOne: async ({ filter, at }) => (await listControlsAsJson(db, filter, at)).json,
  }),
);

/** The page of controls as JSON text (listControlsAsJson), shared with equal requests of this turn. */
export function readControlListJson(db: Queryable, filter: ControlListFilter, at: Date): Promise<string> {
  return listReadsOf(db).read({ filter, at });
}
