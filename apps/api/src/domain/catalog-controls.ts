import type { Queryable } from "../db/database.ts";
import type { Actor } from "./actor.ts";

/**
 * What finalizing a catalog needs of its controls. A control belongs to a catalog and reads it, so the controls
 * module sits above the catalogs module; the catalogs module reaches its controls only through this port, which the
 * controls module implements and createAppDeps plugs into AppDeps.catalogControls.
 */
export interface CatalogControls {
  /** Names of the catalog's controls that cannot be evaluated yet (no mashup), in the caller's transaction. */
  listIncompleteNames(tx: Queryable, catalogId: string): Promise<string[]>;
  /**
   * Finalizes the catalog's draft controls in the caller's transaction (the catalog's finalize transaction), each with
   * its version 1 recorded as the actor's.
   */
  finalizeDrafts(tx: Queryable, catalogId: string, actor: Actor): Promise<number>;
}
