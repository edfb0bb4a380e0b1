import type { Queryable } from "../../db/database.ts";
import { perPool } from "../../lib/per-pool.ts";
import { createSharedReads } from "../../lib/turn-reads.ts";
import { readOverviewVersion } from "./overview.repository.ts";

/**
 * Issue 19: the overview's data version (readOverviewVersion), read once for every overview request of one turn
 * (lib/turn-reads.ts): dashboards that ask together then cost one statement, and each still sees every change that
 * committed before it asked, as the read starts after all of them arrived.
 */
const versionReadsOf = perPool((db: Queryable) =>
  createSharedReads<null, string>({
    maxInFlight: 2,
    maxKeys: 1,
    textOf: () => "",
    loadOne: () => readOverviewVersion(db),
  }),
);

/** readOverviewVersion, shared with the overview requests of this turn. */
export function readOverviewVersionOfTurn(db: Queryable): Promise<string> {
  return versionReadsOf(db).read(null);
}
