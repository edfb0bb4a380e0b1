import type { Catalog, CatalogListQuery, CatalogStatus, Page } from "@status/shared";
import type { Queryable } from "../../db/database.ts";
import { archiveColumn, archiveJson, isArchivedFilter, type ArchiveFields } from "../../db/archive-columns.ts";
import { jsonIso, jsonNumber, jsonObject, jsonPlainText, jsonText } from "../../db/json-text.ts";
import { likePattern, offsetOf, orderBy, queryPage, WhereBuilder } from "../../db/pagination.ts";
import { queryPrepared } from "../../db/prepared.ts";

/** How many controls the catalog has: kept by triggers on controls (migration 0083), not counted per read. */
const CONTROL_COUNT = `(select coalesce(sum(counts.control_count), 0) from catalog_control_counts counts
  where counts.catalog_id = catalogs.id)::int`;

const CATALOG_COLUMNS = `catalogs.id, catalogs.name, catalogs.description, catalogs.start_date as "startDate", catalogs.end_date as "endDate",
  catalogs.time_zone as "timeZone", catalogs.first_day_of_week as "firstDayOfWeek", catalogs.status, catalogs.finalized_at as "finalizedAt",
  ${CONTROL_COUNT} as "controlCount",
  ${archiveColumn("catalogs")} as archive,
  catalogs.created_by as "createdBy", catalogs.created_at as "createdAt", catalogs.updated_at as "updatedAt"`;

/** CATALOG_COLUMNS as the JSON text of a Catalog, in CatalogSchema's key order (the order the row object had). */
const CATALOG_JSON = jsonObject([
  ["id", jsonPlainText("catalogs.id")],
  ["name", jsonText("catalogs.name")],
  ["description", jsonText("catalogs.description")],
  ["startDate", jsonIso("catalogs.start_date")],
  ["endDate", jsonIso("catalogs.end_date")],
  ["timeZone", jsonText("catalogs.time_zone")],
  ["firstDayOfWeek", jsonNumber("catalogs.first_day_of_week")],
  ["status", jsonPlainText("catalogs.status")],
  ["finalizedAt", jsonIso("catalogs.finalized_at")],
  ["controlCount", `${CONTROL_COUNT}::text`],
  ["archive", archiveJson("catalogs")],
  ["createdBy", jsonPlainText("catalogs.created_by")],
  ["createdAt", jsonIso("catalogs.created_at")],
  ["updatedAt", jsonIso("catalogs.updated_at")],
]);

export async function findCatalog(
  db: Queryable,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<Catalog | undefined> {
  const lock = options.forUpdate ? "for update" : "";
  // Two fixed texts, read on every list of a catalog's controls (which checks the catalog exists) and every catalog
  // read: prepared, so Postgres plans them once per connection.
  const result = await queryPrepared<Catalog>(db, `select ${CATALOG_COLUMNS} from catalogs where id = $1 ${lock}`, [
    id,
  ]);
  return result.rows[0];
}

/** What a change inside a catalog checks first: whether it is finalized, and whether it is archived. */
export type CatalogGate = Pick<Catalog, "id" | "name" | "status" | "archive">;

/**
 * The catalog's gate under a share lock: changes inside one catalog (adding controls) run side by side, while
 * finalizing or archiving it (which lock it for update) waits for them, and they for it. No control count: it is
 * not needed there, and costs a count of every control of a large catalog.
 */
export async function findCatalogGateForShare(db: Queryable, id: string): Promise<CatalogGate | undefined> {
  const result = await queryPrepared<CatalogGate>(
    db,
    `select catalogs.id, catalogs.name, catalogs.status, ${archiveColumn("catalogs")} as archive
       from catalogs where id = $1 for share`,
    [id],
  );
  return result.rows[0];
}

export interface NewCatalog {
  name: string;
  description: string;
  startDate: string | null;
  endDate: string | null;
  timeZone: string;
  firstDayOfWeek: number;
  createdBy: string;
}

export async function insertCatalog(db: Queryable, catalog: NewCatalog): Promise<Catalog> {
  const result = await db.query<{ id: string }>(
    `insert into catalogs (name, description, start_date, end_date, time_zone, created_by, first_day_of_week)
     values ($1, $2, $3, $4, $5, $6, $7) returning id`,
    [
      catalog.name,
      catalog.description,
      catalog.startDate,
      catalog.endDate,
      catalog.timeZone,
      catalog.createdBy,
      catalog.firstDayOfWeek,
    ],
  );
  return (await findCatalog(db, result.rows[0]!.id))!;
}

export interface CatalogChanges {
  name: string;
  description: string;
  startDate: string | null;
  endDate: string | null;
  timeZone: string;
  firstDayOfWeek: number;
  status: CatalogStatus;
}

/** Writes the full set of editable fields (the service merges the patch); finalizing stamps `finalized_at`. */
export async function updateCatalogRow(db: Queryable, id: string, changes: CatalogChanges): Promise<Catalog> {
  await db.query(
    `update catalogs set name = $2, description = $3, start_date = $4, end_date = $5, time_zone = $6, status = $7,
       finalized_at = case when $7 = 'finalized' then coalesce(finalized_at, now()) else null end, updated_at = now(),
       first_day_of_week = $8
     where id = $1`,
    [
      id,
      changes.name,
      changes.description,
      changes.startDate,
      changes.endDate,
      changes.timeZone,
      changes.status,
      changes.firstDayOfWeek,
    ],
  );
  return (await findCatalog(db, id))!;
}

/** Archives (with who and why) or, given null, restores a catalog. */
export async function setCatalogArchiveRow(db: Queryable, id: string, archive: ArchiveFields | null): Promise<void> {
  await db.query(
    `update catalogs set archived_at = case when $2::text is null then null else now() end, archived_by = $3,
       archived_by_name = $4, archive_reason = $2, updated_at = now()
     where id = $1`,
    [id, archive?.reason ?? null, archive?.userId ?? null, archive?.userName ?? null],
  );
}

/** How many points the catalog's controls have recorded (engine and registry). */
export async function countCatalogPoints(db: Queryable, id: string): Promise<number> {
  const result = await db.query<{ count: number }>("select count(*)::int as count from points where catalog_id = $1", [
    id,
  ]);
  return result.rows[0]!.count;
}

export async function deleteCatalogRow(db: Queryable, id: string): Promise<void> {
  await db.query("delete from catalogs where id = $1", [id]);
}

const SORT_COLUMNS = {
  name: "lower(catalogs.name)",
  createdAt: "catalogs.created_at",
  updatedAt: "catalogs.updated_at",
  startDate: "catalogs.start_date",
};

function catalogFilters(query: CatalogListQuery): WhereBuilder {
  return new WhereBuilder()
    .add("catalogs.status = $?", query.status)
    .add("(catalogs.archived_at is not null) = $?", isArchivedFilter(query.archived))
    .add("(catalogs.name ilike $? or catalogs.description ilike $?)", query.q ? likePattern(query.q) : undefined);
}

export async function listCatalogs(db: Queryable, query: CatalogListQuery): Promise<Page<Catalog>> {
  const where = catalogFilters(query);
  return queryPage<Catalog>(db, {
    select: CATALOG_COLUMNS,
    from: "catalogs",
    where,
    orderBy: orderBy(query.sort, SORT_COLUMNS, "catalogs.id"),
    page: query.page,
    pageSize: query.pageSize,
    // Catalogs are few: one generic plan serves every filter value, and planning was most of the list's cost.
    isPrepared: true,
  });
}

/**
 * The same page as `listCatalogs`, as the JSON text `res.json` of it writes, built by Postgres in one row: no row
 * parsing, mapping or stringifying of the catalogs in Node. Catalogs are few, so the total is a count of its own
 * (a page past the end needs no second statement); the items come in the page's order, as the array collects them.
 */
export async function listCatalogsAsJson(db: Queryable, query: CatalogListQuery): Promise<{ json: string }> {
  const where = catalogFilters(query);
  const whereSql = where.toSql();
  const order = orderBy(query.sort, SORT_COLUMNS, "catalogs.id");
  const values = [...where.values, query.pageSize, offsetOf(query.page, query.pageSize)];
  // Prepared, as listCatalogs is (one generic plan serves every filter value).
  const result = await queryPrepared<{ items: string; total: number }>(
    db,
    `select array_to_string(array(select ${CATALOG_JSON} from catalogs ${whereSql} ${order}
                                   limit $${values.length - 1} offset $${values.length}), ',') as items,
            (select count(*) from catalogs ${whereSql})::int as total`,
    values,
  );
  const { items, total } = result.rows[0]!;
  return {
    json: `{"items":[${items}],"total":${total},"page":${query.page},"pageSize":${query.pageSize}}`,
  };
}

export async function findCatalogsByIds(db: Queryable, ids: string[]): Promise<Catalog[]> {
  const result = await db.query<Catalog>(`select ${CATALOG_COLUMNS} from catalogs where id = any($1::uuid[])`, [ids]);
  return result.rows;
}
