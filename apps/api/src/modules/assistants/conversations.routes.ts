import {
  ChatTurnSchema,
  ConversationDetailSchema,
  ConversationListQuerySchema,
  ConversationPageSchema,
  ConversationParamsSchema,
  ConversationSchema,
  CreateConversationBodySchema,
  ExportQuerySchema,
  IdParamsSchema,
  SendMessageBodySchema,
  UpdateConversationBodySchema,
  type ChatTurn,
} from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { wantsEventStream, writeEventStream } from "../../http/event-stream-writer.ts";
import { defineRoute, type RouteDefinition } from "../../http/route.ts";
import { getAssistant } from "./assistants.service.ts";
import { runChatTurn } from "./chat.service.ts";
import { conversationToJson, conversationToMarkdown, exportFilename } from "./conversation-export.ts";
import {
  createConversation,
  deleteConversation,
  getConversationDetail,
  listConversations,
  updateConversation,
} from "./conversations.service.ts";

const CONVERSATION_PATH = "/assistants/:id/conversations/:conversationId";

export function conversationRoutes(deps: AppDeps): RouteDefinition[] {
  return [
    defineRoute({
      method: "get",
      path: "/assistants/:id/conversations",
      summary: "Your conversations with an assistant, latest first (archived ones with ?archived=true)",
      tag: "Assistants",
      access: "USER",
      params: IdParamsSchema,
      query: ConversationListQuerySchema,
      responses: { 200: { description: "A page of conversations", schema: ConversationPageSchema } },
      async handler({ res, actor, params, query }) {
        res.json(await listConversations(deps, actor, params.id, query));
      },
    }),
    defineRoute({
      method: "post",
      path: "/assistants/:id/conversations",
      summary: "Start a conversation with an assistant",
      tag: "Assistants",
      access: "USER",
      params: IdParamsSchema,
      body: CreateConversationBodySchema,
      responses: { 201: { description: "The conversation", schema: ConversationSchema } },
      async handler({ res, actor, params, body }) {
        const conversation = await createConversation(deps, actor, params.id, body);
        res.status(201).location(`/api/v1/assistants/${params.id}/conversations/${conversation.id}`).json(conversation);
      },
    }),
    defineRoute({
      method: "get",
      path: CONVERSATION_PATH,
      summary: "One of your conversations with all its messages",
      tag: "Assistants",
      access: "USER",
      params: ConversationParamsSchema,
      responses: {
        200: { description: "The conversation", schema: ConversationDetailSchema },
        404: { description: "Not found, or not yours" },
      },
      async handler({ res, actor, params }) {
        res.json(
          await getConversationDetail(deps, actor, { assistantId: params.id, conversationId: params.conversationId }),
        );
      },
    }),
    defineRoute({
      method: "patch",
      path: CONVERSATION_PATH,
      summary: "Rename, archive or restore one of your conversations",
      tag: "Assistants",
      access: "USER",
      params: ConversationParamsSchema,
      body: UpdateConversationBodySchema,
      responses: { 200: { description: "The conversation", schema: ConversationSchema } },
      async handler({ res, actor, params, body }) {
        res.json(
          await updateConversation(
            deps,
            actor,
            { assistantId: params.id, conversationId: params.conversationId },
            body,
          ),
        );
      },
    }),
    defineRoute({
      method: "delete",
      path: CONVERSATION_PATH,
      summary: "Delete one of your conversations",
      tag: "Assistants",
      access: "USER",
      params: ConversationParamsSchema,
      responses: { 204: { description: "Deleted" } },
      async handler({ res, actor, params }) {
        await deleteConversation(deps, actor, { assistantId: params.id, conversationId: params.conversationId });
        res.status(204).end();
      },
    }),
    defineRoute({
      method: "get",
      path: `${CONVERSATION_PATH}/export`,
      summary: "Download one of your conversations as Markdown (?format=md) or JSON (?format=json)",
      tag: "Assistants",
      access: "USER",
      params: ConversationParamsSchema,
      query: ExportQuerySchema,
      responses: { 200: { description: "The conversation as a file", contentType: "text/markdown" } },
      async handler({ res, actor, params, query }) {
        const conversation = await getConversationDetail(deps, actor, {
          assistantId: params.id,
          conversationId: params.conversationId,
        });
        const assistant = await getAssistant(deps, actor, params.id);
        res.attachment(exportFilename(conversation, query.format));
        if (query.format === "json") res.json(conversationToJson(conversation, assistant, deps.now()));
        else res.type("text/markdown; charset=utf-8").send(conversationToMarkdown(conversation, assistant, deps.now()));
      },
    }),
    defineRoute({
      method: "post",
      path: `${CONVERSATION_PATH}/messages`,
      summary:
        "Send a message; with Accept: text/event-stream the answer streams (events delta, tool_call, tool_result, done, error), else JSON when complete",
      tag: "Assistants",
      access: "USER",
      params: ConversationParamsSchema,
      body: SendMessageBodySchema,
      responses: {
        200: { description: "The stored messages of the turn (or the event stream)", schema: ChatTurnSchema },
        429: { description: "Daily limit reached, or the AI server is rate limiting" },
        502: { description: "The AI server refused the key or failed" },
        503: { description: "AI not configured, unreachable, or out of credit" },
      },
      async handler({ req, res, actor, params, body }) {
        const aborter = new AbortController();
        res.on("close", () => {
          if (!res.writableFinished) aborter.abort();
        });
        const events = runChatTurn(deps, {
          actor,
          assistantId: params.id,
          conversationId: params.conversationId,
          content: body.content,
          signal: aborter.signal,
        });
        if (wantsEventStream(req)) return writeEventStream(req, res, events, deps.log);
        let turn: ChatTurn | undefined;
        for await (const event of events) if (event.event === "done") turn = event.data;
        res.json(turn);
      },
    }),
  ];
}
