import { z } from "zod";
import { IdSchema, IsoDateTimeSchema, PageQueryShape, pageSchema, sortSchema } from "./common.ts";
import { ProblemDetailsSchema } from "./problem.ts";

/** A conversation with an assistant; private to the user who started it. */
export const ConversationSchema = z.object({
  id: IdSchema,
  assistantId: IdSchema,
  title: z.string(),
  isArchived: z.boolean(),
  messageCount: z.number().int(),
  createdAt: IsoDateTimeSchema,
  updatedAt: IsoDateTimeSchema,
});
export type Conversation = z.infer<typeof ConversationSchema>;

export const ConversationParamsSchema = z.strictObject({ id: IdSchema, conversationId: IdSchema });

export const CreateConversationBodySchema = z.strictObject({
  title: z.string().trim().min(1).max(200).default("New conversation"),
});
export type CreateConversationBody = z.infer<typeof CreateConversationBodySchema>;

export const UpdateConversationBodySchema = z.strictObject({
  title: z.string().trim().min(1).max(200).optional(),
  isArchived: z.boolean().optional(),
});
export type UpdateConversationBody = z.infer<typeof UpdateConversationBodySchema>;

export const ConversationListQuerySchema = z.strictObject({
  ...PageQueryShape,
  sort: sortSchema(["updatedAt", "title"], "-updatedAt"),
  archived: z
    .enum(["true", "false"])
    .transform((value) => value === "true")
    .default(false),
});
export type ConversationListQuery = z.infer<typeof ConversationListQuerySchema>;
export const ConversationPageSchema = pageSchema(ConversationSchema);

/** A tool call the model asked for, with its arguments as the model wrote them (JSON text). */
export const ToolCallSchema = z.object({ id: z.string(), name: z.string(), arguments: z.string() });
export type ToolCall = z.infer<typeof ToolCallSchema>;

/** What an answer was grounded on: the controls and computations (with their evidences) the tools read. */
export const CitationsSchema = z.object({
  controls: z.array(z.object({ id: IdSchema, catalogId: IdSchema, name: z.string() })),
  computations: z.array(
    z.object({ id: IdSchema, controlId: IdSchema, windowStart: IsoDateTimeSchema, windowEnd: IsoDateTimeSchema }),
  ),
  documents: z.array(z.object({ id: IdSchema, filename: z.string() })),
});
export type Citations = z.infer<typeof CitationsSchema>;

/** A Node-RED node as a drafted flow holds it (`tab`, `http in`, `function`, `http response`, …). */
export const FlowDraftNodeSchema = z.object({ id: z.string(), type: z.string() }).catchall(z.unknown());
export type FlowDraftNode = z.infer<typeof FlowDraftNodeSchema>;

/** One stored message: the user's, the assistant's (text and/or tool calls) or a tool's result. */
export const MessageSchema = z.object({
  id: IdSchema,
  conversationId: IdSchema,
  role: z.enum(["user", "assistant", "tool"]),
  content: z.string(),
  toolCalls: z.array(ToolCallSchema),
  toolCallId: z.string().nullable(),
  toolName: z.string().nullable(),
  toolSummary: z.string().nullable().describe("A tool result in one line, for people (the content is for the model)"),
  isToolError: z.boolean(),
  citations: CitationsSchema,
  draftFlow: z
    .array(FlowDraftNodeSchema)
    .nullable()
    .describe("A drafted Node-RED flow for a developer to review; never deployed"),
  model: z.string().nullable(),
  promptTokens: z.number().int(),
  completionTokens: z.number().int(),
  createdAt: IsoDateTimeSchema,
});
export type Message = z.infer<typeof MessageSchema>;

export const ConversationDetailSchema = ConversationSchema.extend({ messages: z.array(MessageSchema) });
export type ConversationDetail = z.infer<typeof ConversationDetailSchema>;

export const SendMessageBodySchema = z.strictObject({
  content: z.string().trim().min(1).max(8000),
});
export type SendMessageBody = z.infer<typeof SendMessageBodySchema>;

export const ExportQuerySchema = z.strictObject({ format: z.enum(["md", "json"]).default("md") });

/** The answer to a message sent without `Accept: text/event-stream`: every message the turn stored. */
export const ChatTurnSchema = z.object({ messages: z.array(MessageSchema), citations: CitationsSchema });
export type ChatTurn = z.infer<typeof ChatTurnSchema>;

/**
 * The Server-Sent Events of a chat turn: `delta` (text as it arrives), `tool_call` (the model asked for a tool),
 * `tool_result` (what the tool answered, in short), `done` (the stored messages and citations), `error` (a problem).
 */
export const ChatEventSchema = z.discriminatedUnion("event", [
  z.object({ event: z.literal("delta"), data: z.object({ text: z.string() }) }),
  z.object({ event: z.literal("tool_call"), data: ToolCallSchema }),
  z.object({
    event: z.literal("tool_result"),
    data: z.object({
      toolCallId: z.string(),
      name: z.string(),
      isError: z.boolean(),
      summary: z.string(),
      citations: CitationsSchema,
      hasDraftFlow: z.boolean(),
    }),
  }),
  z.object({ event: z.literal("done"), data: ChatTurnSchema }),
  z.object({ event: z.literal("error"), data: ProblemDetailsSchema }),
]);
export type ChatEvent = z.infer<typeof ChatEventSchema>;
