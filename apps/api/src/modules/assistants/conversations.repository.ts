import type {
  Citations,
  Conversation,
  ConversationListQuery,
  FlowDraftNode,
  Message,
  Page,
  ToolCall,
} from "@status/shared";
import type { Queryable } from "../../db/database.ts";
import { orderBy, queryPage, WhereBuilder } from "../../db/pagination.ts";

const CONVERSATION_COLUMNS = `conversations.id, conversations.assistant_id as "assistantId", conversations.title, conversations.is_archived as "isArchived",
  (select count(*) from messages where messages.conversation_id = conversations.id)::int as "messageCount",
  conversations.created_at as "createdAt", conversations.updated_at as "updatedAt"`;

const MESSAGE_COLUMNS = `id, conversation_id as "conversationId", role, content, tool_calls as "toolCalls", tool_call_id as "toolCallId",
  tool_name as "toolName", tool_summary as "toolSummary", is_tool_error as "isToolError", citations, draft_flow as "draftFlow", model,
  prompt_tokens as "promptTokens", completion_tokens as "completionTokens", created_at as "createdAt"`;

/** A conversation of `ownerId` with `assistantId`; others' conversations are not found. */
export async function findOwnConversation(
  db: Queryable,
  ids: { assistantId: string; conversationId: string; ownerId: string },
): Promise<Conversation | undefined> {
  const result = await db.query<Conversation>(
    `select ${CONVERSATION_COLUMNS} from conversations where id = $1 and assistant_id = $2 and owner_id = $3`,
    [ids.conversationId, ids.assistantId, ids.ownerId],
  );
  return result.rows[0];
}

export async function insertConversation(
  db: Queryable,
  assistantId: string,
  ownerId: string,
  title: string,
): Promise<Conversation> {
  const result = await db.query<{ id: string }>(
    "insert into conversations (assistant_id, owner_id, title) values ($1, $2, $3) returning id",
    [assistantId, ownerId, title],
  );
  return (await findOwnConversation(db, { assistantId, conversationId: result.rows[0]!.id, ownerId }))!;
}

export async function updateConversationRow(
  db: Queryable,
  id: string,
  fields: { title: string; isArchived: boolean },
): Promise<void> {
  await db.query("update conversations set title = $2, is_archived = $3, updated_at = now() where id = $1", [
    id,
    fields.title,
    fields.isArchived,
  ]);
}

/** Marks a conversation as active now (it sorts first in the history). */
export async function touchConversation(db: Queryable, id: string): Promise<void> {
  await db.query("update conversations set updated_at = now() where id = $1", [id]);
}

export async function deleteConversationRow(db: Queryable, id: string): Promise<void> {
  await db.query("delete from conversations where id = $1", [id]);
}

const SORT_COLUMNS = { updatedAt: "conversations.updated_at", title: "lower(conversations.title)" };

export async function listOwnConversations(
  db: Queryable,
  assistantId: string,
  ownerId: string,
  query: ConversationListQuery,
): Promise<Page<Conversation>> {
  const where = new WhereBuilder()
    .add("conversations.assistant_id = $?", assistantId)
    .add("conversations.owner_id = $?", ownerId)
    .add("conversations.is_archived = $?", query.archived);
  return queryPage<Conversation>(db, {
    select: CONVERSATION_COLUMNS,
    from: "conversations",
    where,
    orderBy: orderBy(query.sort, SORT_COLUMNS, "conversations.id"),
    page: query.page,
    pageSize: query.pageSize,
  });
}

export async function listMessages(db: Queryable, conversationId: string): Promise<Message[]> {
  const result = await db.query<Message>(
    `select ${MESSAGE_COLUMNS} from messages where conversation_id = $1 order by seq`,
    [conversationId],
  );
  return result.rows;
}

/** The last `limit` messages of a conversation, in order: a turn's context needs no more than the model is sent. */
export async function listRecentMessages(db: Queryable, conversationId: string, limit: number): Promise<Message[]> {
  const result = await db.query<Message>(
    `select ${MESSAGE_COLUMNS} from messages
      where id in (select id from messages where conversation_id = $1 order by seq desc limit $2)
      order by seq`,
    [conversationId, limit],
  );
  return result.rows;
}

export interface NewMessage {
  conversationId: string;
  role: Message["role"];
  content: string;
  toolCalls?: ToolCall[];
  toolCallId?: string;
  toolName?: string;
  toolSummary?: string;
  isToolError?: boolean;
  citations?: Citations;
  draftFlow?: FlowDraftNode[] | null;
  model?: string;
  promptTokens?: number;
  completionTokens?: number;
}

const NO_CITATIONS: Citations = { controls: [], computations: [], documents: [] };

export async function insertMessage(db: Queryable, message: NewMessage): Promise<Message> {
  const result = await db.query<Message>(
    `insert into messages (conversation_id, role, content, tool_calls, tool_call_id, tool_name, tool_summary, is_tool_error, citations, draft_flow, model, prompt_tokens, completion_tokens)
     values ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9::jsonb, $10::jsonb, $11, $12, $13) returning ${MESSAGE_COLUMNS}`,
    [
      message.conversationId,
      message.role,
      message.content,
      JSON.stringify(message.toolCalls ?? []),
      message.toolCallId ?? null,
      message.toolName ?? null,
      message.toolSummary ?? null,
      message.isToolError ?? false,
      JSON.stringify(message.citations ?? NO_CITATIONS),
      message.draftFlow ? JSON.stringify(message.draftFlow) : null,
      message.model ?? null,
      message.promptTokens ?? 0,
      message.completionTokens ?? 0,
    ],
  );
  return result.rows[0]!;
}
