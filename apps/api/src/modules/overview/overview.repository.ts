import type {
  CatalogCompliance,
  ComplianceResult,
  ComplianceSeries,
  ControlStateValue,
  FailingControl,
  Period,
  RunStatus,
} from "@status/shared";
import type { Queryable } from "../../db/database.ts";

/**
 * Read-only queries behind the overview and the catalog page's control states. They read the reporting views of
 * migration 0007 where those fit (latest point per control and scope, compliance per day; since migration 0063 built on
 * the point_latest and point_daily tables the append keeps), and plain tables otherwise.
 */

/**
 * Compliance now of the first `limit` catalogs by name, counted in controls: each control is passing, failing, stale,
 * not yet evaluated or not applicable at `at` (reporting.control_states, the same definition Grafana reads), so the
 * five add up to the catalog's controls. Stale counts against compliance, never for it. Archived catalogs and controls
 * are out of the overview (their record stays readable under the Archived filter).
 *
 * Only an active control can be due or stale, so only those go through the view's calendar (the `is_active` filter
 * reaches the controls scan). Any other control (a draft, or one of a draft catalog) has the state of its newest
 * points alone: those with points are read from point_latest, and the rest, most of a catalog of drafts, are only
 * counted (controls_active_idx) and make up the not-evaluated remainder. The cost follows the active controls and the
 * scopes with points, not the drafts. The results equal the view's for every control (control-states.int.test.ts).
 */
export async function listCatalogCompliance(db: Queryable, limit: number, at: Date): Promise<CatalogCompliance[]> {
  const result = await db.query<CatalogCompliance>(
    `select catalogs.id as "catalogId", catalogs.name as "catalogName", catalogs.status,
            listed.controls::int as "controlCount",
            count(states.last_result)::int as evaluated,
            count(*) filter (where states.state = 'passing')::int as passing,
            count(*) filter (where states.state = 'failing')::int as failing,
            count(*) filter (where states.state = 'stale')::int as stale,
            (listed.controls - count(*) filter (where states.state <> 'not_evaluated'))::int as "notEvaluated",
            count(*) filter (where states.state = 'not_applicable')::int as "notApplicable",
            round(100.0 * count(*) filter (where states.state = 'passing')
                  / nullif(count(*) filter (where states.state in ('passing', 'failing', 'stale')), 0), 2) as compliance
       from catalogs
      cross join lateral (
        select count(*) as controls from controls where controls.catalog_id = catalogs.id and controls.archived_at is null
      ) listed
       left join (
         select catalog_id, last_result, reporting.control_state(true, stale_at, last_result, $2) as state
           from reporting.control_states where is_active
         union all
         -- Never due: the state is the newest points' result (reporting.control_state without a stale moment).
         select controls.catalog_id, newest.last_result,
                reporting.control_state(false, null, newest.last_result, $2) as state
           from (select control_id,
                        case when bool_or(result = 'fail') then 'fail'
                             when bool_or(result = 'pass') then 'pass'
                             else 'not_applicable' end as last_result
                   from point_latest
                  -- The scopes the view reads: the control's scope sets, or the empty scope without any.
                  where exists (select 1 from scope_sets
                                 where scope_sets.control_id = point_latest.control_id
                                   and scope_sets.values_key = point_latest.scope_key)
                     or (point_latest.scope_key = '{}'
                         and not exists (select 1 from scope_sets where scope_sets.control_id = point_latest.control_id))
                  group by control_id) newest
           join controls on controls.id = newest.control_id
           join catalogs inactive on inactive.id = controls.catalog_id
          where controls.archived_at is null and inactive.archived_at is null
            -- The negation of reporting.control_states' is_active for a control outside the archive.
            and not (controls.status = 'finalized' and inactive.status = 'finalized'
                     and (controls.mashup_id is not null or controls.kind = 'push')
                     and greatest(controls.start_date, inactive.start_date) is not null)
       ) states on states.catalog_id = catalogs.id
      where catalogs.archived_at is null
      group by catalogs.id, listed.controls
      order by lower(catalogs.name), catalogs.id
      limit $1`,
    [limit, at],
  );
  return result.rows;
}

/** A control of a catalog with its state at `at`, its newest point over all scopes and its failing scopes. */
export interface ControlStateRow {
  controlId: string;
  state: ControlStateValue;
  staleAt: string | null;
  lastEvaluatedAt: string | null;
  lastPoint: { result: ComplianceResult; value: number | null; windowStart: string; windowEnd: string } | null;
  failingScopes: number;
}

/**
 * Each control of a catalog by name, in one statement: its state at `at` (reporting.control_states, whose catalog
 * filter reaches the controls scan, so only this catalog's scopes are visited), its newest point by window over all
 * its scopes and how many of them failed last (point_latest's primary key, one control at a time).
 */
export async function listControlStatesOfCatalog(
  db: Queryable,
  catalogId: string,
  at: Date,
): Promise<ControlStateRow[]> {
  const result = await db.query<
    Omit<ControlStateRow, "lastPoint"> & {
      lastResult: ComplianceResult | null;
      lastValue: number | null;
      lastWindowStart: string | null;
      lastWindowEnd: string | null;
    }
  >(
    `select controls.id as "controlId",
            coalesce(reporting.control_state(states.is_active, states.stale_at, states.last_result, $2), 'not_evaluated') as state,
            states.stale_at as "staleAt", states.last_evaluated_at as "lastEvaluatedAt",
            newest.result as "lastResult", newest.value as "lastValue", newest.window_start as "lastWindowStart",
            newest.window_end as "lastWindowEnd", failing.scopes::int as "failingScopes"
       from controls
       left join (select control_id, is_active, stale_at, last_result, last_evaluated_at
                    from reporting.control_states where catalog_id = $1) states on states.control_id = controls.id
       left join lateral (
         select result, value, window_start, window_end from point_latest where point_latest.control_id = controls.id
          order by window_start desc, created_at desc limit 1
       ) newest on true
      cross join lateral (
        select count(*) as scopes from point_latest where point_latest.control_id = controls.id and result = 'fail'
      ) failing
      where controls.catalog_id = $1
      order by lower(controls.name), controls.id`,
    [catalogId, at],
  );
  return result.rows.map(({ lastResult, lastValue, lastWindowStart, lastWindowEnd, ...row }) => ({
    ...row,
    lastPoint:
      lastResult === null
        ? null
        : { result: lastResult, value: lastValue, windowStart: lastWindowStart!, windowEnd: lastWindowEnd! },
  }));
}

/** Compliance per UTC day since `since` of the given catalogs, oldest day first. */
export async function listComplianceSeries(
  db: Queryable,
  catalogIds: string[],
  since: string,
): Promise<ComplianceSeries[]> {
  if (catalogIds.length === 0) return [];
  const result = await db.query<{
    catalogId: string;
    catalogName: string;
    day: string;
    points: number;
    compliance: number | null;
  }>(
    `select catalog_id as "catalogId", catalog_name as "catalogName", day at time zone 'UTC' as day, points::int as points, compliance
       from reporting.catalog_compliance_daily
      where catalog_id = any($1::uuid[]) and day >= ($2::timestamptz at time zone 'UTC')
      order by catalog_id, day`,
    [catalogIds, since],
  );
  const byCatalog = new Map<string, ComplianceSeries>();
  for (const row of result.rows) {
    const series = byCatalog.get(row.catalogId) ?? { catalogId: row.catalogId, catalogName: row.catalogName, days: [] };
    series.days.push({ day: row.day, points: row.points, compliance: row.compliance });
    byCatalog.set(row.catalogId, series);
  }
  return [...byCatalog.values()];
}

/** Latest points that failed, most recent window first, and how many there are in all. */
export async function listFailingControls(
  db: Queryable,
  limit: number,
): Promise<{ items: FailingControl[]; total: number }> {
  const result = await db.query<FailingControl & { total: number }>(
    `select catalog_id as "catalogId", catalog_name as "catalogName", control_id as "controlId", control_name as "controlName",
            scope, window_start as "windowStart", window_end as "windowEnd", value, threshold, count(*) over ()::int as total
       from reporting.control_status
      where result = 'fail'
      order by window_end desc, control_name, scope_key
      limit $1`,
    [limit],
  );
  const total = result.rows[0]?.total ?? 0;
  return { items: result.rows.map(({ total: _total, ...row }) => row), total };
}

/** A control the scheduler evaluates, with where its schedule cursors stand. */
export interface ScheduleState {
  controlId: string;
  controlName: string;
  catalogId: string;
  catalogName: string;
  period: Period;
  timeZone: string;
  firstDayOfWeek: number;
  startDate: string;
  endDate: string | null;
  /** The earliest `scheduled_through` over the control's scopes; null before the first tick. */
  earliestCursor: string | null;
  cursorCount: number;
  scopeSetCount: number;
}

/** Every control the scheduler evaluates (the same conditions as its own query), optionally of one catalog. */
export async function listScheduleStates(db: Queryable, catalogId: string | null): Promise<ScheduleState[]> {
  const result = await db.query<ScheduleState>(
    `select controls.id as "controlId", controls.name as "controlName", catalogs.id as "catalogId", catalogs.name as "catalogName",
            controls.period, catalogs.time_zone as "timeZone", catalogs.first_day_of_week as "firstDayOfWeek",
            greatest(controls.start_date, catalogs.start_date) as "startDate",
            nullif(least(coalesce(controls.end_date, 'infinity'), coalesce(catalogs.end_date, 'infinity')), 'infinity') as "endDate",
            (select min(scheduled_through) from schedule_cursors where schedule_cursors.control_id = controls.id) as "earliestCursor",
            (select count(*) from schedule_cursors where schedule_cursors.control_id = controls.id)::int as "cursorCount",
            (select count(*) from scope_sets where scope_sets.control_id = controls.id)::int as "scopeSetCount"
       from controls join catalogs on catalogs.id = controls.catalog_id
      where controls.status = 'finalized' and catalogs.status = 'finalized' and controls.mashup_id is not null
        and controls.archived_at is null and catalogs.archived_at is null
        and greatest(controls.start_date, catalogs.start_date) is not null
        and ($1::uuid is null or catalogs.id = $1::uuid)`,
    [catalogId],
  );
  return result.rows;
}

export interface LatestRunRow {
  controlId: string;
  id: string;
  status: RunStatus;
  createdAt: string;
  finishedAt: string | null;
}

/** The most recently created run of each control of a catalog. */
export async function listLatestRunsOfCatalog(db: Queryable, catalogId: string): Promise<LatestRunRow[]> {
  const result = await db.query<LatestRunRow>(
    `select distinct on (runs.control_id) runs.control_id as "controlId", runs.id, runs.status, runs.created_at as "createdAt",
            runs.finished_at as "finishedAt"
       from runs join controls on controls.id = runs.control_id
      where controls.catalog_id = $1
      order by runs.control_id, runs.created_at desc, runs.id desc`,
    [catalogId],
  );
  return result.rows;
}
