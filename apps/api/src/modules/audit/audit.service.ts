import type { AuditAction, AuditEntry, AuditListQuery, AuditResource, Page } from "@status/shared";
import type { Queryable } from "../../db/database.ts";
import type { Actor } from "../../domain/actor.ts";
import { insertAuditRow, listAuditRows } from "./audit.repository.ts";

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
    actorId: actor?.userId ?? null,
    actorName: actor?.username ?? null,
    action: change.action,
    resourceType: change.resourceType,
    resourceId: change.resourceId,
    before: change.before ?? null,
    after: change.after ?? null,
    requestId: actor?.requestId ?? null,
    tokenId: actor?.tokenId ?? null,
    tokenScopes: actor?.tokenScopes ?? null,
  });
}

/** Lists audit entries, newest first by default, filtered by actor, resource, action and time. */
export async function listAudit(db: Queryable, query: AuditListQuery): Promise<Page<AuditEntry>> {
  return listAuditRows(db, query);
}
