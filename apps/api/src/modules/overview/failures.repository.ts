import type { FailedControl } from "@status/shared";
import type { Queryable } from "../../db/database.ts";
import { CONTROL_OWNER_COLUMN } from "../../db/handling-columns.ts";

/** $1 from, $2 to, $3 catalog id or null, $4 the instant of the state, $5 limit. Exported for npm run bench:states. */
export const FAILED_CONTROLS_SQL = `with failed as (
     select points.control_id, count(distinct points.window_start)::int as failed_windows,
            max(points.window_start) as newest_failed
       from points
       join controls on controls.id = points.control_id and controls.archived_at is null
       join catalogs on catalogs.id = controls.catalog_id and catalogs.archived_at is null
      where points.result = 'fail' and points.window_start >= $1 and points.window_start < $2
        and ($3::uuid is null or points.catalog_id = $3::uuid)
      group by points.control_id
   ),
   listed as (
     select failed.*, count(*) over ()::int as total from failed order by newest_failed desc, control_id limit $5
   )
   select catalogs.id as "catalogId", catalogs.name as "catalogName", catalogs.time_zone as "timeZone",
          controls.id as "controlId", controls.name as "controlName", controls.period,
          state.value as state, ${CONTROL_OWNER_COLUMN} as owner, listed.failed_windows as "failedWindows",
          evaluated.windows as "evaluatedWindows",
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
       select count(distinct points.window_start)::int as windows
         from points where points.control_id = listed.control_id and points.window_start >= $1 and points.window_start < $2
     ) evaluated
     cross join lateral (
       select points.window_end, points.computation_id
         from points
        where points.control_id = listed.control_id and points.window_start = listed.newest_failed and points.result = 'fail'
        order by points.computation_id is null, points.created_at desc
        limit 1
     ) newest
     left join lateral (
       -- The streak: failing windows after the newest window without a failure, found by walking the control's
       -- windows backwards (an index-only scan that stops at the first such window).
       select min(points.window_start) as since
         from points
        where state.value = 'failing' and points.control_id = listed.control_id and points.result = 'fail'
          and points.window_start > coalesce((
                select windows.window_start
                  from (select recent.window_start, bool_or(recent.result = 'fail') as failed
                          from points recent
                         where recent.control_id = listed.control_id
                         group by recent.window_start
                         order by recent.window_start desc) windows
                 where not windows.failed
                 limit 1), '-infinity')
     ) streak on true
    order by listed.newest_failed desc, lower(controls.name), controls.id`;

/**
 * The controls with a failing point in a window starting in [from, to), newest failure first, at most `limit`, and
 * how many there are. A window counts once per control whatever its scopes and sources. The failing points of the
 * period come from `points_failed_in_period_idx`; everything per control (its windows in the period, its newest
 * failing computation, its current streak) from `points_control_windows_idx`, for the listed controls only. The state
 * is reporting.control_states' at `at` (the API's clock), read per control (the view's grouping column takes the
 * control id, so only that control's scopes are visited). Archived catalogs and controls are left out, as on the
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
