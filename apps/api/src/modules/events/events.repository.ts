import type { EventControlState, EventType } from "@status/shared";
import { namedStatement, type Queryable } from "../../db/database.ts";

/** The longest flapping guard a subscription may ask for: state changes are recorded for this many windows. */
export const MAX_HOLD_WINDOWS = 10;
/** The points a state change looks back over: two per window (one per source) for the windows it compares. */
const LOOK_BACK_POINTS = 2 * (MAX_HOLD_WINDOWS + 1);

/** An event as the outbox holds it, with the names its channels render. */
export interface OutboxEvent {
  id: string;
  seq: number;
  type: EventType;
  catalogId: string;
  catalogName: string;
  controlId: string | null;
  controlName: string | null;
  scope: Record<string, string>;
  windowStart: string | null;
  windowEnd: string | null;
  previousState: EventControlState | null;
  newState: EventControlState | null;
  compliance: number | null;
  threshold: number | null;
  computationId: string | null;
  consecutiveErrors: number | null;
  heldWindows: number;
  occurredAt: string;
}

const EVENT_COLUMNS = `e.id, e.seq::int as seq, e.type, e.catalog_id as "catalogId", coalesce(cat.name, '') as "catalogName",
  e.control_id as "controlId", c.name as "controlName", e.scope, e.window_start as "windowStart", e.window_end as "windowEnd",
  e.previous_state as "previousState", e.new_state as "newState", e.compliance::float8 as compliance,
  e.threshold::float8 as threshold, e.computation_id as "computationId", e.consecutive_errors as "consecutiveErrors",
  e.held_windows as "heldWindows", e.occurred_at as "occurredAt"`;

/**
 * Writes control.failing / control.recovered for the new points `pointIds` in the caller's transaction (the point's).
 * A point is a change when its result differs from the window before it (pass/fail only; not_applicable is ignored),
 * or is the first one and fails. Each source's point is compared with that source's history where a window has both
 * (the engine's and the registry's verdicts of one window may differ), with the other's where it has only that one.
 * It is recorded for each of the first MAX_HOLD_WINDOWS windows the new state holds, with how many it held, so a
 * subscription with a flapping guard of K receives the one that held K. A point filling a window older than one
 * recorded before (a backfill) is history, not a change. One statement.
 */
export async function insertPointStateChanges(tx: Queryable, pointIds: string[]): Promise<void> {
  if (pointIds.length === 0) return;
  await tx.query(
    namedStatement(
      "events_insert_point_state_changes",
      `insert into event_outbox (type, catalog_id, control_id, scope, scope_key, window_start, window_end, previous_state,
                               new_state, compliance, threshold, point_id, computation_id, held_windows)
     select case when n.result = 'fail' then 'control.failing' else 'control.recovered' end, n.catalog_id, n.control_id,
            n.scope, n.scope_key, n.window_start, n.window_end,
            case s.previous when 'pass' then 'passing' when 'fail' then 'failing' end,
            case when n.result = 'fail' then 'failing' else 'passing' end,
            n.value, n.threshold, n.id, n.computation_id, s.held
       from points n
       cross join lateral (
         select coalesce(min(h.rn) filter (where h.result <> n.result) - 1, count(*))::int as held,
                min(h.result) filter (where h.result <> n.result) as previous
           from (select d.result, row_number() over (order by d.window_start desc) as rn
                   from (select distinct on (p.window_start) p.window_start, p.result
                           -- A window has at most two points (one per source), so its newest 2 × $2 points hold its
                           -- last $2 windows whole: read in index order, they bound the sort below, which otherwise
                           -- took every earlier point of the scope (the cost grew with the chain). A constant limit,
                           -- so the plan kept for the named statement knows how few rows it reads.
                           from (select p.window_start, p.result, p.source from points p
                                  where p.control_id = n.control_id and p.scope_key = n.scope_key
                                    and p.window_start <= n.window_start and p.result in ('pass', 'fail')
                                  order by p.window_start desc limit ${LOOK_BACK_POINTS}) p
                          -- A window both sources computed counts as the point's own source's (so the point itself
                          -- is the first: its state held at least its own window), and as the engine's otherwise.
                          order by p.window_start desc, p.source <> n.source, p.source limit $2) d) h
       ) s
      where n.id = any($1::uuid[]) and n.result in ('pass', 'fail')
        -- A pass is a change only after a failure among the windows the lateral reads, so a pass point whose control
        -- has no failing window up to its own (control_windows_failed_idx, one probe), or whose scope's look-back has
        -- no failing point, skips the lateral's sort and window functions: most points pass, and this statement
        -- took about a tenth of the engine's Postgres time per run. Both tests are implied by s.previous = 'fail'.
        and (n.result = 'fail'
             or (exists (select 1 from control_windows w
                          where w.control_id = n.control_id and w.failed and w.window_start <= n.window_start)
                 and exists (select 1 from (select p.result from points p
                                             where p.control_id = n.control_id and p.scope_key = n.scope_key
                                               and p.window_start <= n.window_start and p.result in ('pass', 'fail')
                                             order by p.window_start desc limit ${LOOK_BACK_POINTS}) f
                              where f.result = 'fail')))
        and (n.result = 'fail' or s.previous = 'fail') and s.held <= $3
        and not exists (select 1 from points q
                         where q.control_id = n.control_id and q.scope_key = n.scope_key
                           and q.window_start > n.window_start and q.id <> all($1::uuid[]))`,
    ),
    [pointIds, MAX_HOLD_WINDOWS + 1, MAX_HOLD_WINDOWS],
  );
}

/**
 * The stale sweep: control.stale for each control that became stale at `at` (reporting.control_states, the one
 * definition) since its last stale/fresh event, control.fresh for each that was stale and no longer is. Once per
 * transition: the caller holds the sweep's advisory lock.
 */
export async function insertStaleTransitions(tx: Queryable, at: Date): Promise<number> {
  const result = await tx.query(
    `insert into event_outbox (type, catalog_id, control_id, previous_state, new_state, threshold, window_start, window_end)
     select case when cs.is_stale then 'control.stale' else 'control.fresh' end, cs.catalog_id, cs.control_id,
            case when cs.is_stale then cs.result_state else 'stale' end,
            case when cs.is_stale then 'stale' else cs.result_state end,
            cs.threshold, cs.last_window_start, cs.last_window_end
       from (select control_id, catalog_id, threshold, last_window_start, last_window_end,
                    coalesce(is_active and stale_at <= $1, false) as is_stale,
                    case last_result when 'pass' then 'passing' when 'fail' then 'failing' else 'not_evaluated' end as result_state
               from reporting.control_states where not is_archived) cs
       left join lateral (select e.type from event_outbox e
                           where e.control_id = cs.control_id and e.type in ('control.stale', 'control.fresh')
                           order by e.seq desc limit 1) last on true
      where (cs.is_stale and last.type is distinct from 'control.stale') or (not cs.is_stale and last.type = 'control.stale')`,
    [at],
  );
  return result.rowCount ?? 0;
}

/**
 * run.error for each control whose last `threshold` finished runs (or more) all ended in error, once per streak: not
 * when a run.error event was written since the streak began (after the control's last run that succeeded). An error
 * is a run that ended without a verdict, `error` or `failed` (as the controls' "error" filter counts it); a cancelled
 * run neither counts nor breaks the streak.
 */
export async function insertRunErrorStreaks(tx: Queryable, threshold: number): Promise<number> {
  const result = await tx.query(
    `insert into event_outbox (type, catalog_id, control_id, consecutive_errors, new_state)
     select 'run.error', c.catalog_id, c.id, streak.errors, null
       from controls c
       cross join lateral (
         select count(*)::int as errors, min(r.finished_at) as since from runs r
          where r.control_id = c.id and r.status in ('error', 'failed')
            and r.finished_at > coalesce((select max(ok.finished_at) from runs ok
                                           where ok.control_id = c.id and ok.status = 'succeeded'), '-infinity')
       ) streak
      where c.archived_at is null and streak.errors >= $1
        and not exists (select 1 from event_outbox e where e.control_id = c.id and e.type = 'run.error'
                           and e.occurred_at >= streak.since)`,
    [threshold],
  );
  return result.rowCount ?? 0;
}

/**
 * catalog.compliance_below for each catalog whose compliance (passing over passing, failing and stale controls, as
 * the overview counts it) fell below `level` since the sweep last looked; catalog_compliance_marks remembers which
 * side of the level each catalog was on, so a catalog that stays below is reported once.
 */
export async function insertComplianceCrossings(tx: Queryable, level: number, at: Date): Promise<number> {
  const result = await tx.query(
    `with compliance as (
       select catalog_id, round(100.0 * count(*) filter (where state = 'passing')
                                / nullif(count(*) filter (where state in ('passing', 'failing', 'stale')), 0), 2) as compliance
         from (select catalog_id, reporting.control_state(is_active, stale_at, last_result, $2) as state
                 from reporting.control_states where not is_archived) s
        group by catalog_id
     ),
     previous as (select catalog_id, is_below from catalog_compliance_marks),
     marked as (
       insert into catalog_compliance_marks (catalog_id, is_below, compliance, updated_at)
       select catalog_id, compliance < $1, compliance, $2 from compliance where compliance is not null
       on conflict (catalog_id) do update set is_below = excluded.is_below, compliance = excluded.compliance,
                                             updated_at = excluded.updated_at
       returning catalog_id, is_below, compliance
     )
     insert into event_outbox (type, catalog_id, compliance, threshold)
     select 'catalog.compliance_below', marked.catalog_id, marked.compliance, $1
       from marked left join previous on previous.catalog_id = marked.catalog_id
      -- Every statement of the WITH sees the marks as they were before it: previous is the side the catalog was on.
      where marked.is_below and not coalesce(previous.is_below, false)`,
    [level, at],
  );
  return result.rowCount ?? 0;
}

/** Takes up to `limit` events no channel has taken yet, locked until the transaction ends (others skip them). */
export async function claimPendingEvents(tx: Queryable, limit: number): Promise<OutboxEvent[]> {
  // Named (prepared once per connection): the dispatcher polls with it several times a second, idle or not, and
  // parsing and planning it cost about nine tenths of its server time (0.75 of 0.78 ms, log_statement_stats).
  const result = await tx.query<OutboxEvent>(
    namedStatement(
      "event_outbox_claim_pending",
      `with claimed as (select id from event_outbox where dispatched_at is null order by seq limit $1 for update skip locked)
     select ${EVENT_COLUMNS}
       from event_outbox e join claimed on claimed.id = e.id
       left join catalogs cat on cat.id = e.catalog_id
       left join controls c on c.id = e.control_id
      order by e.seq`,
    ),
    [limit],
  );
  return result.rows;
}

export async function markEventsDispatched(tx: Queryable, ids: string[]): Promise<void> {
  await tx.query("update event_outbox set dispatched_at = now() where id = any($1::uuid[])", [ids]);
}

/** Events since `since`, newest first: those a user reads in the bell (every signed-in user reads every catalog). */
export async function listEventsSince(db: Queryable, since: Date, limit: number): Promise<OutboxEvent[]> {
  const result = await db.query<OutboxEvent>(
    `select ${EVENT_COLUMNS}
       from event_outbox e
       left join catalogs cat on cat.id = e.catalog_id
       left join controls c on c.id = e.control_id
      where e.occurred_at >= $1 and e.held_windows = 1 and cat.archived_at is null
      order by e.occurred_at desc, e.seq desc limit $2`,
    [since, limit],
  );
  return result.rows;
}
