import type { EvidencePack } from "@status/shared";
import type { Queryable } from "../../db/database.ts";

const PACK_COLUMNS = `id, catalog_id as "catalogId", period_from as "from", period_to as "to", status, progress, stage, attempts,
  size_bytes::float8 as "sizeBytes", sha256, manifest_sha256 as "manifestSha256", point_count as "pointCount", error,
  requested_by as "requestedBy", created_at as "createdAt", completed_at as "completedAt"`;

type PackRow = EvidencePack & { fileName?: string | null };

function toPack(row: PackRow): EvidencePack {
  const iso = (value: string | Date) => new Date(value).toISOString();
  return {
    ...row,
    from: iso(row.from),
    to: iso(row.to),
    createdAt: iso(row.createdAt),
    completedAt: row.completedAt ? iso(row.completedAt) : null,
  };
}

/** Records a queued pack. */
export async function insertPack(
  db: Queryable,
  input: { catalogId: string; from: string; to: string; requestedBy: string | null },
): Promise<EvidencePack> {
  const result = await db.query<PackRow>(
    `insert into evidence_packs (catalog_id, period_from, period_to, requested_by) values ($1, $2, $3, $4)
     returning ${PACK_COLUMNS}`,
    [input.catalogId, input.from, input.to, input.requestedBy],
  );
  return toPack(result.rows[0]!);
}

export async function findPack(
  db: Queryable,
  id: string,
): Promise<(EvidencePack & { fileName: string | null }) | undefined> {
  const result = await db.query<PackRow & { fileName: string | null }>(
    `select ${PACK_COLUMNS}, file_name as "fileName" from evidence_packs where id = $1`,
    [id],
  );
  const row = result.rows[0];
  return row ? { ...toPack(row), fileName: row.fileName } : undefined;
}

/** A catalog's packs, newest first. */
export async function listPacksOfCatalog(db: Queryable, catalogId: string): Promise<EvidencePack[]> {
  const result = await db.query<PackRow>(
    `select ${PACK_COLUMNS} from evidence_packs where catalog_id = $1 order by created_at desc, id limit 200`,
    [catalogId],
  );
  return result.rows.map(toPack);
}

/**
 * Claims the oldest pack waiting for a worker: queued, or running with a heartbeat older than `staleAfterMs` (its
 * worker stopped). Atomic (skip locked), so two workers never build the same pack at once.
 */
export async function claimPack(db: Queryable, staleAfterMs: number): Promise<EvidencePack | undefined> {
  const result = await db.query<PackRow>(
    `update evidence_packs set status = 'running', stage = 'starting', progress = 0, attempts = attempts + 1,
            heartbeat_at = now(), error = null
      where id = (select id from evidence_packs
                   where status = 'queued' or (status = 'running' and heartbeat_at < now() - make_interval(secs => $1::float8 / 1000))
                   order by created_at limit 1 for update skip locked)
      returning ${PACK_COLUMNS}`,
    [staleAfterMs],
  );
  return result.rows[0] ? toPack(result.rows[0]) : undefined;
}

/** Records a building pack's progress (and renews its claim); false when the pack is no longer this attempt's. */
export async function updatePackProgress(
  db: Queryable,
  input: { id: string; attempts: number; progress: number; stage: string },
): Promise<boolean> {
  const result = await db.query(
    `update evidence_packs set progress = $3, stage = $4, heartbeat_at = now()
      where id = $1 and attempts = $2 and status = 'running'`,
    [input.id, input.attempts, input.progress, input.stage],
  );
  return (result.rowCount ?? 0) > 0;
}

export async function completePack(
  db: Queryable,
  input: {
    id: string;
    attempts: number;
    fileName: string;
    sizeBytes: number;
    sha256: string;
    manifestSha256: string;
    pointCount: number;
  },
): Promise<boolean> {
  const result = await db.query(
    `update evidence_packs set status = 'done', progress = 100, stage = 'done', file_name = $3, size_bytes = $4,
            sha256 = $5, manifest_sha256 = $6, point_count = $7, completed_at = now(), heartbeat_at = now()
      where id = $1 and attempts = $2 and status = 'running'`,
    [input.id, input.attempts, input.fileName, input.sizeBytes, input.sha256, input.manifestSha256, input.pointCount],
  );
  return (result.rowCount ?? 0) > 0;
}

export async function failPack(db: Queryable, input: { id: string; attempts: number; error: string }): Promise<void> {
  await db.query(
    `update evidence_packs set status = 'failed', stage = 'failed', error = $3, completed_at = now()
      where id = $1 and attempts = $2 and status = 'running'`,
    [input.id, input.attempts, input.error.slice(0, 2000)],
  );
}

/**
 * Marks up to `limit` packs built before `cutoff` expired (retention) and answers their files, which the caller then
 * deletes: the row stays with its digests, and a crash between the two leaves a stray file rather than a pack whose
 * file is gone.
 */
export async function markPacksExpired(
  db: Queryable,
  input: { cutoff: Date; limit: number; now: Date },
): Promise<{ id: string; fileName: string | null }[]> {
  const result = await db.query<{ id: string; fileName: string | null }>(
    `update evidence_packs p set status = 'expired', stage = 'expired', expired_at = $3
       from (select id from evidence_packs where status = 'done' and completed_at < $1
              order by completed_at limit $2 for update skip locked) due
      where p.id = due.id
      returning p.id, p.file_name as "fileName"`,
    [input.cutoff, input.limit, input.now],
  );
  return result.rows;
}
