import type { ImportFrameworkBody, ImportJob } from "@status/shared";
import type { Actor } from "../../domain/actor.ts";
import type { AppDeps } from "../../deps.ts";
import { NotFoundError } from "../../errors.ts";
import { problemFromError } from "../../http/problem-from-error.ts";
import { toProblem } from "../../http/problem.ts";
import { readImport } from "./framework-reader.ts";
import {
  claimImportJob,
  failImportJob,
  finishImportJob,
  findImportJob,
  insertImportJob,
  listLostImportJobs,
  recordImportProgress,
} from "./import-jobs.repository.ts";
import { importRefused, storeFramework } from "./import.service.ts";
import { hasErrors } from "./parsed-framework.ts";

/** Import jobs travel on the run queue as `framework-import:<job id>`; the engine hands them here. */
const DELIVERY_PREFIX = "framework-import:";
/** A job that has been taken back this many times (its workers kept dying) fails instead of being tried again. */
const MAX_ATTEMPTS = 3;
/** Progress is written about this many times per import (at least every 10 requirements). */
const PROGRESS_STEPS = 20;
/** A queued job this long undelivered probably lost its delivery (a restarted in-process queue): deliver it again. */
const QUEUED_GRACE_MS = 30_000;
const MAINTENANCE_BATCH = 100;

/** A worker whose attempt was taken back (its lease ran out): its transaction rolls back, the new attempt goes on. */
class LeaseLostError extends Error {
  constructor(jobId: string) {
    super(`import job ${jobId} was taken back by another worker`);
  }
}

export function isImportJobDelivery(deliveryId: string): boolean {
  return deliveryId.startsWith(DELIVERY_PREFIX);
}

/** Stores the body with a new queued job (the job survives any process) and hands the job to the queue. */
export async function startImportJob(
  deps: AppDeps,
  actor: Actor,
  input: { body: ImportFrameworkBody; bodyBytes: number },
): Promise<ImportJob> {
  const job = await insertImportJob(deps.db, { ...input, actor });
  await deps.runQueue.enqueue([`${DELIVERY_PREFIX}${job.id}`]);
  return job;
}

export async function getImportJob(deps: AppDeps, id: string): Promise<ImportJob> {
  const job = await findImportJob(deps.db, id);
  if (!job) throw new NotFoundError("Import job", id);
  return job;
}

/**
 * Works one delivered job: claims it (a queued job, or a running one whose worker died), reads the stored document,
 * and stores the framework in one transaction, recording progress after each batch of requirements; the job is
 * marked succeeded in that same transaction. An import the reader refuses fails with the problem a synchronous import
 * would have answered. Lost leases and an unreachable database leave the job to the reaper.
 */
export async function processImportJobDelivery(deps: AppDeps, deliveryId: string): Promise<void> {
  const jobId = deliveryId.slice(DELIVERY_PREFIX.length);
  const staleAfterMs = deps.config.engine.staleAfterMs;
  const claimed = await claimImportJob(deps.db, jobId, staleAfterMs);
  if (!claimed) return;
  const job = { id: claimed.id, attempts: claimed.attempts };
  const instance = `/api/v1/frameworks/import/jobs/${job.id}`;
  if (claimed.attempts > MAX_ATTEMPTS) {
    const problem = toProblem({
      status: 500,
      code: "import_job_abandoned",
      title: "Import abandoned",
      detail: `The import was started ${MAX_ATTEMPTS} times and its worker stopped each time`,
      instance,
    });
    await failImportJob(deps.db, job, problem);
    return;
  }
  const heartbeat = setInterval(() => {
    void recordImportProgress(deps.db, job, {}).catch(() => undefined);
  }, staleAfterMs / 4);
  heartbeat.unref();
  const renew = async (progress: { processed?: number; total?: number }) => {
    if (!(await recordImportProgress(deps.db, job, progress))) throw new LeaseLostError(job.id);
  };
  try {
    const parsed = await readImport(deps.db, claimed.body);
    if (hasErrors(parsed.problems)) throw importRefused(parsed.problems);
    const total = parsed.requirements.length;
    await renew({ total });
    await storeFramework(deps, claimed.actor, parsed, {
      batchSize: Math.max(10, Math.ceil(total / PROGRESS_STEPS)),
      onProgress: (processed) => renew({ processed }),
      async beforeCommit(tx, result) {
        if (!(await finishImportJob(tx, job, result))) throw new LeaseLostError(job.id);
      },
    });
    deps.log.info({ jobId: job.id, requirements: total }, "framework import job done");
  } catch (error) {
    if (error instanceof LeaseLostError) {
      deps.log.warn({ jobId: job.id }, error.message);
      return;
    }
    await failOrLeave(deps, job, error, instance);
  } finally {
    clearInterval(heartbeat);
  }
}

async function failOrLeave(
  deps: AppDeps,
  job: { id: string; attempts: number },
  error: unknown,
  instance: string,
): Promise<void> {
  const { problem, isUnexpected } = problemFromError(error, { instance });
  if (problem.code === "database_unavailable") {
    deps.log.warn({ jobId: job.id }, "import job lost the database: the reaper delivers it again");
    return;
  }
  if (isUnexpected) deps.log.error({ err: error, jobId: job.id }, "framework import job failed");
  await failImportJob(deps.db, job, problem).catch((failure: unknown) =>
    deps.log.warn({ err: failure, jobId: job.id }, "could not record the import job's failure"),
  );
}

/** The reaper and sweeper of import jobs (the engine's maintenance tick): lost jobs are delivered again. */
export async function redeliverLostImportJobs(deps: AppDeps): Promise<number> {
  const ids = await listLostImportJobs(deps.db, {
    staleAfterMs: deps.config.engine.staleAfterMs,
    queuedGraceMs: QUEUED_GRACE_MS,
    limit: MAINTENANCE_BATCH,
  });
  if (ids.length > 0) {
    deps.log.info({ jobs: ids.length }, "delivering framework import jobs again");
    await deps.runQueue.enqueue(ids.map((id) => `${DELIVERY_PREFIX}${id}`));
  }
  return ids.length;
}
