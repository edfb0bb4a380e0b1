import type { AuditAction, AuditEntry, AuditListQuery, AuditResource, Page } from "@status/shared";
import type { Queryable } from "../../db/database.ts";
import { orderBy, queryPage, WhereBuilder } from "../../db/pagination.ts";
import { queryPrepared } from "../../db/prepared.ts";

export interface NewAuditRow {
  actorId: string | null;
  actorName: string | null;
  action: AuditAction;
  resourceType: AuditResource;
  resourceId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
  tokenId: string | null;
  tokenScopes: readonly string[] | null;
}

const AUDIT_COLUMNS = `actor_id, actor_name, action, resource_type, resource_id, before, after, request_id, token_id,
                       token_scopes`;

export async function insertAuditRow(db: Queryable, row: NewAuditRow): Promise<void> {
  await queryPrepared(db, `insert into audit_log (${AUDIT_COLUMNS}) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, [
    row.actorId,
    row.actorName,
    row.action,
    row.resourceType,
    row.resourceId,
    toJson(row.before),
    toJson(row.after),
    row.requestId,
    row.tokenId,
    row.tokenScopes,
  ]);
}

/** An audit row whose resource and `after` the statement that makes the change computes (see auditOfStatement). */
export type StatementAuditRow = Omit<NewAuditRow, "resourceId" | "before" | "after">;

/**
 * The `insert into audit_log` of a data-modifying CTE: one audit row per row of `source` (a CTE of the enclosing
 * statement), with `resourceId` and `after` SQL expressions over it and the rest as parameters from `$firstParameter`
 * (their values: auditStatementValues). No `before`: for creations.
 */
export function auditInsertOf(
  source: string,
  expressions: { resourceId: string; after: string },
  firstParameter: number,
): string {
  const $ = (offset: number) => `$${firstParameter + offset}`;
  return `insert into audit_log (${AUDIT_COLUMNS})
     select ${$(0)}::uuid, ${$(1)}::text, ${$(2)}::text, ${$(3)}::text, ${expressions.resourceId}, null,
            ${expressions.after}, ${$(4)}::text, ${$(5)}::uuid, ${$(6)}::text[]
       from ${source}`;
}

/** The parameters of auditInsertOf, in its order. */
export function auditStatementValues(row: StatementAuditRow): unknown[] {
  return [row.actorId, row.actorName, row.action, row.resourceType, row.requestId, row.tokenId, row.tokenScopes];
}

/**
 * auditInsertOf for rows of several actors (a batch of requests): each row of `source` is audited with the actor at
 * its `ordinal` (1-based SQL over `source`) in the arrays of auditEachStatementValues, from `$firstParameter`.
 */
export function auditEachInsertOf(
  source: string,
  expressions: { resourceId: string; after: string; ordinal: string },
  firstParameter: number,
): string {
  const $ = (offset: number) => `$${firstParameter + offset}`;
  // Scopes go as jsonb (an array per row: unnest would flatten a text[][]), back to text[] as recordAudit stores them.
  return `insert into audit_log (${AUDIT_COLUMNS})
     select who.actor_id, who.actor_name, ${$(0)}::text, ${$(1)}::text, ${expressions.resourceId}, null,
            ${expressions.after}, who.request_id, who.token_id,
            case when who.token_scopes is null then null
                 else array(select jsonb_array_elements_text(who.token_scopes)) end
       from ${source}
       join unnest(${$(2)}::uuid[], ${$(3)}::text[], ${$(4)}::text[], ${$(5)}::uuid[], ${$(6)}::jsonb[])
              with ordinality as who (actor_id, actor_name, request_id, token_id, token_scopes, ordinal)
         on who.ordinal = ${expressions.ordinal}`;
}

/** The parameters of auditEachInsertOf, in its order: one action and resource type, the rest one per row. */
export function auditEachStatementValues(change: { action: string; resourceType: string }, rows: StatementAuditRow[]) {
  return [
    change.action,
    change.resourceType,
    rows.map((row) => row.actorId),
    rows.map((row) => row.actorName),
    rows.map((row) => row.requestId),
    rows.map((row) => row.tokenId),
    rows.map((row) => toJson(row.tokenScopes)),
  ];
}

function toJson(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

const SORT_COLUMNS = { at: "at" };

export async function listAuditRows(db: Queryable, query: AuditListQuery): Promise<Page<AuditEntry>> {
  const where = new WhereBuilder()
    .add("actor_id = $?", query.actorId)
    .add("resource_type = $?", query.resourceType)
    .add("resource_id = $?", query.resourceId)
    .add("action = $?", query.action)
    .add("at >= $?", query.from)
    .add("at < $?", query.to);
  return queryPage<AuditEntry>(db, {
    select: `id::text as id, at, actor_id as "actorId", actor_name as "actorName", action, resource_type as "resourceType",
             resource_id as "resourceId", before, after, request_id as "requestId",
             token_id as "tokenId", token_scopes as "tokenScopes"`,
    from: "audit_log",
    where,
    orderBy: orderBy(query.sort, SORT_COLUMNS),
    page: query.page,
    pageSize: query.pageSize,
  });
}
