import type { FailedControl } from "@status/shared";
import type { Queryable } from "../../db/database.ts";
import { CONTROL_OWNER_COLUMN } from "../../db/handling-columns.ts";

/** A control's windows and failing windows starting before `bound` (a parameter): its last one's running counts. */
const countsBefore = (bound: string) => `select windows.windows_before + 1 as windows,
                windows.failed_before + windows.failed::int as failed
           from control_windows windows
          where windows.control_id = controls.id and windows.window_start < ${bound}
          order by windows.window_start desc
          limit 1`;

/** $1 from, $2 to, $3 catalog id or null, $4 the instant of the state, $5 limit. Exported for npm run bench:states. */
export const FAILED_CONTROLS_SQL = `with counted as (
     -- A control's windows and failing windows before an instant: the running counts of its last window before it.
     select controls.id as control_id, upto.windows - coalesce(before.windows, 0) as evaluated_windows,
            upto.failed - coalesce(before.failed, 0) as failed_windows
       from controls
       join catalogs on catalogs.id = controls.catalog_id and catalogs.archived_at is null
       cross join lateral (
         ${countsBefore("$2")}
       ) upto
       left join lateral (
         ${countsBefore("$1")}
       ) before on true
      -- The catalog of a control's points is the control's: a control never moves.
      where controls.archived_at is null and ($3::uuid is null or controls.catalog_id = $3::uuid)
   ),
   failed as (
     select counted.control_id, counted.failed_windows, counted.evaluated_windows,
            newest.window_start as newest_failed
       from counted
      cross join lateral (
        select windows.window_start from control_windows windows
         where windows.control_id = counted.control_id and windows.failed
           and windows.window_start >= $1 and windows.window_start < $2
         order by windows.window_start desc
         limit 1
      ) newest
      where counted.failed_windows > 0
   ),
   listed as (
     select failed.*, count(*) over ()::int as total from failed order by newest_failed desc, control_id limit $5
   )
   select catalogs.id as "catalogId", catalogs.name as "catalogName", catalogs.time_zone as "timeZone",
          controls.id as "controlId", controls.name as "controlName", controls.period,
          state.value as state, ${CONTROL_OWNER_COLUMN} as owner, listed.failed_windows as "failedWindows",
          listed.evaluated_windows as "evaluatedWindows",
          listed.newest_failed as "newestFailedWindowStart", newest.window_end as "newestFailedWindowEnd",
          newest.computation_id as "newestFailedComputationId",
          case when state.value = 'failing' then coalesce(streak.since, listed.newest_failed) end as "failingSince",
          listed.total
     from listed
     join controls on controls.id = listed.control_id
     join catalogs on catalogs.id = controls.catalog_id
     cross join lateral (
       select reporting.control_state(states.is_active, states.stale_at, states.last_result, $4) as value
         from reporting.control_states states where states.control_id = listed.control_id
     ) state
     cross join lateral (
       -- The window's points (one per scope and source) from points_control_windows_idx.
       select points.window_end, points.computation_id
         from points
        where points.control_id = listed.control_id and points.window_start = listed.newest_failed and points.result = 'fail'
        order by points.computation_id is null, points.created_at desc
        limit 1
     ) newest
     left join lateral (
       -- The streak: the failing windows after the newest window without a failure, found by walking the control's
       -- windows backwards (an index-only scan that stops at the first such window).
       select min(windows.window_start) as since
         from control_windows windows
        where state.value = 'failing' and windows.control_id = listed.control_id
          and windows.window_start > coalesce((
                select passed.window_start from control_windows passed
                 where passed.control_id = listed.control_id and not passed.failed
                 order by passed.window_start desc
                 limit 1), '-infinity')
     ) streak on true
    order by listed.newest_failed desc, lower(controls.name), controls.id`;

/**
 * The controls with a failing point in a window starting in [from, to), newest failure first, at most `limit`, and
 * how many there are. A window counts once per control whatever its scopes and sources: the windows come from
 * control_windows (migration 0093, one row per control and window with running counts), so each control's windows and
 * failing windows of the period are two probes of its key, its newest failing window one of
 * `control_windows_failed_idx` and its current streak a backward walk of its key, whatever the period's length. Only
 * the newest failing computation is read from the points (`points_control_windows_idx`, that window's few points).
 * The state is reporting.control_states' at `at` (the API's clock), read per control (the view's grouping column takes
 * the control id, so only that control's scopes are visited). Archived catalogs and controls are left out, as on the
 * overview.
 */
export async function listFailedControls(
  db: Queryable,
  input: { from: string; to: string; catalogId: string | null; at: Date; limit: number },
): Promise<{ items: FailedControl[]; total: number }> {
  const result = await db.query<FailedControl & { total: number }>(FAILED_CONTROLS_SQL, [
    input.from,
    input.to,
    input.catalogId,
    input.at,
    input.limit,
  ]);
  const total = result.rows[0]?.total ?? 0;
  return { items: result.rows.map(({ total: _total, ...row }) => row), total };
}
