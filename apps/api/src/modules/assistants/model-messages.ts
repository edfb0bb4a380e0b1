import type { Message } from "@status/shared";
import type OpenAI from "openai";

type ChatMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam;

/** How many stored messages of a conversation go back to the model on each turn. */
export const HISTORY_LIMIT = 60;

/**
 * Rebuilds the model's context from stored messages. The window starts at a user message, and an assistant's tool
 * call is only sent together with its stored result, since servers refuse a call without an answer.
 */
export function toModelMessages(stored: Message[]): ChatMessage[] {
  let window = stored.slice(-HISTORY_LIMIT);
  const firstUser = window.findIndex((message) => message.role === "user");
  window = firstUser === -1 ? [] : window.slice(firstUser);
  const answered = new Set(window.filter((message) => message.role === "tool").map((message) => message.toolCallId));
  const sent = new Set<string>();
  const messages: ChatMessage[] = [];
  for (const message of window) {
    if (message.role === "user") messages.push({ role: "user", content: message.content });
    if (message.role === "assistant") {
      const calls = message.toolCalls.filter((call) => answered.has(call.id));
      calls.forEach((call) => sent.add(call.id));
      if (!message.content && calls.length === 0) continue;
      messages.push({
        role: "assistant",
        content: message.content || null,
        ...(calls.length > 0
          ? {
              tool_calls: calls.map((call) => ({
                id: call.id,
                type: "function" as const,
                function: { name: call.name, arguments: call.arguments },
              })),
            }
          : {}),
      });
    }
    if (message.role === "tool" && message.toolCallId && sent.has(message.toolCallId)) {
      messages.push({ role: "tool", tool_call_id: message.toolCallId, content: message.content });
    }
  }
  return messages;
}
