import type { ImportFrameworkBody, ImportJob, ImportResult, ProblemDetails } from "@status/shared";
import type { Queryable } from "../../db/database.ts";
import type { Actor } from "../../domain/actor.ts";

const JOB_COLUMNS = `id, status, format, body_bytes as "bodyBytes", attempts, processed, total, result, problem,
  created_by as "createdBy", created_at as "createdAt", started_at as "startedAt", finished_at as "finishedAt"`;

export async function insertImportJob(
  db: Queryable,
  input: { body: ImportFrameworkBody; bodyBytes: number; actor: Actor },
): Promise<ImportJob> {
  const { userId, username, role, authMethod, requestId } = input.actor;
  const result = await db.query<ImportJob>(
    `insert into framework_import_jobs (format, body, body_bytes, created_by, actor)
     values ($1, $2, $3, $4, $5) returning ${JOB_COLUMNS}`,
    [
      input.body.format,
      JSON.stringify(input.body),
      input.bodyBytes,
      userId,
      JSON.stringify({ userId, username, role, authMethod, requestId }),
    ],
  );
  return result.rows[0]!;
}

export async function findImportJob(db: Queryable, id: string): Promise<ImportJob | undefined> {
  const result = await db.query<ImportJob>(`select ${JOB_COLUMNS} from framework_import_jobs where id = $1`, [id]);
  return result.rows[0];
}

export interface ClaimedImportJob {
  id: string;
  attempts: number;
  body: ImportFrameworkBody;
  actor: Actor;
}

/**
 * Takes a job for this worker: a queued one, or a running one whose lease (`heartbeat_at` older than `staleAfterMs`)
 * ran out because its worker died. The new attempt number fences the old worker out; progress starts again at 0.
 */
export async function claimImportJob(
  db: Queryable,
  id: string,
  staleAfterMs: number,
): Promise<ClaimedImportJob | undefined> {
  const result = await db.query<ClaimedImportJob>(
    `update framework_import_jobs
        set status = 'running', attempts = attempts + 1, processed = 0, heartbeat_at = now(),
            started_at = coalesce(started_at, now())
      where id = $1
        and (status = 'queued' or (status = 'running' and heartbeat_at < now() - make_interval(secs => $2::float8 / 1000)))
      returning id, attempts, body, actor`,
    [id, staleAfterMs],
  );
  return result.rows[0];
}

/** Renews the lease and records progress; false when the attempt was taken back (the caller stops). */
export async function recordImportProgress(
  db: Queryable,
  job: { id: string; attempts: number },
  progress: { processed?: number; total?: number },
): Promise<boolean> {
  const result = await db.query(
    `update framework_import_jobs
        set heartbeat_at = now(), processed = coalesce($3, processed), total = coalesce($4, total)
      where id = $1 and attempts = $2 and status = 'running'`,
    [job.id, job.attempts, progress.processed ?? null, progress.total ?? null],
  );
  return result.rowCount === 1;
}

/** Marks the attempt succeeded, in the transaction that stored the framework; false when it was taken back. */
export async function finishImportJob(
  db: Queryable,
  job: { id: string; attempts: number },
  result: ImportResult,
): Promise<boolean> {
  const update = await db.query(
    `update framework_import_jobs
        set status = 'succeeded', result = $3, framework_id = $4, processed = $5, total = $5, finished_at = now(),
            heartbeat_at = now()
      where id = $1 and attempts = $2 and status = 'running'`,
    [job.id, job.attempts, JSON.stringify(result), result.framework.id, result.counts.requirements],
  );
  return update.rowCount === 1;
}

export async function failImportJob(
  db: Queryable,
  job: { id: string; attempts: number },
  problem: ProblemDetails,
): Promise<boolean> {
  const update = await db.query(
    `update framework_import_jobs set status = 'failed', problem = $3, finished_at = now(), heartbeat_at = now()
      where id = $1 and attempts = $2 and status = 'running'`,
    [job.id, job.attempts, JSON.stringify(problem)],
  );
  return update.rowCount === 1;
}

/** Jobs to deliver again: running ones whose worker stopped renewing the lease, queued ones whose delivery was lost. */
export async function listLostImportJobs(
  db: Queryable,
  options: { staleAfterMs: number; queuedGraceMs: number; limit: number },
): Promise<string[]> {
  const result = await db.query<{ id: string }>(
    `select id from framework_import_jobs
      where (status = 'running' and heartbeat_at < now() - make_interval(secs => $1::float8 / 1000))
         or (status = 'queued' and created_at < now() - make_interval(secs => $2::float8 / 1000))
      order by created_at limit $3`,
    [options.staleAfterMs, options.queuedGraceMs, options.limit],
  );
  return result.rows.map((row) => row.id);
}
