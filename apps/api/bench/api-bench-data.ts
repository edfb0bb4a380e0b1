import type { Queryable } from "../src/db/database.ts";

const CATALOGS = 20;
const CONTROLS_PER_CATALOG = 25;
/** The list route pages over this many controls in all (the 500 of the catalogs plus a catalog of drafts). */
const LISTED_CONTROLS = 10_000;
const CONTROLS_WITH_POINTS = 100;
const DAYS_OF_POINTS = 365;

/** The ids the benchmark's requests name. */
export interface ApiBenchData {
  /** A finalized control (GET /controls/:id with a session). */
  controlId: string;
  /**
   * Every finalized control: GET /controls/:id asks for them in turn, as many people looking at different controls
   * do (one id for every request would measure requests that share one answer, not reads of controls).
   */
  controlIds: string[];
  /** A finalized catalog whose controls have a year of points (GET /catalogs/:id/control-states). */
  catalogId: string;
  /** The draft catalog that makes the list 10,000 long, and that the write case adds controls to. */
  listCatalogId: string;
  /** A control with a year of daily points (GET /points?controlId=). */
  pointsControlId: string;
  /** Every control with points, and their catalogs (the cases that ask for a different one each request). */
  pointsControlIds: string[];
  pointsCatalogIds: string[];
  /** The push control the push-evidence case submits to (issue 20). */
  pushControlId: string;
}

/**
 * The benchmark's data set, written straight in SQL (the routes read it; the hash chain plays no part in them):
 * 20 finalized catalogs × 25 finalized controls (version 1 each), a 21st draft catalog of 9,500 draft controls, and
 * a year of daily points for the first 100 controls, one in seven failing.
 */
export async function seedApiBenchData(db: Queryable, createdBy: string): Promise<ApiBenchData> {
  await db.query(
    `insert into catalogs (name, start_date, status, finalized_at, created_by)
     select 'Catalog ' || lpad(c::text, 2, '0'), now() - $2 * interval '1 day', 'finalized', now(), $3
       from generate_series(1, $1) c`,
    [CATALOGS, DAYS_OF_POINTS + 1, createdBy],
  );
  await db.query(
    `insert into controls (catalog_id, name, period, mashup_id, threshold)
     select catalogs.id, 'Control ' || lpad(i::text, 2, '0'), 'DAILY', 'test-pass', 80
       from catalogs cross join generate_series(1, $1) i`,
    [CONTROLS_PER_CATALOG],
  );
  // Issue 20's push control, in the last catalog (outside the controls given points below): evidence is sent to it.
  const {
    rows: [pushControl],
  } = await db.query<{ id: string }>(
    `insert into controls (catalog_id, name, period, threshold, kind)
     select id, 'Push control', 'DAILY', 80, 'push' from catalogs where name = 'Catalog ' || lpad($1::text, 2, '0')
     returning id`,
    [CATALOGS],
  );
  await db.query(
    `insert into control_versions (control_id, version, period, threshold, mashup_id, params, scope_sets, reason)
     select id, 1, period, threshold, mashup_id, params, '[]'::jsonb, 'benchmark' from controls`,
  );
  await db.query("update controls set status = 'finalized', version = 1");
  const {
    rows: [list],
  } = await db.query<{ id: string }>(
    `insert into catalogs (name, description, created_by) values ('Zz list of drafts', 'benchmark', $1) returning id`,
    [createdBy],
  );
  await db.query(
    `insert into controls (catalog_id, name, period, threshold)
     select $1, 'Draft ' || lpad(i::text, 5, '0'), 'MONTHLY', 100 from generate_series(1, $2) i`,
    [list!.id, LISTED_CONTROLS - CATALOGS * CONTROLS_PER_CATALOG],
  );
  const { rows: withPoints } = await db.query<{ id: string; catalogId: string }>(
    `select controls.id, controls.catalog_id as "catalogId"
       from controls join catalogs on catalogs.id = controls.catalog_id
      where catalogs.status = 'finalized'
      order by catalogs.name, controls.name
      limit $1`,
    [CONTROLS_WITH_POINTS],
  );
  await db.query(
    `insert into points (control_id, catalog_id, scope, scope_key, window_start, window_end, value, threshold, result, hash)
     select c.id, c.catalog_id, '{}'::jsonb, '{}', w.day, w.day + interval '1 day',
            case when d % 7 = 0 then 50 else 100 end, 80, case when d % 7 = 0 then 'fail' else 'pass' end,
            md5(c.id::text || d)
       from controls c
       cross join generate_series(1, $2) d
       cross join lateral (select date_trunc('day', now() at time zone 'UTC') at time zone 'UTC' - d * interval '1 day'
                                  as day) w
      where c.id = any($1::uuid[])`,
    [withPoints.map((control) => control.id), DAYS_OF_POINTS],
  );
  // Points written directly, not through the append: the read tables (migration 0063) are rebuilt from them.
  await db.query("select rebuild_point_reads()");
  await db.query("vacuum analyze");
  const first = withPoints[0]!;
  const { rows: finalized } = await db.query<{ id: string }>(
    "select id from controls where status = 'finalized' order by id",
  );
  return {
    controlId: first.id,
    controlIds: finalized.map((control) => control.id),
    pointsControlIds: withPoints.map((control) => control.id),
    pointsCatalogIds: [...new Set(withPoints.map((control) => control.catalogId))],
    catalogId: first.catalogId,
    listCatalogId: list!.id,
    pointsControlId: first.id,
    pushControlId: pushControl!.id,
  };
}
