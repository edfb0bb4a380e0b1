import type { Page, Run, RunListQuery, RunStatus, RunTrigger } from "@status/shared";
import { namedStatement, type Queryable } from "../../../db/database.ts";
import { orderBy, queryPage, WhereBuilder } from "../../../db/pagination.ts";
import { RUN_CONTROL_COLUMNS, RUN_CONTROL_FROM, type RunControl } from "../../controls/index.ts";

const RUN_COLUMNS = `runs.id, runs.batch_id as "batchId", runs.control_id as "controlId", controls.catalog_id as "catalogId",
  controls.name as "controlName", controls.period, runs.scope_set_id as "scopeSetId", runs.scope,
  runs.window_start as "windowStart", runs.window_end as "windowEnd", runs.is_provisional as "isProvisional",
  runs.trigger, runs.status, runs.attempts, runs.max_attempts as "maxAttempts", runs.next_attempt_at as "nextAttemptAt",
  runs.queued_at as "queuedAt", runs.started_at as "startedAt", runs.finished_at as "finishedAt",
  runs.duration_ms as "durationMs", runs.error, computations.id as "computationId", runs.requested_by as "requestedBy",
  runs.created_at as "createdAt"`;
const RUN_FROM =
  "runs join controls on controls.id = runs.control_id left join computations on computations.run_id = runs.id";

/** A run to create: one control, one scope, one window. */
export interface NewRun {
  controlId: string;
  scopeSetId: string | null;
  scope: Record<string, unknown>;
  scopeKey: string;
  windowStart: string;
  windowEnd: string;
  isProvisional: boolean;
}

export async function insertBatch(
  db: Queryable,
  batch: {
    catalogId: string | null;
    controlId: string | null;
    trigger: RunTrigger;
    requestedBy: string | null;
    runCount: number;
  },
): Promise<string> {
  const result = await db.query<{ id: string }>(
    "insert into run_batches (catalog_id, control_id, trigger, requested_by, run_count) values ($1, $2, $3, $4, $5) returning id",
    [batch.catalogId, batch.controlId, batch.trigger, batch.requestedBy, batch.runCount],
  );
  return result.rows[0]!.id;
}

export async function setBatchRunCount(db: Queryable, batchId: string, runCount: number): Promise<void> {
  await db.query("update run_batches set run_count = $2 where id = $1", [batchId, runCount]);
}

/**
 * Inserts runs and their pending computations in one statement. Scheduled runs that already exist for their window
 * are skipped (unique index), so the scheduler can offer the same windows again without duplicates.
 */
export async function insertRuns(
  db: Queryable,
  input: {
    batchId: string | null;
    trigger: RunTrigger;
    maxAttempts: number;
    requestedBy: string | null;
    runs: NewRun[];
  },
): Promise<string[]> {
  if (input.runs.length === 0) return [];
  const result = await db.query<{ id: string }>(
    namedStatement(
      "runs_insert",
      `with inserted as (
       insert into runs (batch_id, control_id, scope_set_id, scope, scope_key, window_start, window_end, is_provisional, trigger, max_attempts, requested_by)
       select $1, x."controlId", x."scopeSetId", x.scope, x."scopeKey", x."windowStart", x."windowEnd", x."isProvisional", $2, $3, $4
         from jsonb_to_recordset($5::jsonb) as x("controlId" uuid, "scopeSetId" uuid, scope jsonb, "scopeKey" text,
                                                  "windowStart" timestamptz, "windowEnd" timestamptz, "isProvisional" boolean)
       on conflict do nothing
       returning id, control_id, scope, scope_key, window_start, window_end, is_provisional
     )
     insert into computations (run_id, control_id, scope, scope_key, window_start, window_end, is_provisional)
     select id, control_id, scope, scope_key, window_start, window_end, is_provisional from inserted
     returning run_id as id`,
    ),
    [input.batchId, input.trigger, input.maxAttempts, input.requestedBy, JSON.stringify(input.runs)],
  );
  return result.rows.map((row) => row.id);
}

export async function findRun(db: Queryable, id: string): Promise<Run | undefined> {
  const result = await db.query<Run>(`select ${RUN_COLUMNS} from ${RUN_FROM} where runs.id = $1`, [id]);
  return result.rows[0];
}

export async function findRunsByIds(db: Queryable, ids: string[]): Promise<Run[]> {
  const result = await db.query<Run>(
    `select ${RUN_COLUMNS} from ${RUN_FROM} where runs.id = any($1::uuid[]) order by runs.window_start, runs.scope_key`,
    [ids],
  );
  return result.rows;
}

const SORT_COLUMNS = { createdAt: "runs.created_at", windowStart: "runs.window_start", finishedAt: "runs.finished_at" };

export async function listRuns(db: Queryable, query: RunListQuery): Promise<Page<Run>> {
  const where = new WhereBuilder()
    .add("runs.control_id = $?", query.controlId)
    .add("controls.catalog_id = $?", query.catalogId)
    .add("runs.batch_id = $?", query.batchId)
    .add("runs.status = $?", query.status)
    .add("runs.trigger = $?", query.trigger)
    .add("runs.window_start >= $?", query.from)
    .add("runs.window_start < $?", query.to);
  return queryPage<Run>(db, {
    select: RUN_COLUMNS,
    from: RUN_FROM,
    where,
    orderBy: orderBy(query.sort, SORT_COLUMNS, "runs.id"),
    page: query.page,
    pageSize: query.pageSize,
  });
}

/** The columns a worker needs to evaluate a claimed run. */
export interface ClaimedRun {
  id: string;
  controlId: string;
  trigger: RunTrigger;
  scope: Record<string, unknown>;
  scopeKey: string;
  windowStart: string;
  windowEnd: string;
  isProvisional: boolean;
  attempts: number;
  maxAttempts: number;
  startedAt: string;
  /** Since when Node-RED has been unreachable for this run (attempts given back meanwhile); null when it answered. */
  nodeRedWaitingSince: string | null;
  /** The run's computation, created with it; read at claim time so the store needs no round trip for it. */
  computationId: string | null;
}

/**
 * Which claim of a run a worker holds: its attempt number is the fencing token, so a worker whose lease ran out (the
 * run was taken back and claimed again, which counts the attempt up) can no longer write to the run.
 */
export type RunClaim = Pick<ClaimedRun, "id" | "attempts">;

/*
 * The statements that claim, renew and finish a batch of runs find them by id (the primary key) and test their status
 * as `(status || '') = ...`, which no index can serve: a plain `status = ...` lets the planner walk runs_active_idx
 * instead, every queued or running run and their dead versions, when its statistics lag behind a burst of new runs
 * (a backfill queues thousands at once, before autoanalyze runs) — and a named statement keeps that generic plan for
 * good. Measured with 10,000 queued and 500 running runs and stale statistics: a claim of 40 scanned 9,960 index
 * entries (3.6 ms, now 0.8 ms), a finish of 40 joined all 500 running (12.5 ms, now 1.2 ms).
 */

/**
 * Runs in id order: the heartbeat and finishing statements update many runs rows each, locking them in the order of
 * their arrays when the plan walks them through the primary key; a heartbeat wave and a store batch sharing rows
 * deadlocked (seen with 1,000 calls in flight) when each listed them differently.
 */
function inLockOrder(runs: readonly RunClaim[]): RunClaim[] {
  return [...runs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Renews the leases of several runs in one statement (a worker holding thousands of slow calls renews them together);
 * answers the ids whose claim is still held (not cancelled, finished, or taken back by the reaper).
 */
export async function touchRunHeartbeats(db: Queryable, runs: RunClaim[]): Promise<Set<string>> {
  const ordered = inLockOrder(runs);
  const result = await db.query<{ id: string }>(
    namedStatement(
      "runs_touch_heartbeats",
      `update runs set heartbeat_at = now()
      where id = any($1::uuid[]) and (status || '') = 'running'
        and (id, attempts) in (select claim.id, claim.attempts from unnest($1::uuid[], $2::int[]) as claim(id, attempts))
      returning id`,
    ),
    [ordered.map((run) => run.id), ordered.map((run) => run.attempts)],
  );
  return new Set(result.rows.map((row) => row.id));
}

/**
 * Ends a running run; false when it is no longer running (cancelled meanwhile), so the caller must not keep results.
 */
export async function finishRun(
  db: Queryable,
  run: RunClaim,
  outcome: { status: Extract<RunStatus, "succeeded" | "failed" | "error">; error: string | null },
): Promise<boolean> {
  const result = await db.query(
    `update runs set status = $2, error = $3, finished_at = now(), heartbeat_at = null,
            duration_ms = (extract(epoch from (now() - started_at)) * 1000)::int
      where id = $1 and status = 'running' and attempts = $4`,
    [run.id, outcome.status, outcome.error, run.attempts],
  );
  return (result.rowCount ?? 0) > 0;
}

/** Puts a running run back in the queue after a failed attempt, due after `delayMs`. */
export async function requeueRun(db: Queryable, run: RunClaim, delayMs: number, error: string): Promise<boolean> {
  const result = await db.query(
    `update runs set status = 'queued', error = $3, heartbeat_at = null, next_attempt_at = now() + $2 * interval '1 millisecond',
            node_red_waiting_since = null
      where id = $1 and status = 'running' and attempts = $4`,
    [run.id, delayMs, error, run.attempts],
  );
  return (result.rowCount ?? 0) > 0;
}

/**
 * Puts a running run back in the queue without using up its attempt: Node-RED could not be reached or had not loaded
 * its flows (`waitsForNodeRed`), or this worker is giving the run back (shutdown, a lost database connection).
 * Node-RED's waiting time starts with the first such try and is kept across the next ones.
 */
export async function releaseRun(
  db: Queryable,
  run: RunClaim,
  input: { delayMs: number; error: string | null; waitsForNodeRed: boolean },
): Promise<boolean> {
  const result = await db.query(
    `update runs set status = 'queued', attempts = greatest(attempts - 1, 0), error = coalesce($3, error), heartbeat_at = null,
            next_attempt_at = now() + $2 * interval '1 millisecond',
            node_red_waiting_since = case when $4 then coalesce(node_red_waiting_since, now()) else node_red_waiting_since end
      where id = $1 and status = 'running' and attempts = $5`,
    [run.id, input.delayMs, input.error, input.waitsForNodeRed, run.attempts],
  );
  return (result.rowCount ?? 0) > 0;
}

export async function cancelRunRow(db: Queryable, id: string): Promise<boolean> {
  const result = await db.query(
    "update runs set status = 'cancelled', finished_at = now(), heartbeat_at = null, error = coalesce(error, 'Cancelled') where id = $1 and status in ('queued', 'running')",
    [id],
  );
  return (result.rowCount ?? 0) > 0;
}

/** Queued runs that are due but may have lost their delivery (a restarted in-process queue), oldest first. */
export async function listOverdueQueuedRuns(db: Queryable, graceMs: number, limit: number): Promise<string[]> {
  const result = await db.query<{ id: string }>(
    "select id from runs where status = 'queued' and next_attempt_at <= now() - $1 * interval '1 millisecond' order by next_attempt_at limit $2",
    [graceMs, limit],
  );
  return result.rows.map((row) => row.id);
}

/** Running runs whose worker has gone silent. */
export async function listStaleRunningRuns(db: Queryable, staleAfterMs: number, limit: number): Promise<string[]> {
  const result = await db.query<{ id: string }>(
    "select id from runs where status = 'running' and heartbeat_at < now() - $1 * interval '1 millisecond' order by heartbeat_at limit $2",
    [staleAfterMs, limit],
  );
  return result.rows.map((row) => row.id);
}

export interface BatchRow {
  id: string;
  catalogId: string | null;
  controlId: string | null;
  trigger: RunTrigger;
  runCount: number;
  createdAt: string;
  counts: Partial<Record<RunStatus, number>>;
}

export async function findBatch(db: Queryable, id: string): Promise<BatchRow | undefined> {
  const result = await db.query<BatchRow>(
    `select b.id, b.catalog_id as "catalogId", b.control_id as "controlId", b.trigger, b.run_count as "runCount", b.created_at as "createdAt",
            coalesce((select jsonb_object_agg(status, n) from (select status, count(*)::int as n from runs where batch_id = b.id group by status) s), '{}'::jsonb) as counts
       from run_batches b where b.id = $1`,
    [id],
  );
  return result.rows[0];
}

/**
 * Claims runs for this worker, several in one statement: queued runs that are due, or running ones whose worker
 * stopped sending heartbeats (it died mid-run). Atomic, so of two workers handed the same id only one gets it. The
 * same statement reads the claimed runs' controls with their catalogs' status (RUN_CONTROL_COLUMNS), carried as one
 * JSON array by the first row: a claim batch is one round trip, not a claim and a control lookup beside it.
 */
export async function claimRuns(
  db: Queryable,
  ids: string[],
  staleAfterMs: number,
): Promise<{ runs: ClaimedRun[]; controls: RunControl[] }> {
  const result = await db.query<ClaimedRun & { controls: RunControl[] | null }>(
    namedStatement(
      "runs_claim",
      `with claimed as (
       update runs set status = 'running', attempts = attempts + 1, started_at = coalesce(started_at, now()), heartbeat_at = now(), error = null
        where id = any($1::uuid[])
          and (((status || '') = 'queued' and next_attempt_at <= now())
               or ((status || '') = 'running' and heartbeat_at < now() - $2 * interval '1 millisecond'))
       returning id, control_id as "controlId", trigger, scope, scope_key as "scopeKey", window_start as "windowStart", window_end as "windowEnd",
                 is_provisional as "isProvisional", attempts, max_attempts as "maxAttempts", started_at as "startedAt",
                 node_red_waiting_since as "nodeRedWaitingSince",
                 (select c.id from computations c where c.run_id = runs.id) as "computationId"
     )
     select claimed.*,
            -- JSON keeps the controls' values as the driver reads them: text, numbers, the archive's ISO instant.
            case when row_number() over () = 1 then
              (select json_agg(control) from (select ${RUN_CONTROL_COLUMNS} from ${RUN_CONTROL_FROM}
                                                where controls.id in (select "controlId" from claimed)) control)
            end as controls
       from claimed`,
    ),
    [ids, staleAfterMs],
  );
  const runs: ClaimedRun[] = [];
  let controls: RunControl[] = [];
  for (const { controls: read, ...run } of result.rows) {
    if (read) controls = read;
    runs.push(run);
  }
  return { runs, controls };
}

/**
 * Marks runs succeeded, locks the chains of `controlIds` (in id order, so concurrent batches cannot deadlock) and looks
 * up which of `windows` already have an engine point, in one statement. Answers the ids that were still running (the
 * others were cancelled meanwhile), the locked chain heads and the existing points keyed `controlId|scopeKey|startMs`.
 *
 * The lookup reads the statement's snapshot, taken before the lock was granted: when a concurrent batch moved one of
 * the chains meanwhile (its locked length differs from the snapshot's), `isSnapshotStale` tells the caller to look
 * the points up again now that the lock is held.
 */
export async function finishRunsSucceededLockingChains(
  db: Queryable,
  runs: RunClaim[],
  controlIds: string[],
  windows: { controlId: string; scopeKey: string; windowStart: string }[],
): Promise<{
  stillRunning: Set<string>;
  heads: Map<string, { head: string | null; length: number }>;
  existing: Map<string, string>;
  isSnapshotStale: boolean;
}> {
  const ordered = inLockOrder(runs);
  const result = await db.query<{
    kind: "run" | "head" | "point";
    id: string;
    key: string | null;
    head: string | null;
    length: number | null;
    seenLength: number | null;
  }>(
    namedStatement(
      "runs_finish_succeeded_locking_chains",
      `with finished as (
       update runs set status = 'succeeded', finished_at = now(), heartbeat_at = null,
              duration_ms = (extract(epoch from (now() - started_at)) * 1000)::int
        where id = any($1::uuid[]) and (status || '') = 'running'
          and (id, attempts) in (select claim.id, claim.attempts from unnest($1::uuid[], $4::int[]) as claim(id, attempts))
        returning id
     ), heads as (
       -- No key update, like lockChainHeads: appenders still exclude each other, while the foreign-key checks of runs
       -- being created for these controls meanwhile (key share) need not wait for the batch's commit.
       select id, chain_head, chain_length from controls where id = any($2::uuid[]) order by id for no key update
     )
     select 'run' as kind, id, null as key, null as head, null::bigint as length, null::bigint as "seenLength" from finished
     union all
     select 'head', h.id, null, h.chain_head, h.chain_length, (select c.chain_length from controls c where c.id = h.id) from heads h
     union all
     select 'point', p.id, x."controlId" || '|' || x."scopeKey" || '|' || (extract(epoch from x."windowStart") * 1000)::bigint, null, null, null
       from jsonb_to_recordset($3::jsonb) as x("controlId" uuid, "scopeKey" text, "windowStart" timestamptz)
       -- Lateral (kept apart by the limit): one lookup in points_window_key per window, never a scan of the whole table.
       cross join lateral (select id from points where control_id = x."controlId" and scope_key = x."scopeKey"
                             and window_start = x."windowStart" and source = 'engine' limit 1) p`,
    ),
    [ordered.map((run) => run.id), controlIds, JSON.stringify(windows), ordered.map((run) => run.attempts)],
  );
  const stillRunning = new Set<string>();
  const heads = new Map<string, { head: string | null; length: number }>();
  const existing = new Map<string, string>();
  let isSnapshotStale = false;
  for (const row of result.rows) {
    if (row.kind === "run") stillRunning.add(row.id);
    else if (row.kind === "point") existing.set(row.key!, row.id);
    else {
      heads.set(row.id, { head: row.head, length: row.length ?? 0 });
      if (row.seenLength !== row.length) isSnapshotStale = true;
    }
  }
  return { stillRunning, heads, existing, isSnapshotStale };
}

/**
 * Runs waiting in the queue, and how long the oldest of those that are due (not waiting for a retry's backoff) has
 * waited since it became due. One index range scan (runs_active_idx).
 */
export async function readRunQueueStats(db: Queryable): Promise<{ depth: number; oldestAgeSeconds: number }> {
  const result = await db.query<{ depth: number; oldestAgeSeconds: number }>(
    `select count(*)::int as depth,
            coalesce(extract(epoch from now() - min(next_attempt_at) filter (where next_attempt_at <= now())), 0)::float8
              as "oldestAgeSeconds"
       from runs where status = 'queued'`,
  );
  return result.rows[0] ?? { depth: 0, oldestAgeSeconds: 0 };
}

/** Runs some worker holds right now (status running, lease not run out). */
export async function countLeasedRuns(db: Queryable, staleAfterMs: number): Promise<number> {
  const result = await db.query<{ count: number }>(
    "select count(*)::int as count from runs where status = 'running' and heartbeat_at >= now() - $1 * interval '1 millisecond'",
    [staleAfterMs],
  );
  return result.rows[0]?.count ?? 0;
}

/**
 * Deletes the runs of the given controls with their computations, evidences and bulk items (cascades inside this
 * module), and their batches, or the catalog's. Only for drafts, which never make points.
 */
export async function deleteRunsOfControls(
  db: Queryable,
  input: { controlIds: string[]; catalogId: string | null },
): Promise<number> {
  const result = await db.query("delete from runs where control_id = any($1::uuid[])", [input.controlIds]);
  await db.query("delete from run_batches where control_id = any($1::uuid[]) or catalog_id = $2", [
    input.controlIds,
    input.catalogId,
  ]);
  return result.rowCount ?? 0;
}
