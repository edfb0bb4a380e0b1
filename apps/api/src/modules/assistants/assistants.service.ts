import {
  hasRole,
  type Assistant,
  type AssistantListQuery,
  type CreateAssistantBody,
  type Page,
  type UpdateAssistantBody,
} from "@status/shared";
import { withTransaction, type Queryable } from "../../db/database.ts";
import { isUniqueViolation } from "../../db/pg-errors.ts";
import type { AppDeps } from "../../deps.ts";
import { ConflictError, NotFoundError } from "../../errors.ts";
import type { Actor } from "../../domain/actor.ts";
import { recordAudit } from "../audit/index.ts";
import {
  deleteAssistantRow,
  findAssistant,
  insertAssistant,
  listAssistants,
  updateAssistantRow,
} from "./assistants.repository.ts";

function rethrowDuplicate(error: unknown): never {
  if (isUniqueViolation(error, "assistants_name_key"))
    throw new ConflictError("duplicate", "An assistant with that name exists");
  throw error;
}

/** DEVELOPER and ADMIN manage assistants and see disabled ones; a USER sees (and chats with) enabled ones only. */
export function canManageAssistants(actor: Actor): boolean {
  return hasRole(actor.role, "DEVELOPER");
}

/** An assistant the actor may see; a disabled one is a 404 for a USER, as if it did not exist. */
export async function requireVisibleAssistant(db: Queryable, actor: Actor, id: string): Promise<Assistant> {
  const assistant = await findAssistant(db, id);
  if (!assistant || (!assistant.isEnabled && !canManageAssistants(actor))) throw new NotFoundError("assistant", id);
  return assistant;
}

export async function listVisibleAssistants(
  deps: AppDeps,
  actor: Actor,
  query: AssistantListQuery,
): Promise<Page<Assistant>> {
  return listAssistants(deps.db, query, { onlyEnabled: !canManageAssistants(actor) });
}

export async function getAssistant(deps: AppDeps, actor: Actor, id: string): Promise<Assistant> {
  return requireVisibleAssistant(deps.db, actor, id);
}

export async function createAssistant(deps: AppDeps, actor: Actor, input: CreateAssistantBody): Promise<Assistant> {
  try {
    return await withTransaction(deps.db, async (tx) => {
      const assistant = await insertAssistant(tx, input, actor.userId);
      await recordAudit(tx, actor, {
        action: "create",
        resourceType: "assistant",
        resourceId: assistant.id,
        after: assistant,
      });
      return assistant;
    });
  } catch (error) {
    rethrowDuplicate(error);
  }
}

export async function updateAssistant(
  deps: AppDeps,
  actor: Actor,
  id: string,
  input: UpdateAssistantBody,
): Promise<Assistant> {
  try {
    return await withTransaction(deps.db, async (tx) => {
      const before = await findAssistant(tx, id, { forUpdate: true });
      if (!before) throw new NotFoundError("assistant", id);
      const after = await updateAssistantRow(tx, id, {
        name: input.name ?? before.name,
        description: input.description ?? before.description,
        instructions: input.instructions ?? before.instructions,
        model: input.model !== undefined ? input.model : before.model,
        tools: input.tools ?? before.tools,
        isEnabled: input.isEnabled ?? before.isEnabled,
      });
      await recordAudit(tx, actor, { action: "update", resourceType: "assistant", resourceId: id, before, after });
      return after;
    });
  } catch (error) {
    rethrowDuplicate(error);
  }
}

/** Deletes an assistant with its documents and every user's conversations with it. */
export async function deleteAssistant(deps: AppDeps, actor: Actor, id: string): Promise<void> {
  await withTransaction(deps.db, async (tx) => {
    const before = await findAssistant(tx, id, { forUpdate: true });
    if (!before) throw new NotFoundError("assistant", id);
    await deleteAssistantRow(tx, id);
    await recordAudit(tx, actor, { action: "delete", resourceType: "assistant", resourceId: id, before });
  });
}
