/**
 * The controls as the JSON text `res.json` of their rows wrote, built by Postgres (db/json-text.ts), for the routes
 * that answer it as it is: GET /controls/:id and the controls lists. The rows' own reads are in controls.repository.ts.
 */
import type { Queryable } from "../../db/database.ts";
import { archiveJson } from "../../db/archive-columns.ts";
import { jsonIso, jsonMembers, jsonNumber, jsonObject, jsonPlainText, jsonText } from "../../db/json-text.ts";
import type { WhereBuilder } from "../../db/pagination.ts";
import { queryPrepared } from "../../db/prepared.ts";
import { isoTextSql } from "../../db/timestamptz.ts";
import {
  controlFilters,
  IS_CATALOG_ARCHIVED,
  listOrder,
  pageSources,
  runPageStatement,
  totalOf,
  type ControlListFilter,
} from "./controls.repository.ts";

/** A control row as JSON text: the item before its parameters and after them. */
interface ControlJsonRow {
  head: string;
  params: Record<string, unknown> | null;
  tail: string;
}

const USER_REF_JSON = jsonObject([
  ["id", jsonPlainText("u.id")],
  ["username", jsonText("u.username")],
  ["displayName", jsonText("u.display_name")],
]);

/**
 * CONTROL_COLUMNS (controls.repository.ts) as the JSON text of a Control, in ControlSchema's key order (the order the
 * row object had), over `controls` joined with PAGE_RELATED (its scope sets' count, owner and watchers). Parameters
 * other than `{}` stay jsonb, which Node parses and stringifies, so that their key order and numbers are exactly what
 * they were.
 */
const CONTROL_JSON_COLUMNS = `'{' || ${jsonMembers([
  ["id", jsonPlainText("controls.id")],
  ["catalogId", jsonPlainText("controls.catalog_id")],
  ["name", jsonText("controls.name")],
  ["description", jsonText("controls.description")],
  ["period", jsonPlainText("controls.period")],
  ["startDate", jsonIso("controls.start_date")],
  ["endDate", jsonIso("controls.end_date")],
  ["kind", jsonPlainText("controls.kind")],
  ["mashupId", jsonText("controls.mashup_id")],
])} || ',"params":' as head,
  case when controls.params = '{}'::jsonb then null else controls.params end as params,
  ',' || ${jsonMembers([
    ["threshold", jsonNumber("controls.threshold", "numeric")],
    ["status", jsonPlainText("controls.status")],
    ["version", jsonNumber("controls.version")],
    ["staleGraceMinutes", jsonNumber("controls.stale_grace_minutes")],
    ["scopeSetCount", "coalesce(scope_counts.count, 0)::text"],
    ["archive", archiveJson("controls")],
    ["isCatalogArchived", `case when ${IS_CATALOG_ARCHIVED} then 'true' else 'false' end`],
    ["owner", "coalesce(owners.json, 'null')"],
    ["watchers", "coalesce(watchers.json, '[]')"],
    ["createdAt", jsonIso("controls.created_at")],
    ["updatedAt", jsonIso("controls.updated_at")],
  ])} || '}' as tail`;

/** A user reference (id, username, displayName) of the rows of `from` as columns for `row_to_json`. */
const USER_REF_COLUMNS = `u.id as "id", u.username as "username", u.display_name as "displayName"`;

/**
 * CONTROL_JSON_COLUMNS for one control, as two `row_to_json` objects: the members before `params` (head) and after
 * them (tail), in the same key order with the same values. `row_to_json` writes compact JSON (no spaces), escapes
 * strings as `to_json` does, and embeds json values (archive, owner, watchers) as they are; numbers and booleans
 * unquoted. For one row this costs Postgres a third less than the `||` chain (fewer expression steps to set up at
 * each execution); per row of a list it costs more (it looks up each column's output function every row), so the
 * lists keep CONTROL_JSON_COLUMNS.
 */
const CONTROL_JSON_OBJECTS = `row_to_json(head)::text as head,
  case when controls.params = '{}'::jsonb then null else controls.params end as params,
  row_to_json(tail)::text as tail
  from controls,
  lateral (select controls.id as "id", controls.catalog_id as "catalogId", controls.name as "name",
                  controls.description as "description", controls.period as "period",
                  ${isoTextSql("controls.start_date")} as "startDate", ${isoTextSql("controls.end_date")} as "endDate",
                  controls.kind as "kind", controls.mashup_id as "mashupId") head,
  lateral (select trim_scale(controls.threshold) as "threshold", controls.status as "status",
                  controls.version as "version", controls.stale_grace_minutes as "staleGraceMinutes",
                  (select count(*) from scope_sets where scope_sets.control_id = controls.id) as "scopeSetCount",
                  case when controls.archived_at is null then null else (select row_to_json(archive) from (
                    select ${isoTextSql("controls.archived_at", "US")} as "archivedAt",
                           controls.archived_by as "archivedBy", controls.archived_by_name as "archivedByName",
                           controls.archive_reason as "reason") archive) end as "archive",
                  ${IS_CATALOG_ARCHIVED} as "isCatalogArchived",
                  (select row_to_json(owner) from (select ${USER_REF_COLUMNS}
                     from control_owners o join users u on u.id = o.user_id where o.control_id = controls.id) owner)
                    as "owner",
                  coalesce((select ('[' || string_agg(row_to_json(watcher)::text, ','
                                                      order by lower(watcher.username), watcher.id) || ']')::json
                              from (select ${USER_REF_COLUMNS} from control_watchers w join users u on u.id = w.user_id
                                     where w.control_id = controls.id) watcher), '[]'::json) as "watchers",
                  ${isoTextSql("controls.created_at")} as "createdAt",
                  ${isoTextSql("controls.updated_at")} as "updatedAt") tail`;

/**
 * Its statement for any number of controls (GET /controls/:id reads those asked for in one turn together,
 * control-json-reads.ts): one fixed text, so the prepared statement's name is looked up by the same string each time.
 */
const FIND_CONTROLS_JSON = `select controls.id, ${CONTROL_JSON_OBJECTS} where controls.id = any($1::uuid[])`;

/**
 * The controls as the JSON text `res.json` of `findControl`'s row writes, built by Postgres: three text-like columns
 * per control for pg to parse instead of twenty, and no object to map or stringify in Node (GET /controls/:id answers
 * it as is). One answer per id, in the order of `ids`: undefined where there is no such control.
 */
export async function findControlsAsJson(db: Queryable, ids: string[]): Promise<Array<string | undefined>> {
  const result = await queryPrepared<ControlJsonRow & { id: string }>(db, FIND_CONTROLS_JSON, [ids]);
  const jsonById = new Map<string, string>();
  for (const row of result.rows) {
    // The two objects joined around the parameters: the head without its `}`, the tail without its `{`.
    jsonById.set(
      row.id,
      controlJsonText({
        head: `${row.head.slice(0, -1)},"params":`,
        params: row.params,
        tail: `,${row.tail.slice(1)}`,
      }),
    );
  }
  return ids.map((id) => jsonById.get(id));
}

/** A row of CONTROL_JSON_COLUMNS as its JSON text: parameters other than `{}` as Node parses and stringifies them. */
function controlJsonText(row: ControlJsonRow): string {
  return `${row.head}${row.params === null ? "{}" : JSON.stringify(row.params)}${row.tail}`;
}

/**
 * The scope sets' count, owner and watchers of the page's controls (`page`, a CTE of their ids), each in one pass over
 * the page rather than a subquery run again for every control: three correlated subqueries per row were a third of
 * what a page of 50 cost Postgres to build.
 */
const PAGE_RELATED = `left join (select control_id, count(*) as count from scope_sets
                where control_id in (select id from page) group by control_id) scope_counts
         on scope_counts.control_id = controls.id
       left join (select o.control_id, ${USER_REF_JSON} as json from control_owners o join users u on u.id = o.user_id
                   where o.control_id in (select id from page)) owners
         on owners.control_id = controls.id
       left join (select w.control_id, '[' || string_agg(${USER_REF_JSON}, ',' order by lower(u.username), u.id) || ']' as json
                    from control_watchers w join users u on u.id = w.user_id
                   where w.control_id in (select id from page) group by w.control_id) watchers
         on watchers.control_id = controls.id`;

/**
 * The same page as `listControls`, as the JSON text `JSON.stringify` writes for it, built by Postgres (but for
 * parameters other than `{}`: those are the jsonb Node parses and stringifies, so their key order and numbers are
 * exactly what they were).
 */
export async function listControlsAsJson(db: Queryable, query: ControlListFilter, at: Date): Promise<{ json: string }> {
  const where = controlFilters(query, at);
  const order = listOrder(query);
  const row = await pageOfControlsAsJson(db, where, order, query);
  const { total, totalIsEstimate } = await totalOf(db, where, [row]);
  return {
    json: `{"items":[${itemsJsonText(row)}],"total":${total},"totalIsEstimate":${totalIsEstimate},"page":${query.page},"pageSize":${query.pageSize}}`,
  };
}

/** The items' text with each control's parameters (other than `{}`) stringified by Node where its mark is. */
function itemsJsonText({ items, params }: ControlsJsonRow): string {
  if (items === null) return "";
  if (params === null) return items;
  const parts = items.split(PARAMS_MARK);
  return parts.reduce((text, part, index) => `${text}${JSON.stringify(params[index - 1])}${part}`);
}

/** A page of controls as JSON text (see `listControlsAsJson`): one row, whatever the page's length. */
interface ControlsJsonRow {
  total: number;
  /** The items' JSON text, comma-separated, with PARAMS_MARK where a control's parameters other than `{}` go. */
  items: string | null;
  /** Those parameters, in the items' order. */
  params: Array<Record<string, unknown>> | null;
}

/**
 * Where a control's parameters go in the items' text. The text never holds it otherwise: `to_json` escapes every
 * control character, and the other values (ids, codes, numbers, instants) have none.
 */
const PARAMS_MARK = "\u0001";

/**
 * The page of `pageOfControls` (controls.repository.ts) as one row of JSON text, aggregated by Postgres in the
 * page's order: pg parses one row of three columns instead of three columns of every control.
 */
async function pageOfControlsAsJson(
  db: Queryable,
  where: WhereBuilder,
  order: string,
  page: { page: number; pageSize: number },
): Promise<ControlsJsonRow> {
  const sources = pageSources(where, order, page);
  const [row] = await runPageStatement<ControlsJsonRow>(
    db,
    sources,
    `with page as (select id, position from unnest(${sources.pageIds}) with ordinality as page(id, position))
     select counted.total, listed.items, listed.params
       from ${sources.counted} counted
       cross join (
         select string_agg(item.head || case when item.params is null then '{}' else chr(1) end || item.tail, ','
                           order by item.position) as items,
                json_agg(item.params order by item.position) filter (where item.params is not null) as params
           from (select ${CONTROL_JSON_COLUMNS}, page.position
                   from page join controls on controls.id = page.id
                   ${PAGE_RELATED}) item) listed`,
  );
  return row!;
}
