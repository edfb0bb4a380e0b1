import type { Queryable } from "../../db/database.ts";

export interface PublicationRow {
  catalogId: string;
  agreementId: string;
  state: "pending" | "published" | "error";
  lastError: string | null;
  attempts: number;
  nextAttemptAt: string;
  publishedAt: string | null;
  publishedHash: string | null;
  syncedThrough: string | null;
  lastSyncedAt: string | null;
  lastSyncError: string | null;
  /** When the latest change asked for a publish; a publish that started before it must not mark it done. */
  requestedAt: string;
}

const PUBLICATION_COLUMNS = `catalog_id as "catalogId", agreement_id as "agreementId", state, last_error as "lastError", attempts,
  next_attempt_at as "nextAttemptAt", published_at as "publishedAt", published_hash as "publishedHash",
  synced_through as "syncedThrough", last_synced_at as "lastSyncedAt", last_sync_error as "lastSyncError",
  -- As text: microsecond precision, which a JavaScript Date would round away (and then compare as older).
  requested_at::text as "requestedAt"`;

/**
 * Marks a finalized catalog's publication due now (a draft is never published). Runs in the transaction of the
 * change, so the mark commits with it; a previous error stays visible until the next attempt replaces it.
 */
export async function markPublicationDue(db: Queryable, catalogId: string): Promise<void> {
  await db.query(
    `insert into registry_publications (catalog_id, agreement_id)
     select id, 'tpa-' || id from catalogs where id = $1 and status = 'finalized' and archived_at is null
     on conflict (catalog_id) do update set state = case when registry_publications.state = 'error' then 'error' else 'pending' end,
       attempts = 0, next_attempt_at = now(), requested_at = now(), updated_at = now()`,
    [catalogId],
  );
}

/** Marks due the publications of finalized catalogs with a scope set that uses the scope. */
export async function markPublicationsDueOfScope(db: Queryable, scopeId: string): Promise<void> {
  await db.query(
    `insert into registry_publications (catalog_id, agreement_id)
     select distinct c.id, 'tpa-' || c.id
       from scope_set_values v join scope_sets ss on ss.id = v.scope_set_id join controls ct on ct.id = ss.control_id join catalogs c on c.id = ct.catalog_id
      where v.scope_id = $1 and c.status = 'finalized' and c.archived_at is null
     on conflict (catalog_id) do update set state = case when registry_publications.state = 'error' then 'error' else 'pending' end,
       attempts = 0, next_attempt_at = now(), requested_at = now(), updated_at = now()`,
    [scopeId],
  );
}

/** Finalized catalogs that have no publication yet (finalized before REGISTRY_URL was set): they become due. */
export async function enrollUnpublishedCatalogs(db: Queryable): Promise<number> {
  const result = await db.query(
    `insert into registry_publications (catalog_id, agreement_id)
     select c.id, 'tpa-' || c.id from catalogs c
      where c.status = 'finalized' and c.archived_at is null and not exists (select 1 from registry_publications p where p.catalog_id = c.id)
     on conflict (catalog_id) do nothing`,
  );
  return result.rowCount ?? 0;
}

/**
 * Claims due publications: their next attempt moves past the lease, so another process (or a tick that starts
 * while this one still waits on a slow registry) does not publish the same catalog twice.
 */
export async function claimDuePublications(db: Queryable, leaseMs: number, limit: number): Promise<PublicationRow[]> {
  const result = await db.query<PublicationRow>(
    `update registry_publications p set next_attempt_at = now() + ($1::double precision * interval '1 millisecond'), attempts = p.attempts + 1
      where p.catalog_id in (select catalog_id from registry_publications where state <> 'published' and next_attempt_at <= now()
                                and catalog_id not in (select id from catalogs where archived_at is not null)
                              order by next_attempt_at limit $2 for update skip locked)
      returning ${PUBLICATION_COLUMNS}`,
    [leaseMs, limit],
  );
  return result.rows;
}

/**
 * Records a successful publish of the agreement built when the row was claimed. A change requested meanwhile
 * (requested_at moved on) keeps the row pending and due, so that change is published too and never lost.
 */
export async function markPublished(
  db: Queryable,
  catalogId: string,
  hash: string,
  claimedRequestedAt: string,
): Promise<void> {
  await db.query(
    `update registry_publications
        set state = case when requested_at > $3::timestamptz then 'pending' else 'published' end,
            next_attempt_at = case when requested_at > $3::timestamptz then now() else next_attempt_at end,
            last_error = null, published_at = now(), published_hash = $2, updated_at = now()
      where catalog_id = $1`,
    [catalogId, hash, claimedRequestedAt],
  );
}

export async function markPublishFailed(
  db: Queryable,
  catalogId: string,
  error: string,
  retryInMs: number,
): Promise<void> {
  await db.query(
    `update registry_publications set state = 'error', last_error = $2, next_attempt_at = now() + ($3::double precision * interval '1 millisecond'), updated_at = now()
      where catalog_id = $1`,
    [catalogId, error.slice(0, 2000), retryInMs],
  );
}

export async function findPublication(db: Queryable, catalogId: string): Promise<PublicationRow | undefined> {
  const result = await db.query<PublicationRow>(
    `select ${PUBLICATION_COLUMNS} from registry_publications where catalog_id = $1`,
    [catalogId],
  );
  return result.rows[0];
}

/**
 * Publications the registry holds an agreement for, for the scheduled sync. An archived catalog's agreement is left in
 * the registry as last published; it is neither republished (above) nor synced: its record is complete.
 */
export async function listSyncablePublications(db: Queryable, limit: number): Promise<PublicationRow[]> {
  const result = await db.query<PublicationRow>(
    `select ${PUBLICATION_COLUMNS} from registry_publications
      where published_hash is not null and catalog_id not in (select id from catalogs where archived_at is not null)
      order by last_synced_at nulls first limit $1`,
    [limit],
  );
  return result.rows;
}

export async function recordSync(
  db: Queryable,
  catalogId: string,
  outcome: { syncedThrough?: string; error: string | null },
): Promise<void> {
  await db.query(
    `update registry_publications set last_synced_at = now(), last_sync_error = $2, synced_through = coalesce($3::timestamptz, synced_through), updated_at = now()
      where catalog_id = $1`,
    [catalogId, outcome.error?.slice(0, 2000) ?? null, outcome.syncedThrough ?? null],
  );
}
