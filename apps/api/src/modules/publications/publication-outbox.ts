import type { Config } from "../../config.ts";
import type { Queryable } from "../../db/database.ts";
import { markPublicationDue, markPublicationsDueOfScope } from "./publications.repository.ts";

/**
 * For the services that change what a catalog's agreement holds (the catalog, its controls, their scope sets): call
 * inside the change's transaction. Nothing reaches the registry here; the background publisher does that after the
 * commit. Without REGISTRY_URL nothing is recorded.
 */
export async function requestPublication(tx: Queryable, config: Config, catalogId: string): Promise<void> {
  if (!config.registry.url) return;
  await markPublicationDue(tx, catalogId);
}

/** For the scopes service: a scope's definition changed, so every finalized catalog whose scope sets use it is due. */
export async function requestPublicationOfCatalogsUsingScope(
  tx: Queryable,
  config: Config,
  scopeId: string,
): Promise<void> {
  if (!config.registry.url) return;
  await markPublicationsDueOfScope(tx, scopeId);
}
