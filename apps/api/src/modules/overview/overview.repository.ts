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
import { queryPrepared } from "../../db/prepared.ts";

/**
 * Read-only queries behind the overview and the catalog page's control states. They read the tables the writes keep
 * beside the points (point_latest and point_daily of migration 0063, control_latest of migration 0081) and the
 * reporting views built on them, and plain tables otherwise.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** The overview's catalogs: each one's compliance now, and per UTC day from a day on for those with points then. */
export interface CatalogOverview {
  catalogs: CatalogCompliance[];
  /** In catalog id order, oldest day first (the order reporting.catalog_compliance_daily was read in). */
  series: ComplianceSeries[];
  /**
   * The earliest stale_at after `at` of a control counted here: until then (and while nothing is written) the counts
   * stay what they are at `at`. Null when no counted control becomes stale later.
   */
  nextStaleAt: string | null;
}

/**
 * Compliance now of the first `limit` catalogs by name, counted in controls: each control is passing, failing, stale,
 * not yet evaluated or not applicable at `at` (reporting.control_state over reporting.control_states, the same
 * definition Grafana reads), so the five add up to the catalog's controls. Stale counts against compliance, never for
 * it. Archived catalogs and controls are out of the overview (their record stays readable under the Archived filter).
 *
 * The view's stale_at and last_result are stored per control in control_latest (migration 0081), so only the
 * comparison with `at` is left: a control is stale when its stale_at (only an active control has one) is at or before
 * `at`, else its state is its last result. Only active controls and those with points have a row there; the rest (most
 * of a catalog of drafts) are not evaluated, counted as the remainder. The results equal the view's for every control
 * (control-states-sql.int.test.ts). A catalog's unarchived controls are its count kept by migration 0083's triggers
 * less its archived ones (controls_archived_idx, migration 0087), not an index count of every control (9,500 entries
 * for a catalog of drafts).
 *
 * In the same statement, each listed catalog's compliance per UTC day from `seriesSince` (the day it falls in), as
 * reporting.catalog_compliance_daily gives it, summed from catalog_daily (migration 0086): at most 16 rows per catalog
 * and day, whatever the controls and scopes under them. Each catalog's days come as one JSON text of [day number,
 * points, compliance] triples, so a year of days is one value to parse, not 365 rows to convert; the day leaves
 * Postgres as a number because formatting it there (to_char in a JSON object per day) cost Postgres more than the
 * ISO string costs here.
 * `seriesSince` null: no series.
 *
 * A fixed text run on every request: prepared, so Postgres plans it once per connection (planning was about as much
 * of the overview's Postgres time as executing).
 */
export async function listCatalogOverview(
  db: Queryable,
  input: { limit: number; at: Date; seriesSince: string | null },
): Promise<CatalogOverview> {
  const result = await queryPrepared<CatalogCompliance & { series: string | null; nextStaleAt: string | null }>(
    db,
    `select catalogs.id as "catalogId", catalogs.name as "catalogName", catalogs.status,
            listed.controls::int as "controlCount",
            states.evaluated::int as evaluated,
            states.passing::int as passing,
            states.failing::int as failing,
            states.stale::int as stale,
            (listed.controls - states.stale - states.passing - states.failing - states.not_applicable)::int
              as "notEvaluated",
            states.not_applicable::int as "notApplicable",
            round(100.0 * states.passing / nullif(states.passing + states.failing + states.stale, 0), 2) as compliance,
            states.next_stale_at as "nextStaleAt",
            (select json_agg(json_build_array(days.day::date - date '1970-01-01', days.points, days.compliance)
                             order by days.day)::text
               from (select daily.day, sum(daily.points)::int as points,
                            round(100.0 * sum(daily.passed) / nullif(sum(daily.passed) + sum(daily.failed), 0), 2)
                              as compliance
                       from catalog_daily daily
                      where $3::timestamptz is not null and daily.catalog_id = catalogs.id
                        and daily.day >= ($3::timestamptz at time zone 'UTC')
                      group by daily.day
                     having sum(daily.points) > 0) days) as series
       from catalogs
      cross join lateral (
        select (select coalesce(sum(counts.control_count), 0) from catalog_control_counts counts
                 where counts.catalog_id = catalogs.id)
             - (select count(*) from controls where controls.catalog_id = catalogs.id and controls.archived_at is not null)
               as controls
      ) listed
      cross join lateral (
        select count(last_result) as evaluated,
               count(*) filter (where stale_at <= $2) as stale,
               count(*) filter (where last_result = 'pass' and not coalesce(stale_at <= $2, false)) as passing,
               count(*) filter (where last_result = 'fail' and not coalesce(stale_at <= $2, false)) as failing,
               count(*) filter (where last_result = 'not_applicable' and not coalesce(stale_at <= $2, false))
                 as not_applicable,
               min(stale_at) filter (where stale_at > $2) as next_stale_at
          from control_latest
         where control_latest.catalog_id = catalogs.id and control_latest.is_listed
      ) states
      where catalogs.archived_at is null
      order by lower(catalogs.name), catalogs.id
      limit $1`,
    [input.limit, input.at, input.seriesSince],
  );
  const series: ComplianceSeries[] = [];
  let nextStaleAt: string | null = null;
  const catalogs = result.rows.map(({ series: days, nextStaleAt: staleAt, ...catalog }) => {
    if (staleAt !== null && (nextStaleAt === null || Date.parse(staleAt) < Date.parse(nextStaleAt)))
      nextStaleAt = staleAt;
    if (days !== null) {
      series.push({
        catalogId: catalog.catalogId,
        catalogName: catalog.catalogName,
        days: (JSON.parse(days) as [number, number, number | null][]).map(([day, points, compliance]) => ({
          day: new Date(day * DAY_MS).toISOString(),
          points,
          compliance,
        })),
      });
    }
    return catalog;
  });
  // Uuids in their canonical lowercase text compare as Postgres compares the values.
  series.sort((a, b) => (a.catalogId < b.catalogId ? -1 : 1));
  return { catalogs, series, nextStaleAt };
}

/** Compliance now of the first `limit` catalogs by name (listCatalogOverview without the series). */
export async function listCatalogCompliance(db: Queryable, limit: number, at: Date): Promise<CatalogCompliance[]> {
  return (await listCatalogOverview(db, { limit, at, seriesSince: null })).catalogs;
}

/**
 * How many changes have been committed to the tables the overview reads (migration 0096's counter). Equal values read
 * at two moments mean that nothing the overview shows changed between them. The counter table's identity is part of
 * it: a dump restored into the live database (`pg_restore --clean`) brings back old counts, but in a table made anew.
 */
export async function readOverviewVersion(db: Queryable): Promise<string> {
  const result = await queryPrepared<{ version: string }>(
    db,
    "select sum(version)::text || '@' || min(tableoid::int8)::text as version from overview_versions",
    [],
  );
  return result.rows[0]!.version;
}

/** A control of a catalog with its state at `at`, its newest point over all scopes and its failing scopes. */
export interface ControlStateRow {
  controlId: string;
  state: ControlStateValue;
  staleAt: string | null;
  lastEvaluatedAt: string | null;
  lastPoint: { result: ComplianceResult; value: number | null; windowStart: string; windowEnd: string } | null;
  failingScopes: number;
  /** Its most recently created run. */
  lastRun: { id: string; status: RunStatus; createdAt: string; finishedAt: string | null } | null;
  /** Where its schedule stands, when the scheduler evaluates it (listScheduleStates' conditions). */
  schedule: ScheduleState | null;
}

/**
 * Each control of a catalog by name, in one statement: its state at `at` and its newest point by window over all its
 * scopes with how many of them failed last (control_latest, the values of reporting.control_states and point_latest
 * the writes keep), its latest run (runs_control_idx) and, for a control the scheduler evaluates, its schedule cursors.
 * Prepared: on a warm connection, planning it took 0.33 ms against 0.2 ms of execution for a catalog of 25 controls
 * (EXPLAIN ANALYZE), and its generic plan (index look-ups per control of the catalog) runs as fast as the custom one
 * there (0.28 ms) and for a catalog of 9,500 drafts (50-100 ms either way).
 */
export async function listControlStatesOfCatalog(
  db: Queryable,
  catalogId: string,
  at: Date,
): Promise<ControlStateRow[]> {
  const result = await queryPrepared<
    Omit<ControlStateRow, "lastPoint" | "lastRun" | "schedule"> & {
      lastResult: ComplianceResult | null;
      lastValue: number | null;
      lastWindowStart: string | null;
      lastWindowEnd: string | null;
      runId: string | null;
      runStatus: RunStatus | null;
      runCreatedAt: string | null;
      runFinishedAt: string | null;
      isScheduled: boolean;
    } & Omit<ScheduleState, "controlId">
  >(
    db,
    `select controls.id as "controlId",
            reporting.control_state(latest.stale_at is not null, latest.stale_at, latest.last_result, $2) as state,
            latest.stale_at as "staleAt", latest.last_evaluated_at as "lastEvaluatedAt",
            latest.newest_result as "lastResult", latest.newest_value as "lastValue",
            latest.newest_window_start as "lastWindowStart", latest.newest_window_end as "lastWindowEnd",
            coalesce(latest.failing_scopes, 0) as "failingScopes",
            run.id as "runId", run.status as "runStatus", run.created_at as "runCreatedAt",
            run.finished_at as "runFinishedAt", catalogs.id as "catalogId",
            -- The schedule, for a control the scheduler evaluates (listScheduleStates' conditions and columns).
            (controls.status = 'finalized' and catalogs.status = 'finalized' and controls.mashup_id is not null
             and controls.archived_at is null and catalogs.archived_at is null
             and greatest(controls.start_date, catalogs.start_date) is not null) as "isScheduled",
            controls.name as "controlName", catalogs.name as "catalogName", controls.period,
            catalogs.time_zone as "timeZone", catalogs.first_day_of_week as "firstDayOfWeek",
            greatest(controls.start_date, catalogs.start_date) as "startDate",
            least(controls.end_date, catalogs.end_date) as "endDate",
            cursors.earliest as "earliestCursor", cursors.count as "cursorCount",
            (select count(*) from scope_sets where scope_sets.control_id = controls.id)::int as "scopeSetCount"
       from controls
       join catalogs on catalogs.id = controls.catalog_id
       left join control_latest latest on latest.control_id = controls.id
       left join lateral (
         select runs.id, runs.status, runs.created_at, runs.finished_at from runs where runs.control_id = controls.id
          order by runs.created_at desc, runs.id desc limit 1
       ) run on true
      cross join lateral (
        select min(scheduled_through) as earliest, count(*)::int as count
          from schedule_cursors where schedule_cursors.control_id = controls.id
      ) cursors
      where controls.catalog_id = $1
      order by lower(controls.name), controls.id`,
    [catalogId, at],
  );
  return result.rows.map((row) => ({
    controlId: row.controlId,
    state: row.state,
    staleAt: row.staleAt,
    lastEvaluatedAt: row.lastEvaluatedAt,
    lastPoint:
      row.lastResult === null
        ? null
        : {
            result: row.lastResult,
            value: row.lastValue,
            windowStart: row.lastWindowStart!,
            windowEnd: row.lastWindowEnd!,
          },
    failingScopes: row.failingScopes,
    lastRun:
      row.runId === null
        ? null
        : { id: row.runId, status: row.runStatus!, createdAt: row.runCreatedAt!, finishedAt: row.runFinishedAt },
    schedule: row.isScheduled
      ? {
          controlId: row.controlId,
          controlName: row.controlName,
          catalogId: row.catalogId,
          catalogName: row.catalogName,
          period: row.period,
          timeZone: row.timeZone,
          firstDayOfWeek: row.firstDayOfWeek,
          startDate: row.startDate,
          endDate: row.endDate,
          earliestCursor: row.earliestCursor,
          cursorCount: row.cursorCount,
          scopeSetCount: row.scopeSetCount,
        }
      : null,
  }));
}

/** Latest points that failed, most recent window first, and how many there are in all. */
export async function listFailingControls(
  db: Queryable,
  limit: number,
): Promise<{ items: FailingControl[]; total: number }> {
  const result = await queryPrepared<FailingControl & { total: number }>(
    db,
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

/** Controls the scheduler evaluates that share everything their next run depends on (nextScheduledRun's inputs). */
export interface ScheduleGroup {
  period: Period;
  timeZone: string;
  firstDayOfWeek: number;
  /** The earliest cursor, or the start date while a scope has no cursor yet (nextScheduledRun's rule). */
  scheduledFrom: string;
  endDate: string | null;
  controlCount: number;
  /**
   * The group's controls as parallel JSON arrays of strings (the i-th control is controlIds[i], named controlNames[i]),
   * parsed only for the groups shown.
   */
  controlIds: string;
  controlNames: string;
  catalogIds: string;
  catalogNames: string;
}

/**
 * Every control the scheduler evaluates (the same conditions as its own query) grouped by its next run's inputs: a
 * scheduler tick moves every cursor of a period to the same window end, so a few groups hold hundreds of controls,
 * and the overview computes one next run per group. Each column of the controls is one JSON array: a JSON object per
 * control doubled the statement's time in Postgres, and Postgres arrays cost more to parse here than the rows did.
 */
export async function listScheduleGroups(db: Queryable): Promise<ScheduleGroup[]> {
  const result = await queryPrepared<ScheduleGroup>(
    db,
    `select controls.period, catalogs.time_zone as "timeZone", catalogs.first_day_of_week as "firstDayOfWeek",
            case when cursors.earliest is null or cursors.count < greatest(1, scope_sets.count)
                 then greatest(controls.start_date, catalogs.start_date) else cursors.earliest
            end as "scheduledFrom",
            least(controls.end_date, catalogs.end_date) as "endDate",
            count(*)::int as "controlCount",
            array_to_json(array_agg(controls.id))::text as "controlIds",
            array_to_json(array_agg(controls.name))::text as "controlNames",
            array_to_json(array_agg(catalogs.id))::text as "catalogIds",
            array_to_json(array_agg(catalogs.name))::text as "catalogNames"
       from controls join catalogs on catalogs.id = controls.catalog_id
      cross join lateral (select min(scheduled_through) as earliest, count(*) as count
                            from schedule_cursors where schedule_cursors.control_id = controls.id) cursors
      cross join lateral (select count(*) as count from scope_sets where scope_sets.control_id = controls.id) scope_sets
      where controls.status = 'finalized' and catalogs.status = 'finalized' and controls.mashup_id is not null
        and controls.archived_at is null and catalogs.archived_at is null
        and greatest(controls.start_date, catalogs.start_date) is not null
      group by 1, 2, 3, 4, 5`,
    [],
  );
  return result.rows;
}
