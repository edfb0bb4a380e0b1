import {
  CONTROL_TOTAL_CAP,
  splitScopeFilter,
  type Catalog,
  type Control,
  type ControlKind,
  type ControlListQuery,
  type ControlPage,
  type ControlStatus,
  type Period,
} from "@status/shared";
import type { QueryResultRow } from "pg";
import type { Queryable } from "../../db/database.ts";
import { archiveColumn, isArchivedFilter, type ArchiveFields } from "../../db/archive-columns.ts";
import { CONTROL_OWNER_COLUMN, CONTROL_WATCHERS_COLUMN } from "../../db/handling-columns.ts";
import { plannedRowCount } from "../../db/keyset.ts";
import { likePattern, offsetOf, orderBy, WhereBuilder } from "../../db/pagination.ts";
import { queryPrepared } from "../../db/prepared.ts";
import { isoTextSql } from "../../db/timestamptz.ts";

/** A control's catalog is archived: the control is then archived in effect (unscheduled, read-only) too. */
export const IS_CATALOG_ARCHIVED = `exists (select 1 from catalogs where catalogs.id = controls.catalog_id and catalogs.archived_at is not null)`;

const CONTROL_COLUMNS = `controls.id, controls.catalog_id as "catalogId", controls.name, controls.description, controls.period,
  controls.start_date as "startDate", controls.end_date as "endDate", controls.kind, controls.mashup_id as "mashupId", controls.params,
  controls.threshold, controls.status, controls.version, controls.stale_grace_minutes as "staleGraceMinutes",
  (select count(*) from scope_sets where scope_sets.control_id = controls.id)::int as "scopeSetCount",
  ${archiveColumn("controls")} as archive, ${IS_CATALOG_ARCHIVED} as "isCatalogArchived",
  ${CONTROL_OWNER_COLUMN} as owner, ${CONTROL_WATCHERS_COLUMN} as watchers,
  controls.created_at as "createdAt", controls.updated_at as "updatedAt"`;

export async function findControl(
  db: Queryable,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<Control | undefined> {
  const lock = options.forUpdate ? "for update" : "";
  const result = await queryPrepared<Control>(db, `select ${CONTROL_COLUMNS} from controls where id = $1 ${lock}`, [
    id,
  ]);
  return result.rows[0];
}

/** Every editable field of a control, as written on create and (merged) on update. */
export interface ControlFields {
  name: string;
  description: string;
  period: Period;
  startDate: string | null;
  endDate: string | null;
  /** Set at creation only (an update keeps it). */
  kind: ControlKind;
  mashupId: string | null;
  params: Record<string, unknown>;
  threshold: number;
  status: ControlStatus;
  staleGraceMinutes: number | null;
}

/** $1–$12 of both control inserts (insertControl, insertControlIntoCatalog), in their column order. */
function controlInsertValues(catalogId: string, fields: ControlFields): unknown[] {
  return [
    catalogId,
    fields.name,
    fields.description,
    fields.period,
    fields.startDate,
    fields.endDate,
    fields.mashupId,
    JSON.stringify(fields.params),
    fields.threshold,
    fields.status,
    fields.staleGraceMinutes,
    fields.kind,
  ];
}

/** Inserts a control and answers it in the same statement (a new control has no scope sets, owner or watchers yet). */
export async function insertControl(db: Queryable, catalogId: string, fields: ControlFields): Promise<Control> {
  const result = await queryPrepared<Control>(
    db,
    `with controls as (
       insert into controls (catalog_id, name, description, period, start_date, end_date, mashup_id, params, threshold,
                             status, stale_grace_minutes, kind)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning *)
     select ${CONTROL_COLUMNS} from controls`,
    controlInsertValues(catalogId, fields),
  );
  return result.rows[0]!;
}

/** The insert of a control (its values: controlInsertValues) into the row of the CTE `catalog`, when there is one. */
const INSERT_CONTROL_FROM_CATALOG = `insert into controls (catalog_id, name, description, period, start_date, end_date,
                             mashup_id, params, threshold, status, stale_grace_minutes, kind)
       select catalog.id, $2::text, $3::text, $4::text, $5::timestamptz, $6::timestamptz, $7::text, $8::jsonb,
              $9::numeric, $10::text, $11::int, $12::text
         from catalog`;

/** The catalog a control is being added to, as read (under a share lock) by `insertControlIntoCatalog`. */
export type TargetCatalog = Pick<Catalog, "id" | "name" | "status" | "archive">;

/**
 * Adds a draft control to a catalog that is not archived, in one statement with the catalog's gate: the catalog is
 * read under a share lock (nobody finalizes or archives it before the caller's transaction ends) and the control is
 * inserted only when the catalog is not archived and, when it is finalized, a mashup control has its mashup (the
 * control is finalized next). `catalog` is undefined for no such catalog; `control` is undefined when it was not
 * inserted, for the caller to say why. One round trip instead of the gate and then the insert.
 */
export async function insertControlIntoCatalog(
  db: Queryable,
  catalogId: string,
  fields: ControlFields,
): Promise<{ catalog: TargetCatalog | undefined; control: Control | undefined }> {
  const result = await queryPrepared<{ catalog: TargetCatalog } & Control>(
    db,
    `with catalog as (
       select catalogs.id, catalogs.name, catalogs.status, ${archiveColumn("catalogs")} as archive
         from catalogs where id = $1 for share
     ), controls as (
       ${INSERT_CONTROL_FROM_CATALOG}
        where catalog.archive is null and (catalog.status = 'draft' or $12::text <> 'mashup' or $7::text is not null)
       returning *)
     select json_build_object('id', catalog.id, 'name', catalog.name, 'status', catalog.status, 'archive', catalog.archive)
              as catalog, ${CONTROL_COLUMNS}
       from catalog left join controls on true`,
    controlInsertValues(catalogId, fields),
  );
  const row = result.rows[0];
  if (!row) return { catalog: undefined, control: undefined };
  const { catalog, ...control } = row;
  return { catalog, control: control.id === null ? undefined : control };
}

/** A timestamptz column of `created` as the API answers it (isoOfTimestamptz): ISO 8601 in UTC, to the millisecond. */
const isoOf = (column: string) => isoTextSql(`created."${column}"`);

/**
 * A row of CONTROL_COLUMNS (the CTE `created`) as the jsonb of the Control the API answers for it: what recordAudit
 * stores as `after`. The pg type parsers make timestamps ISO strings (to the millisecond) and numerics numbers; the
 * other columns come as they are.
 */
const CREATED_CONTROL_JSON = `to_jsonb(created) || jsonb_build_object('threshold', created.threshold::float8,
  'startDate', ${isoOf("startDate")}, 'endDate', ${isoOf("endDate")}, 'createdAt', ${isoOf("createdAt")},
  'updatedAt', ${isoOf("updatedAt")})`;

/** The audit record of a statement's change (auditOfStatement of the audit module), given the rows it changed. */
export type StatementAudit = (
  row: { source: string; resourceId: string; after: string },
  firstParameter: number,
) => { insert: string; values: unknown[] };

/**
 * Adds a draft control to a draft catalog that is not archived, audited, in one statement: the catalog is read under a
 * share lock (nobody finalizes or archives it before the statement ends), the control inserted and answered, and its
 * audit row (`audit`) written with it; a single statement commits all of it or nothing, without begin and commit
 * around it. Undefined when nothing was inserted: no such catalog, or one that is archived or finalized, for the
 * caller to take the path that says why or finalizes the control.
 */
export async function insertDraftControlAudited(
  db: Queryable,
  catalogId: string,
  fields: ControlFields,
  audit: StatementAudit,
): Promise<Control | undefined> {
  const values = controlInsertValues(catalogId, fields);
  const { insert, values: auditValues } = audit(
    { source: "created", resourceId: "created.id::text", after: CREATED_CONTROL_JSON },
    values.length + 1,
  );
  const result = await queryPrepared<Control>(
    db,
    `with catalog as (
       select catalogs.id from catalogs where id = $1 and status = 'draft' and archived_at is null for share
     ), controls as (
       ${INSERT_CONTROL_FROM_CATALOG}
       returning *
     ), created as (
       select ${CONTROL_COLUMNS} from controls
     ), audited as (
       ${insert}
     )
     select * from created`,
    [...values, ...auditValues],
  );
  return result.rows[0];
}

/** A draft control to add to a draft catalog, one of a batch (insertDraftControlsAudited). */
export interface DraftControlOfBatch {
  catalogId: string;
  fields: ControlFields;
}

/**
 * insertDraftControlAudited for a batch of controls (concurrent requests), in one statement: each catalog is read
 * under a share lock, and the controls of those that are drafts and not archived are inserted and answered, each
 * audited (`audit`, whose source has the control's 1-based place in `controls` as its ordinal). Answers each control
 * at its place, undefined for one not inserted (its catalog cannot take it: the caller takes the single path). Two
 * controls of one name in one catalog fail the statement, as any refusal of one control does.
 */
export async function insertDraftControlsAudited(
  db: Queryable,
  controls: DraftControlOfBatch[],
  audit: (
    row: { source: string; resourceId: string; after: string; ordinal: string },
    firstParameter: number,
  ) => {
    insert: string;
    values: unknown[];
  },
): Promise<(Control | undefined)[]> {
  const columns = controls.map(({ catalogId, fields }) => controlInsertValues(catalogId, fields));
  // controlInsertValues' order, without status (always draft here): one array per column.
  const values = [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11].map((index) => columns.map((column) => column[index]));
  const { insert, values: auditValues } = audit(
    {
      // Within a batch that commits, a catalog's names are distinct: the name finds the control's place.
      source: `created join input on input.catalog_id = created."catalogId" and input.name = created.name`,
      resourceId: "created.id::text",
      after: CREATED_CONTROL_JSON,
      ordinal: "input.ordinal",
    },
    values.length + 1,
  );
  const result = await queryPrepared<Control & { ordinal: number }>(
    db,
    `with input as (
       select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[],
                            $7::text[], $8::jsonb[], $9::numeric[], $10::int[], $11::text[])
         with ordinality as input (catalog_id, name, description, period, start_date, end_date, mashup_id, params,
                                   threshold, stale_grace_minutes, kind, ordinal)
     ), catalog as (
       select catalogs.id from catalogs
        where id in (select catalog_id from input) and status = 'draft' and archived_at is null
        order by id for share
     ), controls as (
       insert into controls (catalog_id, name, description, period, start_date, end_date,
                             mashup_id, params, threshold, status, stale_grace_minutes, kind)
       select input.catalog_id, input.name, input.description, input.period, input.start_date, input.end_date,
              input.mashup_id, input.params, input.threshold, 'draft', input.stale_grace_minutes, input.kind
         from input join catalog on catalog.id = input.catalog_id
        -- In the unique key's order: two batches taking the same names wait for each other instead of deadlocking.
        order by input.catalog_id, lower(input.name)
       returning *
     ), created as (
       select ${CONTROL_COLUMNS} from controls
     ), audited as (
       ${insert}
     )
     select input.ordinal::int as ordinal, created.*
       from created join input on input.catalog_id = created."catalogId" and input.name = created.name`,
    [...values, ...auditValues],
  );
  const answered: (Control | undefined)[] = controls.map(() => undefined);
  for (const { ordinal, ...control } of result.rows) answered[ordinal - 1] = control;
  return answered;
}

export async function updateControlRow(db: Queryable, id: string, fields: ControlFields): Promise<void> {
  await db.query(
    `update controls set name = $2, description = $3, period = $4, start_date = $5, end_date = $6, mashup_id = $7,
       params = $8, threshold = $9, status = $10, stale_grace_minutes = $11, updated_at = now()
     where id = $1`,
    [
      id,
      fields.name,
      fields.description,
      fields.period,
      fields.startDate,
      fields.endDate,
      fields.mashupId,
      JSON.stringify(fields.params),
      fields.threshold,
      fields.status,
      fields.staleGraceMinutes,
    ],
  );
}

/** Archives (with who and why) or, given null, restores a control. */
export async function setControlArchiveRow(db: Queryable, id: string, archive: ArchiveFields | null): Promise<void> {
  await db.query(
    `update controls set archived_at = case when $2::text is null then null else now() end, archived_by = $3,
       archived_by_name = $4, archive_reason = $2, updated_at = now()
     where id = $1`,
    [id, archive?.reason ?? null, archive?.userId ?? null, archive?.userName ?? null],
  );
}

/** How many points the control has recorded (engine and registry). */
export async function countControlPoints(db: Queryable, id: string): Promise<number> {
  const result = await db.query<{ count: number }>("select count(*)::int as count from points where control_id = $1", [
    id,
  ]);
  return result.rows[0]!.count;
}

export async function deleteControlRow(db: Queryable, id: string): Promise<void> {
  await db.query("delete from controls where id = $1", [id]);
}

/** Drafts of a catalog that lack what evaluation needs, by name, so finalizing can say which ones. */
export async function listIncompleteControlNames(db: Queryable, catalogId: string): Promise<string[]> {
  const result = await db.query<{ name: string }>(
    "select name from controls where catalog_id = $1 and mashup_id is null and kind = 'mashup' order by name",
    [catalogId],
  );
  return result.rows.map((row) => row.name);
}

const SORT_COLUMNS = {
  name: "lower(controls.name)",
  createdAt: "controls.created_at",
  updatedAt: "controls.updated_at",
  period: "controls.period",
  threshold: "controls.threshold",
};

/** The list's ORDER BY clause, for its sort (the id breaks ties). */
export function listOrder(query: Pick<ControlListFilter, "sort">): string {
  return orderBy(query.sort, SORT_COLUMNS, "controls.id");
}

/** The list filters, with `owner`/`watching` resolved to user ids (never `me`). */
export type ControlListFilter = Omit<ControlListQuery, "owner" | "watching"> & { owner?: string; watching?: string };

/** The control's state at `$2?` (the API's clock), from the one definition in reporting.control_states, is `$1?`. */
const HAS_STATE = `exists (select 1 from reporting.control_states states where states.control_id = controls.id
  and reporting.control_state(states.is_active, states.stale_at, states.last_result, $2?::timestamptz) = $1?)`;
/** The newest verdict over the control's scopes (pass, fail, not_applicable), stale or not. */
const HAS_LAST_RESULT = `exists (select 1 from reporting.control_states states
  where states.control_id = controls.id and states.last_result = $?)`;
/** The latest run ended without a verdict ("error": failed, or stopped by an error). */
const LATEST_RUN_IN_ERROR = `(select runs.status from runs where runs.control_id = controls.id
  order by runs.created_at desc, runs.id desc limit 1) = any($?::text[])`;
/** One of its scope sets has value `$2?` (as text) for the scope named `$1?`. */
const HAS_SCOPE_VALUE = `exists (select 1 from scope_sets
  join scope_set_values on scope_set_values.scope_set_id = scope_sets.id
  join scopes on scopes.id = scope_set_values.scope_id
  where scope_sets.control_id = controls.id and scopes.name = $1? and scope_set_values.value #>> '{}' = $2?)`;

function scopeValue(scope: string | undefined): [string, string] | undefined {
  if (!scope) return undefined;
  const { key, value } = splitScopeFilter(scope);
  return [key, value];
}

/** The where clause of the list's filters; `at` is the instant the `state` filter is read at. */
export function controlFilters(query: ControlListFilter, at: Date): WhereBuilder {
  const where = new WhereBuilder();
  const isArchived = isArchivedFilter(query.archived);
  // Spelt per value so that "not archived" (the default) is an anti-join with the few archived catalogs, not a
  // look-up of its catalog per control.
  if (isArchived === true) where.raw(`(controls.archived_at is not null or ${IS_CATALOG_ARCHIVED})`);
  if (isArchived === false) where.raw(`controls.archived_at is null and not ${IS_CATALOG_ARCHIVED}`);
  where
    .add("controls.catalog_id = $?", query.catalogId)
    .add("controls.status = $?", query.status)
    .add("controls.period = $?", query.period)
    .add("controls.mashup_id = $?", query.mashupId)
    .add("(controls.name ilike $? or controls.description ilike $?)", query.q ? likePattern(query.q) : undefined)
    .add(
      "exists (select 1 from control_owners o where o.control_id = controls.id and o.user_id = $?::uuid)",
      query.owner,
    )
    .add(
      "exists (select 1 from control_watchers w where w.control_id = controls.id and w.user_id = $?::uuid)",
      query.watching,
    )
    .addAll(HAS_STATE, query.state ? [query.state, at.toISOString()] : undefined)
    .add(HAS_LAST_RESULT, query.result === "error" ? undefined : query.result)
    .add(LATEST_RUN_IN_ERROR, query.result === "error" ? ["failed", "error"] : undefined)
    .addAll(HAS_SCOPE_VALUE, scopeValue(query.scope));
  return where;
}

/** Controls matching the query; `at` is the instant the `state` filter is read at. */
export async function listControls(db: Queryable, query: ControlListFilter, at: Date): Promise<ControlPage> {
  const { rows, ...total } = await matchingPage<Control>(db, query, at, CONTROL_COLUMNS);
  const items = rows.filter((row) => row.id !== null).map(({ total: _total, ...control }) => control);
  return { items, ...total, page: query.page, pageSize: query.pageSize };
}

/** The page's rows (`columns` of each control, and the counted total) and the page's total. */
async function matchingPage<Row>(
  db: Queryable,
  query: ControlListFilter,
  at: Date,
  columns: string,
): Promise<{ rows: Array<Row & { total: number }>; total: number; totalIsEstimate: boolean }> {
  const where = controlFilters(query, at);
  const order = listOrder(query);
  const rows = await pageOfControls<Row>(db, where, columns, order, query);
  return { rows, ...(await totalOf(db, where, rows)) };
}

/** How long a planner estimate of a long list is reused: paging through one list asks for the same filter again. */
const ESTIMATE_REUSE_MS = 10_000;
const MAX_ESTIMATES = 200;
// Per database (the pool): the tests' apps, each on a database of its own, share this module.
const estimatesOf = new WeakMap<Queryable, Map<string, { rows: number; expiresAt: number }>>();

/**
 * The planner's estimate of the controls matching `where`, reused for ESTIMATE_REUSE_MS per filter: it is only ever
 * an estimate (the answer says so), it moves only with ANALYZE, and asking the planner is a round trip of its own.
 */
async function estimatedControls(db: Queryable, where: WhereBuilder): Promise<number> {
  let estimates = estimatesOf.get(db);
  if (!estimates) {
    estimates = new Map();
    estimatesOf.set(db, estimates);
  }
  const key = JSON.stringify([where.toSql(), where.values]);
  const known = estimates.get(key);
  if (known && known.expiresAt > Date.now()) return known.rows;
  const rows = await plannedRowCount(db, "controls", where);
  estimates.delete(key);
  if (estimates.size >= MAX_ESTIMATES) estimates.delete(estimates.keys().next().value!);
  estimates.set(key, { rows, expiresAt: Date.now() + ESTIMATE_REUSE_MS });
  return rows;
}

/**
 * What every shape of a page of controls selects from: `counted`, one row with the matches' total (counted up to
 * CONTROL_TOTAL_CAP + 1), and `pageIds`, an array of the page's ids in the list's order. The page's ids come from the
 * sort's index (migration 0077 orders the listed controls by name) and only its rows get the per-row columns; past
 * the cap the total is the planner's estimate (see `totalOf`), so a list of 10,000 costs what a list of 1,000 does
 * rather than a count of every match.
 */
export interface PageSources {
  counted: string;
  pageIds: string;
  values: unknown[];
  /** No filter value: the statement's text is one of a few fixed ones, and is prepared. */
  isFixedText: boolean;
}

export function pageSources(where: WhereBuilder, order: string, page: { page: number; pageSize: number }): PageSources {
  const whereSql = where.toSql();
  const values = [...where.values, page.pageSize, offsetOf(page.page, page.pageSize), CONTROL_TOTAL_CAP + 1];
  // A list with no filter value (the default one; `sort` and `archived` only choose among fixed texts) is prepared:
  // planning this statement cost Postgres more than running it. Its limits are then sub-selects, whose values the
  // planner cannot see in any plan, so a custom plan is costed like the generic one (a tenth of the rows wanted)
  // and Postgres keeps the generic plan after five runs; with plain parameters it re-planned at every run, because
  // the custom plan, seeing `limit 50`, always looked cheaper. The plan is the same either way.
  const isFixedText = where.values.length === 0;
  const [limit, offset, cap] = [values.length - 2, values.length - 1, values.length].map((index) =>
    isFixedText ? `(select $${index}::int)` : `$${index}`,
  );
  return {
    counted: `(select count(*)::int as total from (select 1 from controls ${whereSql} limit ${cap}) capped)`,
    pageIds: `array(select controls.id from controls ${whereSql} ${order} limit ${limit} offset ${offset})`,
    values,
    isFixedText,
  };
}

/** Runs a statement over `sources`: prepared when its text is fixed (see `pageSources`). */
export async function runPageStatement<Row extends QueryResultRow>(
  db: Queryable,
  sources: PageSources,
  text: string,
): Promise<Row[]> {
  const result = sources.isFixedText
    ? await queryPrepared<Row>(db, text, sources.values)
    : await db.query<Row>(text, sources.values);
  return result.rows;
}

/** One page of the matching controls (`columns` of each) and their counted total, in one statement. */
async function pageOfControls<Row>(
  db: Queryable,
  where: WhereBuilder,
  columns: string,
  order: string,
  page: { page: number; pageSize: number },
): Promise<Array<Row & { total: number }>> {
  const sources = pageSources(where, order, page);
  // The count is the left side, so a page past the end still answers one row: the total, with no control.
  return runPageStatement<Row & { total: number }>(
    db,
    sources,
    `select ${columns}, counted.total
       from ${sources.counted} counted
       left join controls on controls.id = any(${sources.pageIds})
      ${order}`,
  );
}

/** The page's total: counted up to CONTROL_TOTAL_CAP (on every row of the page), the planner's estimate past it. */
export async function totalOf(
  db: Queryable,
  where: WhereBuilder,
  rows: ReadonlyArray<{ total: number }>,
): Promise<{ total: number; totalIsEstimate: boolean }> {
  const counted = rows[0]?.total ?? 0;
  const isEstimate = counted > CONTROL_TOTAL_CAP;
  return {
    total: isEstimate ? Math.max(counted, await estimatedControls(db, where)) : counted,
    totalIsEstimate: isEstimate,
  };
}

export async function findControlsByIds(db: Queryable, ids: string[]): Promise<Control[]> {
  const result = await db.query<Control>(`select ${CONTROL_COLUMNS} from controls where id = any($1::uuid[])`, [ids]);
  return result.rows;
}

/** What the worker evaluates a run with: the result-deciding fields of its control, and its catalog's status. */
export type RunControl = Pick<
  Control,
  | "id"
  | "catalogId"
  | "status"
  | "version"
  | "period"
  | "threshold"
  | "mashupId"
  | "params"
  | "archive"
  | "isCatalogArchived"
> & { catalogStatus: Catalog["status"] };

/**
 * The select list and the join of a run's control (RunControl) with its catalog's status, for the worker's claim
 * statement (runs.repository.ts), which reads the controls of the runs it claims in the same statement. Only the
 * fields a run is evaluated with (not the owner, watchers and scope set count that CONTROL_COLUMNS computes for the
 * API), and the catalog's status from the same join. A control whose catalog is gone has no row.
 */
export const RUN_CONTROL_COLUMNS = `controls.id, controls.catalog_id as "catalogId", controls.status, controls.version,
  controls.period, controls.threshold, controls.mashup_id as "mashupId", controls.params,
  ${archiveColumn("controls")} as archive, catalogs.archived_at is not null as "isCatalogArchived",
  catalogs.status as "catalogStatus"`;
export const RUN_CONTROL_FROM = "controls join catalogs on catalogs.id = controls.catalog_id";

/** Every control id of a catalog, archived or not (for deleting a draft catalog with its controls). */
export async function listControlIdsOfCatalog(db: Queryable, catalogId: string): Promise<string[]> {
  const result = await db.query<{ id: string }>("select id from controls where catalog_id = $1 order by id", [
    catalogId,
  ]);
  return result.rows.map((row) => row.id);
}
