import {
  POINT_TOTAL_CAP,
  type ComplianceAggregate,
  type ControlCompliance,
  type Page,
  type RegistryGuarantee,
  type RegistryGuaranteePage,
  type TrendBucket,
} from "@status/shared";
import type { Queryable } from "../../db/database.ts";
import { cappedTotal, decodeCursor, encodeCursor } from "../../db/keyset.ts";
import { WhereBuilder } from "../../db/pagination.ts";

export interface PointFilters {
  controlId?: string | undefined;
  catalogId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  scope?: string | undefined;
  source?: "engine" | "registry" | undefined;
}

/** `team:payments` → `{"team":"payments"}` for a jsonb containment match. */
function scopeFilter(scope: string | undefined): string | undefined {
  if (!scope) return undefined;
  const separator = scope.indexOf(":");
  return JSON.stringify({ [scope.slice(0, separator)]: scope.slice(separator + 1) });
}

function limitOffset(values: unknown[], page: number, pageSize: number): string {
  values.push(pageSize, (page - 1) * pageSize);
  return `limit $${values.length - 1} offset $${values.length}`;
}

/** The guarantees' one order, named in their cursors. */
const GUARANTEE_SORT = "-windowStart";

/**
 * A page of eligible points, newest window first (then control name, scope and id), after the cursor when there is
 * one. The eligibility test is per row (an engine point, or a registry point whose window the engine has not
 * computed: one probe of points_window_key) instead of a DISTINCT ON over every matching point, so the first page
 * reads a page of the window index; the total is exact up to POINT_TOTAL_CAP and estimated past it.
 */
export async function listGuaranteePoints(
  db: Queryable,
  filters: PointFilters,
  page: number,
  pageSize: number,
  cursor?: string,
): Promise<RegistryGuaranteePage> {
  const where = eligibleWhere(filters);
  if (cursor) {
    where.addAll(
      `p.window_start <= $1?::timestamptz and (p.window_start < $1?::timestamptz or (c.name, p.scope_key, p.id) > ($2?, $3?, $4?::uuid))`,
      decodeCursor(cursor, GUARANTEE_SORT, 4),
    );
  }
  const values = [...where.values];
  const paging = limitOffset(values, cursor ? 1 : page, pageSize);
  const [result, total] = await Promise.all([
    db.query<RegistryGuarantee & { cursorValue: string; scopeKey: string }>(
      `select p.id, 'tpa-' || p.catalog_id as "agreementId", 'CONTROL_' || replace(p.control_id::text, '-', '') as "guaranteeId",
              p.control_id as "controlId", c.name as "controlName", p.catalog_id as "catalogId", cat.name as "catalogName", p.source,
              p.scope, p.window_start as "windowStart", p.window_end as "windowEnd", p.value::float8 as value,
              p.threshold::float8 as threshold, p.result, p.window_start::text as "cursorValue", p.scope_key as "scopeKey"
         from points p join controls c on c.id = p.control_id join catalogs cat on cat.id = p.catalog_id
         ${where.toSql()}
        order by p.window_start desc, c.name, p.scope_key, p.id ${paging}`,
      values,
    ),
    cappedTotal(db, "points p", eligibleWhere(filters), POINT_TOTAL_CAP),
  ]);
  const last = result.rows.at(-1);
  return {
    items: result.rows.map(({ cursorValue: _value, scopeKey: _key, ...row }) => row),
    ...total,
    page,
    pageSize,
    nextCursor:
      last && result.rows.length === pageSize
        ? encodeCursor(GUARANTEE_SORT, [last.cursorValue, last.controlName, last.scopeKey, last.id])
        : null,
  };
}

/** The filters and the one-point-per-window rule as a per-row condition on `points p`. */
function eligibleWhere(filters: PointFilters): WhereBuilder {
  const where = new WhereBuilder()
    .add("p.control_id = $?", filters.controlId)
    .add("p.catalog_id = $?", filters.catalogId)
    .add("p.window_start >= $?", filters.from)
    .add("p.window_start < $?", filters.to)
    .add("p.scope @> $?::jsonb", scopeFilter(filters.scope))
    .add("p.source = $?", filters.source);
  if (!filters.source) {
    where.raw(`(p.source = 'engine' or not exists (
                 select 1 from points o where o.control_id = p.control_id and o.scope_key = p.scope_key
                    and o.window_start = p.window_start and o.source = 'engine'))`);
  }
  return where;
}

const DAY_MS = 86_400_000;

/**
 * The counted rows behind the compliance answers, as (control, counts…) rows: the daily rollup (point_daily,
 * migration 0063) for the whole UTC days inside [from, to), and the eligible points themselves for the partial days
 * at either edge, so a year costs a year of days, never its points. Without a source filter the rollup's shadowed
 * registry points (windows the engine computed too) are subtracted: one point per window, as the points give it.
 * With `ofControl` (a column of the calling query naming one control of the catalog) the rows are that control's, found
 * through its own indexes (point_daily_control_counts_idx, points_control_windows_idx) instead of filtering the whole
 * catalog's (the catalog's rows of a control are all of that control's rows). Each row carries `window_start`: its
 * point's, or the start of its rollup day (UTC), for callers that bucket by time. Without `wholeDays` every row is a
 * point (for buckets a UTC day can straddle).
 */
function countedRows(
  filters: PointFilters & { catalogId: string },
  values: unknown[],
  ofControl?: string,
  wholeDays = true,
): string {
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const from = filters.from ? Date.parse(filters.from) : undefined;
  const to = filters.to ? Date.parse(filters.to) : undefined;
  const firstDay = from === undefined ? undefined : Math.ceil(from / DAY_MS) * DAY_MS;
  const endDay = to === undefined ? undefined : Math.floor(to / DAY_MS) * DAY_MS;
  const iso = (ms: number) => new Date(ms).toISOString();
  const parts: string[] = [];
  const rawPart = (rawFrom: string | undefined, rawTo: string | undefined) => {
    const where = eligibleWhere({
      ...filters,
      catalogId: ofControl ? undefined : filters.catalogId,
      from: rawFrom,
      to: rawTo,
    });
    const offset = values.length;
    values.push(...where.values);
    const filtered = where.toSql().replace(/\$(\d+)/g, (_, index: string) => `$${Number(index) + offset}`);
    // Added after the renumbering: `ofControl` may itself be a parameter of the calling query.
    const ofThisControl = `p.control_id = ${ofControl}`;
    const sql = !ofControl ? filtered : filtered ? `${filtered} and ${ofThisControl}` : `where ${ofThisControl}`;
    parts.push(`select p.control_id, p.window_start, 1 as points, (p.result = 'pass')::int as passed, (p.result = 'fail')::int as failed,
                       (p.result = 'not_applicable')::int as not_applicable, coalesce(p.value, 0) as value_sum,
                       (p.value is not null)::int as value_count
                  from points p ${sql}`);
  };
  if (!wholeDays || (firstDay !== undefined && endDay !== undefined && firstDay >= endDay)) {
    rawPart(filters.from, filters.to);
    return parts.join(" union all ");
  }
  const net = (column: string) => (filters.source ? `d.${column}` : `d.${column} - d.shadowed_${column}`);
  const conditions = [ofControl ? `d.control_id = ${ofControl}` : `d.catalog_id = ${param(filters.catalogId)}`];
  if (filters.controlId) conditions.push(`d.control_id = ${param(filters.controlId)}`);
  if (firstDay !== undefined) conditions.push(`d.day >= (${param(iso(firstDay))}::timestamptz at time zone 'UTC')`);
  if (endDay !== undefined) conditions.push(`d.day < (${param(iso(endDay))}::timestamptz at time zone 'UTC')`);
  if (filters.scope) conditions.push(`d.scope @> ${param(scopeFilter(filters.scope))}::jsonb`);
  if (filters.source) conditions.push(`d.source = ${param(filters.source)}`);
  parts.push(`select d.control_id, d.day at time zone 'UTC' as window_start, ${net("points")} as points, ${net("passed")} as passed, ${net("failed")} as failed,
                     ${net("not_applicable")} as not_applicable, ${net("value_sum")} as value_sum,
                     ${net("value_count")} as value_count
                from point_daily d where ${conditions.join(" and ")}`);
  if (firstDay !== undefined && from !== firstDay) rawPart(filters.from, iso(firstDay));
  if (endDay !== undefined && to !== endDay) rawPart(iso(endDay), filters.to);
  return parts.join(" union all ");
}

const COUNTED_AGGREGATE_COLUMNS = `coalesce(sum(e.points), 0)::int as "pointCount", coalesce(sum(e.passed), 0)::int as "passCount",
  coalesce(sum(e.failed), 0)::int as "failCount", coalesce(sum(e.not_applicable), 0)::int as "notApplicableCount",
  round(100.0 * sum(e.passed) / nullif(sum(e.passed) + sum(e.failed), 0), 3)::float8 as compliance,
  round(sum(e.value_sum) / nullif(sum(e.value_count), 0), 3)::float8 as "averageValue"`;

export async function aggregatePoints(
  db: Queryable,
  filters: PointFilters & { catalogId: string },
): Promise<ComplianceAggregate> {
  const values: unknown[] = [];
  const rows = countedRows(filters, values);
  const result = await db.query<ComplianceAggregate>(`select ${COUNTED_AGGREGATE_COLUMNS} from (${rows}) e`, values);
  return result.rows[0]!;
}

/**
 * Per control of the catalog (those without points too), ordered by name: the page of controls first, then each
 * one's counted rows (point_daily_control_counts_idx) and its newest eligible point (points_control_windows_idx).
 */
export async function aggregatePointsByControl(
  db: Queryable,
  catalogId: string,
  filters: PointFilters,
  page: number,
  pageSize: number,
): Promise<Page<ControlCompliance>> {
  const values: unknown[] = [catalogId];
  const paging = limitOffset(values, page, pageSize);
  const rows = countedRows({ ...filters, catalogId }, values, "listed.id");
  const latest = eligibleWhere({ ...filters, controlId: undefined, catalogId: undefined });
  const offset = values.length;
  values.push(...latest.values);
  const latestWhere = latest
    .toSql()
    .replace(/\$(\d+)/g, (_, index: string) => `$${Number(index) + offset}`)
    .replace(/^where /, "and ");
  const result = await db.query<ControlCompliance & { total: number }>(
    `with listed as (
       select c.id, c.name, count(*) over ()::int as total from controls c where c.catalog_id = $1
        order by lower(c.name), c.id ${paging}
     )
     select listed.id as "controlId", listed.name as "controlName", counted.*, newest.window_start as "latestWindowStart",
            newest.result as "latestResult", listed.total
       from listed
       cross join lateral (select ${COUNTED_AGGREGATE_COLUMNS} from (${rows}) e) counted
       left join lateral (select p.window_start, p.result from points p where p.control_id = listed.id ${latestWhere}
                           order by p.window_start desc, (p.source = 'engine') desc limit 1) newest on true
      order by lower(listed.name), listed.id`,
    values,
  );
  const total =
    result.rows[0]?.total ??
    Number(
      (await db.query<{ n: number }>("select count(*)::int as n from controls where catalog_id = $1", [catalogId]))
        .rows[0]?.n ?? 0,
    );
  return { items: result.rows.map(({ total: _total, ...row }) => row), total, page, pageSize };
}

const TRUNC_UNITS = { daily: "day", weekly: "week", monthly: "month" } as const;

/**
 * Zones whose days are UTC days, so that each of point_daily's days lies inside one day, week and month bucket. In any
 * other zone a UTC day can straddle two buckets, and the trend counts the points themselves.
 */
const UTC_ZONES = new Set(["UTC", "Etc/UTC", "Etc/GMT", "GMT", "Etc/Universal", "Universal", "Etc/Zulu", "Zulu"]);

/**
 * Buckets of the control's points by the start of their window, in the catalog's time zone, oldest first. The counted
 * rows are those of the compliance answers (countedRows): in a UTC catalog whole days come from the rollup, so a
 * control's years of hourly points cost their days (at 10 M points, 100,000 points per control: ~800 rollup rows per
 * scope); elsewhere the eligible points are counted one by one, each tested on its own instead of sorted for a
 * DISTINCT ON. A bucket is listed when it counts a point.
 */
export async function trendBuckets(
  db: Queryable,
  filters: PointFilters & { controlId: string; catalogId: string },
  period: keyof typeof TRUNC_UNITS,
  timeZone: string,
  page: number,
  pageSize: number,
): Promise<Page<TrendBucket>> {
  // The control as `ofControl`: its rollup rows are read from point_daily_control_counts_idx alone.
  const values: unknown[] = [filters.controlId];
  const rows = countedRows(filters, values, "$1::uuid", UTC_ZONES.has(timeZone));
  values.push(TRUNC_UNITS[period], timeZone);
  const unit = `$${values.length - 1}`;
  const zone = `$${values.length}`;
  const paging = limitOffset(values, page, pageSize);
  const result = await db.query<TrendBucket & { total: number }>(
    `select e."bucketStart", ${COUNTED_AGGREGATE_COLUMNS}, count(*) over ()::int as total
       from (select (date_trunc(${unit}, x.window_start at time zone ${zone}) at time zone ${zone}) as "bucketStart", x.*
               from (${rows}) x) e
      group by e."bucketStart" having sum(e.points) > 0 order by e."bucketStart" ${paging}`,
    values,
  );
  return {
    items: result.rows.map(({ total: _total, ...row }) => row),
    total: result.rows[0]?.total ?? 0,
    page,
    pageSize,
  };
}
