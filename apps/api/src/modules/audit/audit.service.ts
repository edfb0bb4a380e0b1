import type { AuditAction, AuditEntry, AuditListQuery, AuditResource, Page } from "@status/shared";
import type { Queryable } from "../../db/database.ts";
import type { Actor } from "../../domain/actor.ts";
import {
  auditEachInsertOf,
  auditEachStatementValues,
  auditInsertOf,
  auditStatementValues,
  insertAuditRow,
  listAuditRows,
  type StatementAuditRow,
} from "./audit.repository.ts";

export interface AuditChange {
  action: AuditAction;
  resourceType: AuditResource;
  resourceId: string | null;
  before?: unknown;
  after?: unknown;
}

/**
 * Records one change in the audit trail. Call it with the transaction that makes the change, so the change and its
 * audit row commit or roll back together.
 */
export async function recordAudit(db: Queryable, actor: Actor | null, change: AuditChange): Promise<void> {
  await insertAuditRow(db, {
    ...auditedBy(actor, change),
    resourceId: change.resourceId,
    before: change.before ?? null,
    after: change.after ?? null,
  });
}

/** Who made a change and what it was, as every audit row records them. */
function auditedBy(actor: Actor | null, change: Pick<AuditChange, "action" | "resourceType">): StatementAuditRow {
  return {
    actorId: actor?.userId ?? null,
    actorName: actor?.username ?? null,
    action: change.action,
    resourceType: change.resourceType,
    requestId: actor?.requestId ?? null,
    tokenId: actor?.tokenId ?? null,
    tokenScopes: actor?.tokenScopes ?? null,
  };
}

/** A change whose audit row the statement making it writes (see auditOfStatement). */
export interface StatementAuditChange {
  action: AuditAction;
  resourceType: AuditResource;
  /** The CTE of the statement that holds the changed rows: one audit row each. */
  source: string;
  /** SQL over `source`: the resource's id (text). */
  resourceId: string;
  /** SQL over `source`: the jsonb recordAudit would store as `after` (the resource as the API answers it). */
  after: string;
}

/**
 * The audit record of a change made by a single statement, for that statement: `insert` is a data-modifying CTE to
 * put in it, `values` its parameters, numbered from `firstParameter`. The change and its audit row then commit
 * together without a transaction around two statements (one round trip instead of four with begin and commit).
 */
export function auditOfStatement(
  actor: Actor | null,
  change: StatementAuditChange,
  firstParameter: number,
): { insert: string; values: unknown[] } {
  return {
    insert: auditInsertOf(change.source, { resourceId: change.resourceId, after: change.after }, firstParameter),
    values: auditStatementValues(auditedBy(actor, change)),
  };
}

/**
 * auditOfStatement for a statement that makes one change per actor (requests batched into one statement): the row of
 * `source` at `ordinal` (SQL over it, 1-based) is audited as made by `actors[ordinal - 1]`.
 */
export function auditOfStatementEach(
  actors: (Actor | null)[],
  change: StatementAuditChange & { ordinal: string },
  firstParameter: number,
): { insert: string; values: unknown[] } {
  return {
    insert: auditEachInsertOf(change.source, change, firstParameter),
    values: auditEachStatementValues(
      change,
      actors.map((actor) => auditedBy(actor, change)),
    ),
  };
}

/** Lists audit entries, newest first by default, filtered by actor, resource, action and time. */
export async function listAudit(db: Queryable, query: AuditListQuery): Promise<Page<AuditEntry>> {
  return listAuditRows(db, query);
}
