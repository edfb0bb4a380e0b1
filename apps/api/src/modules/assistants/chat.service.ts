import { randomBytes } from "node:crypto";
import type { Assistant, ChatEvent, Citations, Conversation, Message, ToolCall } from "@status/shared";
import type OpenAI from "openai";
import { cacheKeys } from "../../cache/keys.ts";
import type { AppDeps } from "../../deps.ts";
import { AppError, ConflictError } from "../../errors.ts";
import type { Actor } from "../../domain/actor.ts";
import {
  assertWithinDailyLimits,
  createAiClient,
  loadOpenAI,
  recordAiUsage,
  resolveAiConnectionFor,
  type DailyLimits,
  toAiProblem,
} from "../ai/index.ts";
import { requireVisibleAssistant } from "./assistants.service.ts";
import {
  insertMessage,
  listRecentMessages,
  touchConversation,
  updateConversationRow,
} from "./conversations.repository.ts";
import { requireOwnConversation, type ConversationRef } from "./conversations.service.ts";
import { searchKnowledge } from "./documents.service.ts";
import { HISTORY_LIMIT, toModelMessages } from "./model-messages.ts";
import { buildSystemPrompt } from "./system-prompt.ts";
import { executeToolCall, toolDefinitions, toolsFor } from "./tools/tool-registry.ts";
import { mergeCitations, type AssistantTool, type ToolContext } from "./tools/tool-types.ts";

/** Model requests per turn at most; the last one is sent without tools, so the model has to answer. */
export const MAX_MODEL_REQUESTS_PER_TURN = 5;
const KNOWLEDGE_PASSAGES = 4;
const DEFAULT_TITLE = "New conversation";

type ChatMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam;

interface TurnSetup {
  assistant: Assistant;
  conversation: Conversation;
  client: OpenAI;
  model: string;
  limits: DailyLimits;
}

/** Checks everything a turn needs before any model call: the conversation, the assistant, the limits, the key. */
async function prepareTurn(deps: AppDeps, actor: Actor, ref: ConversationRef): Promise<TurnSetup> {
  const conversation = await requireOwnConversation(deps.db, actor, ref);
  const assistant = await requireVisibleAssistant(deps.db, actor, ref.assistantId);
  if (!assistant.isEnabled)
    throw new AppError(409, "assistant_disabled", "Assistant disabled", "Enable the assistant before chatting with it");
  const connection = await resolveAiConnectionFor(deps, actor.userId);
  return {
    assistant,
    conversation,
    client: await createAiClient(deps, connection),
    model: assistant.model ?? connection.defaultModel,
    limits: connection.limits,
  };
}

interface RoundResult {
  text: string;
  toolCalls: ToolCall[];
  promptTokens: number;
  completionTokens: number;
}

/**
 * One streamed Chat Completions request: yields text deltas as they come and collects the tool calls, whose
 * id, name and argument fragments arrive spread over chunks (keyed by `index`). `onFirstChunk` runs once the server
 * has accepted the request, before anything is yielded.
 */
async function* streamRound(
  client: OpenAI,
  request: OpenAI.Chat.Completions.ChatCompletionCreateParamsStreaming,
  signal: AbortSignal | undefined,
  onFirstChunk: () => Promise<void>,
): AsyncGenerator<ChatEvent, RoundResult> {
  const stream = await client.chat.completions.create(request, { signal });
  let text = "";
  let usage: OpenAI.CompletionUsage | undefined;
  const calls = new Map<number, ToolCall>();
  let isFirst = true;
  for await (const chunk of readingChunks(stream, signal)) {
    if (isFirst) {
      isFirst = false;
      await onFirstChunk();
    }
    if (chunk.usage) usage = chunk.usage;
    const delta = chunk.choices[0]?.delta;
    if (delta?.content) {
      text += delta.content;
      yield { event: "delta", data: { text: delta.content } };
    }
    for (const fragment of delta?.tool_calls ?? []) {
      const call = calls.get(fragment.index) ?? { id: "", name: "", arguments: "" };
      if (fragment.id) call.id = fragment.id;
      if (fragment.function?.name) call.name += fragment.function.name;
      if (fragment.function?.arguments) call.arguments += fragment.function.arguments;
      calls.set(fragment.index, call);
    }
  }
  if (isFirst) await onFirstChunk();
  // Some compatible servers leave out call ids; the tool result must still name its call.
  const toolCalls = [...calls.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, call]) => ({ ...call, id: call.id || `call_${randomBytes(8).toString("hex")}` }));
  return { text, toolCalls, promptTokens: usage?.prompt_tokens ?? 0, completionTokens: usage?.completion_tokens ?? 0 };
}

/**
 * The chunks of a stream. Reading can fail below the SDK (the socket closes in the middle of an answer: fetch
 * throws its own TypeError); that is the AI server becoming unavailable, not a bug of ours.
 */
async function* readingChunks<T>(stream: AsyncIterable<T>, signal: AbortSignal | undefined): AsyncGenerator<T> {
  const iterator = stream[Symbol.asyncIterator]();
  for (;;) {
    let step: IteratorResult<T>;
    try {
      step = await iterator.next();
    } catch (error) {
      if (error instanceof (await loadOpenAI()).OpenAIError || signal?.aborted) throw error;
      throw new AppError(
        503,
        "ai_unavailable",
        "AI service unavailable",
        "The connection to the AI server broke in the middle of the answer; try again",
      );
    }
    if (step.done) return;
    yield step.value;
  }
}

/** Wraps upstream failures into problems with stable codes, whether they happen before or during a stream. */
async function* mappingAiErrors<T, R>(source: AsyncGenerator<T, R>): AsyncGenerator<T, R> {
  try {
    return yield* source;
  } catch (error) {
    throw toAiProblem(error);
  }
}

export interface ChatTurnInput extends ConversationRef {
  actor: Actor;
  content: string;
  signal?: AbortSignal;
}

/** What a turn carries from one model request to the next. */
interface TurnState {
  setup: TurnSetup;
  tools: AssistantTool[];
  /** The context sent to the model, growing with each answer and tool result. */
  messages: ChatMessage[];
  /** The messages stored during this turn, in order. */
  stored: Message[];
  citations: Citations[];
  toolContext: ToolContext;
}

/** Builds the context of a turn: the system prompt (with matching knowledge), the stored history, the new question. */
async function startTurn(deps: AppDeps, input: ChatTurnInput): Promise<TurnState> {
  const { actor } = input;
  const setup = await prepareTurn(deps, actor, input);
  const { assistant, conversation } = setup;
  const tools = toolsFor(assistant.tools, actor.role);
  const knowledge =
    assistant.documentCount > 0 ? await searchKnowledge(deps, assistant.id, input.content, KNOWLEDGE_PASSAGES) : [];
  const system = buildSystemPrompt({
    assistant,
    role: actor.role,
    now: deps.now(),
    knowledge,
    toolNames: tools.map((tool) => tool.name),
  });
  const history = toModelMessages(await listRecentMessages(deps.db, conversation.id, HISTORY_LIMIT));
  return {
    setup,
    tools,
    messages: [{ role: "system", content: system }, ...history, { role: "user", content: input.content }],
    stored: [],
    citations: [
      {
        controls: [],
        computations: [],
        documents: knowledge.map((hit) => ({ id: hit.documentId, filename: hit.filename })),
      },
    ],
    toolContext: { deps, actor, assistantId: assistant.id },
  };
}

/**
 * Stores the user's message once the server has accepted the first request (a refused key leaves no orphan), and
 * names a new conversation after its first question.
 */
async function storeUserMessage(deps: AppDeps, state: TurnState, content: string): Promise<void> {
  if (state.stored.length > 0) return;
  const { conversation } = state.setup;
  state.stored.push(await insertMessage(deps.db, { conversationId: conversation.id, role: "user", content }));
  const isUntitled = conversation.title === DEFAULT_TITLE && conversation.messageCount === 0;
  await updateConversationRow(deps.db, conversation.id, {
    title: isUntitled ? content.replace(/\s+/g, " ").slice(0, 80) : conversation.title,
    isArchived: conversation.isArchived,
  });
}

/** Runs the tool calls of an answer with the asker's role, storing each result and adding it to the context. */
async function* runToolCalls(deps: AppDeps, state: TurnState, toolCalls: ToolCall[]): AsyncGenerator<ChatEvent> {
  for (const call of toolCalls) {
    yield { event: "tool_call", data: call };
    const execution = await executeToolCall(state.toolContext, state.setup.assistant.tools, call);
    state.citations.push(execution.citations);
    const content = JSON.stringify(execution.content);
    state.stored.push(
      await insertMessage(deps.db, {
        conversationId: state.setup.conversation.id,
        role: "tool",
        content,
        toolCallId: call.id,
        toolName: call.name,
        toolSummary: execution.summary,
        isToolError: execution.isError,
        citations: execution.citations,
        draftFlow: execution.draftFlow ?? null,
      }),
    );
    state.messages.push({ role: "tool", tool_call_id: call.id, content });
    yield {
      event: "tool_result",
      data: {
        toolCallId: call.id,
        name: call.name,
        isError: execution.isError,
        summary: execution.summary,
        citations: execution.citations,
        hasDraftFlow: Boolean(execution.draftFlow),
      },
    };
  }
}

/**
 * Stores an answer of the model (text and/or tool calls) and adds it to the context; a final one carries the citations.
 */
async function storeAnswer(deps: AppDeps, state: TurnState, result: RoundResult, toolCalls: ToolCall[]): Promise<void> {
  const isFinal = toolCalls.length === 0;
  state.stored.push(
    await insertMessage(deps.db, {
      conversationId: state.setup.conversation.id,
      role: "assistant",
      content: result.text,
      toolCalls,
      model: state.setup.model,
      promptTokens: result.promptTokens,
      completionTokens: result.completionTokens,
      ...(isFinal ? { citations: mergeCitations(state.citations) } : {}),
    }),
  );
  const calls = toolCalls.map((call) => ({
    id: call.id,
    type: "function" as const,
    function: { name: call.name, arguments: call.arguments },
  }));
  state.messages.push({ role: "assistant", content: result.text || null, ...(isFinal ? {} : { tool_calls: calls }) });
}

/**
 * Marks a conversation as answering; a second turn meanwhile is refused (409) instead of interleaving its messages.
 * The mark expires on its own after the longest a turn can take, should a process die in the middle of one.
 */
async function claimConversation(deps: AppDeps, conversationId: string): Promise<() => Promise<void>> {
  const key = cacheKeys.conversationTurn(conversationId);
  const longestTurnSeconds =
    Math.ceil((deps.config.ai.timeoutMs * (deps.config.ai.maxRetries + 1) * MAX_MODEL_REQUESTS_PER_TURN) / 1000) + 60;
  if (!(await deps.cache.setIfAbsent(key, "1", longestTurnSeconds))) {
    throw new ConflictError(
      "conversation_busy",
      "An answer is still being written in this conversation; wait for it or stop it",
    );
  }
  return async () => {
    await deps.cache.del(key);
  };
}

/**
 * Runs one turn of a conversation: stores the user's message, asks the model (streaming), runs the tools it calls
 * with the asking user's role, feeds their results back, and repeats until the model answers in text (at most
 * MAX_MODEL_REQUESTS_PER_TURN requests). Every message is stored. Problems before the first event (a limit, no key,
 * a refused key) are thrown before anything is yielded, so the caller can still answer with a plain HTTP status.
 */
export async function* runChatTurn(deps: AppDeps, input: ChatTurnInput): AsyncGenerator<ChatEvent> {
  const state = await startTurn(deps, input);
  const release = await claimConversation(deps, state.setup.conversation.id);
  try {
    yield* answerTurn(deps, input, state);
  } finally {
    await release();
  }
}

/** The rounds of a turn: model request, stored answer, tool calls, until the model answers in text. */
async function* answerTurn(deps: AppDeps, input: ChatTurnInput, state: TurnState): AsyncGenerator<ChatEvent> {
  const { setup, tools } = state;
  for (let round = 1; round <= MAX_MODEL_REQUESTS_PER_TURN; round += 1) {
    if (round > 1) await assertWithinDailyLimits(deps, input.actor.userId, setup.limits);
    const isLastRound = round === MAX_MODEL_REQUESTS_PER_TURN;
    const request: OpenAI.Chat.Completions.ChatCompletionCreateParamsStreaming = {
      model: setup.model,
      messages: state.messages,
      stream: true,
      stream_options: { include_usage: true },
      ...(tools.length > 0 && !isLastRound ? { tools: toolDefinitions(tools) } : {}),
    };
    const result = yield* mappingAiErrors(
      streamRound(setup.client, request, input.signal, () => storeUserMessage(deps, state, input.content)),
    );
    await recordAiUsage(deps.db, deps.now(), input.actor.userId, result);
    // The client went away: the SDK ends an aborted stream quietly, and half an answer is not stored as one.
    if (input.signal?.aborted) return;
    // A server may send tool calls even when none were offered; the last round's are dropped, it must answer.
    const toolCalls = isLastRound ? [] : result.toolCalls;
    await storeAnswer(deps, state, result, toolCalls);
    if (toolCalls.length === 0) break;
    yield* runToolCalls(deps, state, toolCalls);
  }
  await touchConversation(deps.db, setup.conversation.id);
  yield { event: "done", data: { messages: state.stored, citations: mergeCitations(state.citations) } };
}
