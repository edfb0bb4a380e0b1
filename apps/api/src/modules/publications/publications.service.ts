import type { Queryable } from "../../db/database.ts";
import * as rows from "./publications.repository.ts";
import type { PublicationRow } from "./publications.repository.ts";

/*
 * The registry publication of each finalized catalog (registry_publications): the outbox the background publisher
 * drains and the cursor of the scheduled sync. This module is the table's only writer; the registry module publishes
 * and syncs through these functions, and the services that change an agreement mark it due (publication-outbox.ts).
 */

export type { PublicationRow };

/** Marks a finalized catalog's publication due now, in the caller's transaction ("publish now"). */
export async function markPublicationDue(tx: Queryable, catalogId: string): Promise<void> {
  await rows.markPublicationDue(tx, catalogId);
}

/** Finalized catalogs without a publication (finalized before REGISTRY_URL was set) become due. */
export async function enrollUnpublishedCatalogs(db: Queryable): Promise<number> {
  return rows.enrollUnpublishedCatalogs(db);
}

/** Claims due publications for `leaseMs`, so no other process publishes them meanwhile. */
export async function claimDuePublications(db: Queryable, leaseMs: number, limit: number): Promise<PublicationRow[]> {
  return rows.claimDuePublications(db, leaseMs, limit);
}

/** Records a publish of the agreement built when the row was claimed (a change requested since keeps it due). */
export async function markPublished(
  db: Queryable,
  catalogId: string,
  hash: string,
  claimedRequestedAt: string,
): Promise<void> {
  await rows.markPublished(db, catalogId, hash, claimedRequestedAt);
}

/** Records a failed publish with the registry's message; the next attempt is due after `retryInMs`. */
export async function markPublishFailed(
  db: Queryable,
  catalogId: string,
  error: string,
  retryInMs: number,
): Promise<void> {
  await rows.markPublishFailed(db, catalogId, error, retryInMs);
}

/** A catalog's publication row, if it has one. */
export async function findPublication(db: Queryable, catalogId: string): Promise<PublicationRow | undefined> {
  return rows.findPublication(db, catalogId);
}

/** Publications the registry holds an agreement for, least recently synced first. */
export async function listSyncablePublications(db: Queryable, limit: number): Promise<PublicationRow[]> {
  return rows.listSyncablePublications(db, limit);
}

/** Records a sync's outcome and, on success, how far it has synced. */
export async function recordSync(
  db: Queryable,
  catalogId: string,
  outcome: { syncedThrough?: string; error: string | null },
): Promise<void> {
  await rows.recordSync(db, catalogId, outcome);
}
