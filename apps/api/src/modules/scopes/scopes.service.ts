import type { CreateScopeBody, Page, Scope, ScopeListQuery, UpdateScopeBody } from "@status/shared";
import { withTransaction } from "../../db/database.ts";
import { isForeignKeyViolation, isUniqueViolation } from "../../db/pg-errors.ts";
import type { AppDeps } from "../../deps.ts";
import { ConflictError, NotFoundError, ValidationError } from "../../errors.ts";
import type { Actor } from "../../domain/actor.ts";
import { recordAudit } from "../audit/index.ts";
import { requestPublicationOfCatalogsUsingScope } from "../publications/index.ts";
import { checkScopeDefinition } from "./scope-values.ts";
import { deleteScopeRow, findScope, insertScope, listScopes, updateScopeRow } from "./scopes.repository.ts";

export async function listAllScopes(deps: AppDeps, query: ScopeListQuery): Promise<Page<Scope>> {
  return listScopes(deps.db, query);
}

export async function getScope(deps: AppDeps, id: string): Promise<Scope> {
  const scope = await findScope(deps.db, id);
  if (!scope) throw new NotFoundError("scope", id);
  return scope;
}

/** Creates a scope dimension; its default and allowed values must have its type. */
export async function createScope(deps: AppDeps, actor: Actor, input: CreateScopeBody): Promise<Scope> {
  const issues = checkScopeDefinition(input);
  if (issues.length > 0) throw new ValidationError(issues);
  try {
    return await withTransaction(deps.db, async (tx) => {
      const scope = await insertScope(tx, input);
      await recordAudit(tx, actor, { action: "create", resourceType: "scope", resourceId: scope.id, after: scope });
      return scope;
    });
  } catch (error) {
    if (isUniqueViolation(error, "scopes_name_key"))
      throw new ConflictError("duplicate", `A scope named "${input.name}" exists`);
    throw error;
  }
}

export async function updateScope(deps: AppDeps, actor: Actor, id: string, input: UpdateScopeBody): Promise<Scope> {
  return withTransaction(deps.db, async (tx) => {
    const before = await findScope(tx, id);
    if (!before) throw new NotFoundError("scope", id);
    const fields = {
      description: input.description ?? before.description,
      defaultValue: input.defaultValue !== undefined ? input.defaultValue : before.defaultValue,
      allowedValues: input.allowedValues !== undefined ? input.allowedValues : before.allowedValues,
    };
    const issues = checkScopeDefinition({ type: before.type, ...fields });
    if (issues.length > 0) throw new ValidationError(issues);
    const after = await updateScopeRow(tx, id, fields);
    await recordAudit(tx, actor, { action: "update", resourceType: "scope", resourceId: id, before, after });
    // Agreements carry the scope's definition, so the catalogs whose scope sets use it are published again.
    await requestPublicationOfCatalogsUsingScope(tx, deps.config, id);
    return after;
  });
}

/** Deletes a scope dimension that no scope set uses. */
export async function deleteScope(deps: AppDeps, actor: Actor, id: string): Promise<void> {
  try {
    await withTransaction(deps.db, async (tx) => {
      const before = await findScope(tx, id);
      if (!before) throw new NotFoundError("scope", id);
      await deleteScopeRow(tx, id);
      await recordAudit(tx, actor, { action: "delete", resourceType: "scope", resourceId: id, before });
    });
  } catch (error) {
    if (isForeignKeyViolation(error, "scope_set_values_scope_id_fkey")) {
      throw new ConflictError("scope_in_use", "Scope sets of some controls use this scope; remove it from them first");
    }
    throw error;
  }
}
