import type {
  Conversation,
  ConversationDetail,
  ConversationListQuery,
  CreateConversationBody,
  Page,
  UpdateConversationBody,
} from "@status/shared";
import { withTransaction, type Queryable } from "../../db/database.ts";
import type { AppDeps } from "../../deps.ts";
import { NotFoundError } from "../../errors.ts";
import type { Actor } from "../../domain/actor.ts";
import { recordAudit } from "../audit/index.ts";
import { requireVisibleAssistant } from "./assistants.service.ts";
import {
  deleteConversationRow,
  findOwnConversation,
  insertConversation,
  listMessages,
  listOwnConversations,
  updateConversationRow,
} from "./conversations.repository.ts";

export interface ConversationRef {
  assistantId: string;
  conversationId: string;
}

/** The actor's own conversation; anyone else's is a 404, the same answer as for one that does not exist. */
export async function requireOwnConversation(db: Queryable, actor: Actor, ref: ConversationRef): Promise<Conversation> {
  const conversation = await findOwnConversation(db, { ...ref, ownerId: actor.userId });
  if (!conversation) throw new NotFoundError("conversation", ref.conversationId);
  return conversation;
}

// The audit trail records that a conversation changed, never what was said in it.
function auditView(conversation: Conversation) {
  return { id: conversation.id, assistantId: conversation.assistantId, isArchived: conversation.isArchived };
}

export async function listConversations(
  deps: AppDeps,
  actor: Actor,
  assistantId: string,
  query: ConversationListQuery,
): Promise<Page<Conversation>> {
  await requireVisibleAssistant(deps.db, actor, assistantId);
  return listOwnConversations(deps.db, assistantId, actor.userId, query);
}

export async function createConversation(
  deps: AppDeps,
  actor: Actor,
  assistantId: string,
  input: CreateConversationBody,
): Promise<Conversation> {
  await requireVisibleAssistant(deps.db, actor, assistantId);
  return withTransaction(deps.db, async (tx) => {
    const conversation = await insertConversation(tx, assistantId, actor.userId, input.title);
    await recordAudit(tx, actor, {
      action: "create",
      resourceType: "conversation",
      resourceId: conversation.id,
      after: auditView(conversation),
    });
    return conversation;
  });
}

/** A conversation with every stored message, in order. */
export async function getConversationDetail(
  deps: AppDeps,
  actor: Actor,
  ref: ConversationRef,
): Promise<ConversationDetail> {
  const conversation = await requireOwnConversation(deps.db, actor, ref);
  return { ...conversation, messages: await listMessages(deps.db, conversation.id) };
}

/** Renames and/or archives (or restores) a conversation. */
export async function updateConversation(
  deps: AppDeps,
  actor: Actor,
  ref: ConversationRef,
  input: UpdateConversationBody,
): Promise<Conversation> {
  return withTransaction(deps.db, async (tx) => {
    const before = await requireOwnConversation(tx, actor, ref);
    await updateConversationRow(tx, before.id, {
      title: input.title ?? before.title,
      isArchived: input.isArchived ?? before.isArchived,
    });
    const after = await requireOwnConversation(tx, actor, ref);
    await recordAudit(tx, actor, {
      action: "update",
      resourceType: "conversation",
      resourceId: before.id,
      before: auditView(before),
      after: auditView(after),
    });
    return after;
  });
}

export async function deleteConversation(deps: AppDeps, actor: Actor, ref: ConversationRef): Promise<void> {
  await withTransaction(deps.db, async (tx) => {
    const before = await requireOwnConversation(tx, actor, ref);
    await deleteConversationRow(tx, before.id);
    await recordAudit(tx, actor, {
      action: "delete",
      resourceType: "conversation",
      resourceId: before.id,
      before: auditView(before),
    });
  });
}
