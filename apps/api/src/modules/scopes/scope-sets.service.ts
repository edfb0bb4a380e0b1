import type { CreateScopeSetBody, DeleteScopeSetQuery, Page, ScopeSet, ScopeSetListQuery } from "@status/shared";
import { withTransaction, type Queryable } from "../../db/database.ts";
import { isUniqueViolation } from "../../db/pg-errors.ts";
import type { AppDeps } from "../../deps.ts";
import { ConflictError, NotFoundError, ValidationError } from "../../errors.ts";
import type { Actor } from "../../domain/actor.ts";
import { recordAudit, type AuditChange } from "../audit/index.ts";
import { assertControlNotArchived, recordVersionIfChanged, requireControl } from "../controls/index.ts";
import { requestPublication } from "../publications/index.ts";
import { canonicalScopeKey, checkScopeValues } from "./scope-values.ts";
import {
  deleteScopeSetsOfControls,
  deleteScopeSetRow,
  findScopeSet,
  findScopesByName,
  insertScopeSet,
  listAllScopeSetsOfControl,
  listScopeSets,
  replaceScopeSetValues,
  updateScopeSetKey,
} from "./scopes.repository.ts";

function rethrowDuplicate(error: unknown): never {
  if (isUniqueViolation(error, "scope_sets_control_values_key"))
    throw new ConflictError("duplicate", "The control already has a scope set with these values");
  throw error;
}

/** Checks the values against the scope definitions and writes them; returns nothing, the caller re-reads the set. */
async function writeValues(tx: Queryable, scopeSetId: string, input: CreateScopeSetBody): Promise<void> {
  const names = Object.keys(input.values);
  const scopes = await findScopesByName(tx, names);
  const scopesByName = new Map(scopes.map((scope) => [scope.name, scope]));
  const issues = checkScopeValues(input.values, scopesByName);
  if (issues.length > 0) throw new ValidationError(issues);
  await replaceScopeSetValues(
    tx,
    scopeSetId,
    names.map((name) => scopesByName.get(name)!.id),
    names.map((name) => input.values[name]!),
  );
}

async function requireScopeSet(db: Queryable, controlId: string, id: string): Promise<ScopeSet> {
  const scopeSet = await findScopeSet(db, controlId, id);
  if (!scopeSet) throw new NotFoundError("scope set", id);
  return scopeSet;
}

export async function listScopeSetsOfControl(
  deps: AppDeps,
  controlId: string,
  query: ScopeSetListQuery,
): Promise<Page<ScopeSet>> {
  await requireControl(deps.db, controlId);
  return listScopeSets(deps.db, controlId, query.page, query.pageSize);
}

export async function getScopeSet(deps: AppDeps, controlId: string, id: string): Promise<ScopeSet> {
  return requireScopeSet(deps.db, controlId, id);
}

/**
 * After a scope-set change in the caller's transaction: a finalized control records its next version (the reason is
 * required there), and the audit gets the change with its reason.
 */
async function recordChange(
  tx: Queryable,
  actor: Actor,
  change: { controlId: string; reason: string | undefined; reasonPath: string; audit: AuditChange },
): Promise<void> {
  await recordVersionIfChanged(tx, actor, change);
  const { after } = change.audit;
  // The reason travels with the audited change: beside the new state, or alone when the set was deleted.
  const withReason = change.reason ? { ...(after as object | undefined), reason: change.reason } : after;
  await recordAudit(tx, actor, { ...change.audit, after: withReason });
}

/**
 * Adds the scope values a control is evaluated for; every key must be a defined scope with a value of its type. On a
 * finalized control this creates its next version and needs `reason`.
 */
export async function createScopeSet(
  deps: AppDeps,
  actor: Actor,
  controlId: string,
  input: CreateScopeSetBody,
): Promise<ScopeSet> {
  try {
    return await withTransaction(deps.db, async (tx) => {
      const control = await requireControl(tx, controlId, { forUpdate: true });
      assertControlNotArchived(control);
      const id = await insertScopeSet(tx, controlId, canonicalScopeKey(input.values));
      await writeValues(tx, id, input);
      const scopeSet = await requireScopeSet(tx, controlId, id);
      await recordChange(tx, actor, {
        controlId,
        reason: input.reason,
        reasonPath: "body.reason",
        audit: { action: "create", resourceType: "scope_set", resourceId: id, after: scopeSet },
      });
      await requestPublication(tx, deps.config, control.catalogId);
      return scopeSet;
    });
  } catch (error) {
    rethrowDuplicate(error);
  }
}

/** Replaces a set's values; on a finalized control this creates its next version and needs `reason`. */
export async function replaceScopeSet(
  deps: AppDeps,
  actor: Actor,
  controlId: string,
  id: string,
  input: CreateScopeSetBody,
): Promise<ScopeSet> {
  try {
    return await withTransaction(deps.db, async (tx) => {
      const control = await requireControl(tx, controlId, { forUpdate: true });
      assertControlNotArchived(control);
      const before = await requireScopeSet(tx, controlId, id);
      await updateScopeSetKey(tx, id, canonicalScopeKey(input.values));
      await writeValues(tx, id, input);
      const after = await requireScopeSet(tx, controlId, id);
      await recordChange(tx, actor, {
        controlId,
        reason: input.reason,
        reasonPath: "body.reason",
        audit: { action: "update", resourceType: "scope_set", resourceId: id, before, after },
      });
      await requestPublication(tx, deps.config, control.catalogId);
      return after;
    });
  } catch (error) {
    rethrowDuplicate(error);
  }
}

/** Removes a set; on a finalized control this creates its next version and needs `reason` (in the query). */
export async function deleteScopeSet(
  deps: AppDeps,
  actor: Actor,
  controlId: string,
  id: string,
  query: DeleteScopeSetQuery = {},
): Promise<void> {
  await withTransaction(deps.db, async (tx) => {
    const control = await requireControl(tx, controlId, { forUpdate: true });
    assertControlNotArchived(control);
    const before = await requireScopeSet(tx, controlId, id);
    await deleteScopeSetRow(tx, id);
    await recordChange(tx, actor, {
      controlId,
      reason: query.reason,
      reasonPath: "query.reason",
      audit: { action: "delete", resourceType: "scope_set", resourceId: id, before },
    });
    await requestPublication(tx, deps.config, control.catalogId);
  });
}

/**
 * The scopes a control is evaluated for, with their canonical keys. A control without scope sets is evaluated once,
 * for the empty scope.
 */
export async function scopesToEvaluate(
  db: Queryable,
  controlId: string,
): Promise<{ scopeSetId: string | null; scope: Record<string, unknown>; scopeKey: string }[]> {
  const sets = await listAllScopeSetsOfControl(db, controlId);
  if (sets.length === 0) return [{ scopeSetId: null, scope: {}, scopeKey: "{}" }];
  return sets.map((set) => ({ scopeSetId: set.id, scope: set.values, scopeKey: canonicalScopeKey(set.values) }));
}

/**
 * For the archive module, deleting drafts: removes the scope sets of the given draft controls in the caller's
 * transaction. A draft's scope sets decided no recorded result; the control row's deletion follows in the same
 * transaction, and the database refuses it for a control with history.
 */
export async function removeScopeSetsOfDraftControls(tx: Queryable, controlIds: string[]): Promise<number> {
  return deleteScopeSetsOfControls(tx, controlIds);
}
