import type { ComplianceAggregate, ControlCompliance, Page, RegistryGuarantee, TrendBucket } from "@status/shared";
import type { Queryable } from "../../db/database.ts";
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

/**
 * The points the answers count: filtered, and one per (control, scope, window) — the engine's where the engine and
 * the registry both computed a window, unless a `source` is asked for — so aggregates never count a window twice.
 */
function eligiblePoints(filters: PointFilters): { sql: string; where: WhereBuilder } {
  const where = new WhereBuilder()
    .add("p.control_id = $?", filters.controlId)
    .add("p.catalog_id = $?", filters.catalogId)
    .add("p.window_start >= $?", filters.from)
    .add("p.window_start < $?", filters.to)
    .add("p.scope @> $?::jsonb", scopeFilter(filters.scope))
    .add("p.source = $?", filters.source);
  const sql = `select distinct on (p.control_id, p.scope_key, p.window_start) p.*
                 from points p ${where.toSql()}
                order by p.control_id, p.scope_key, p.window_start, (p.source = 'engine') desc`;
  return { sql, where };
}

const AGGREGATE_COLUMNS = `count(e.id)::int as "pointCount", (count(*) filter (where e.result = 'pass'))::int as "passCount",
  (count(*) filter (where e.result = 'fail'))::int as "failCount", (count(*) filter (where e.result = 'not_applicable'))::int as "notApplicableCount",
  round(100.0 * count(*) filter (where e.result = 'pass') / nullif(count(*) filter (where e.result in ('pass', 'fail')), 0), 3)::float8 as compliance,
  round(avg(e.value), 3)::float8 as "averageValue"`;

function limitOffset(values: unknown[], page: number, pageSize: number): string {
  values.push(pageSize, (page - 1) * pageSize);
  return `limit $${values.length - 1} offset $${values.length}`;
}

export async function listGuaranteePoints(
  db: Queryable,
  filters: PointFilters,
  page: number,
  pageSize: number,
): Promise<Page<RegistryGuarantee>> {
  const { sql, where } = eligiblePoints(filters);
  const values = [...where.values];
  const paging = limitOffset(values, page, pageSize);
  const result = await db.query<RegistryGuarantee & { total: number }>(
    `select e.id, 'tpa-' || e.catalog_id as "agreementId", 'CONTROL_' || replace(e.control_id::text, '-', '') as "guaranteeId",
            e.control_id as "controlId", c.name as "controlName", e.catalog_id as "catalogId", cat.name as "catalogName", e.source, e.scope,
            e.window_start as "windowStart", e.window_end as "windowEnd", e.value::float8 as value, e.threshold::float8 as threshold, e.result,
            count(*) over ()::int as total
       from (${sql}) e join controls c on c.id = e.control_id join catalogs cat on cat.id = e.catalog_id
      order by e.window_start desc, c.name, e.scope_key ${paging}`,
    values,
  );
  return {
    items: result.rows.map(({ total: _total, ...row }) => row),
    total: result.rows[0]?.total ?? (await countEligible(db, filters)),
    page,
    pageSize,
  };
}

async function countEligible(db: Queryable, filters: PointFilters): Promise<number> {
  const { sql, where } = eligiblePoints(filters);
  const result = await db.query<{ total: number }>(`select count(*)::int as total from (${sql}) e`, where.values);
  return result.rows[0]?.total ?? 0;
}

export async function aggregatePoints(db: Queryable, filters: PointFilters): Promise<ComplianceAggregate> {
  const { sql, where } = eligiblePoints(filters);
  const result = await db.query<ComplianceAggregate>(`select ${AGGREGATE_COLUMNS} from (${sql}) e`, where.values);
  return result.rows[0]!;
}

/** Per control of the catalog (those without points too), ordered by name. */
export async function aggregatePointsByControl(
  db: Queryable,
  catalogId: string,
  filters: PointFilters,
  page: number,
  pageSize: number,
): Promise<Page<ControlCompliance>> {
  const { sql, where } = eligiblePoints(filters);
  const values = [...where.values, catalogId];
  const catalogParam = `$${values.length}`;
  const paging = limitOffset(values, page, pageSize);
  const result = await db.query<ControlCompliance & { total: number }>(
    `select c.id as "controlId", c.name as "controlName", ${AGGREGATE_COLUMNS},
            max(e.window_start) as "latestWindowStart", (array_agg(e.result order by e.window_start desc) filter (where e.id is not null))[1] as "latestResult",
            count(*) over ()::int as total
       from controls c left join (${sql}) e on e.control_id = c.id
      where c.catalog_id = ${catalogParam}
      group by c.id, c.name order by lower(c.name), c.id ${paging}`,
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

/** Buckets of the control's points by the start of their window, in the catalog's time zone, oldest first. */
export async function trendBuckets(
  db: Queryable,
  filters: PointFilters & { controlId: string },
  period: keyof typeof TRUNC_UNITS,
  timeZone: string,
  page: number,
  pageSize: number,
): Promise<Page<TrendBucket>> {
  const { sql, where } = eligiblePoints(filters);
  const values = [...where.values, TRUNC_UNITS[period], timeZone];
  const unit = `$${values.length - 1}`;
  const zone = `$${values.length}`;
  const paging = limitOffset(values, page, pageSize);
  const result = await db.query<TrendBucket & { total: number }>(
    `select e."bucketStart", ${AGGREGATE_COLUMNS}, count(*) over ()::int as total
       from (select (date_trunc(${unit}, x.window_start at time zone ${zone}) at time zone ${zone}) as "bucketStart", x.* from (${sql}) x) e
      group by e."bucketStart" order by e."bucketStart" ${paging}`,
    values,
  );
  return {
    items: result.rows.map(({ total: _total, ...row }) => row),
    total: result.rows[0]?.total ?? 0,
    page,
    pageSize,
  };
}
