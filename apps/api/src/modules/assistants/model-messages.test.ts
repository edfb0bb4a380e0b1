import type { Message } from "@status/shared";
import { describe, expect, it } from "vitest";
import { HISTORY_LIMIT, toModelMessages } from "./model-messages.ts";

let sequence = 0;
function message(overrides: Partial<Message>): Message {
  sequence += 1;
  return {
    id: `00000000-0000-4000-8000-${String(sequence).padStart(12, "0")}`,
    conversationId: "00000000-0000-4000-8000-000000000000",
    role: "user",
    content: "",
    toolCalls: [],
    toolCallId: null,
    toolName: null,
    toolSummary: null,
    isToolError: false,
    citations: { controls: [], computations: [], documents: [] },
    draftFlow: null,
    model: null,
    promptTokens: 0,
    completionTokens: 0,
    createdAt: "2025-06-01T00:00:00Z",
    ...overrides,
  };
}

describe("toModelMessages", () => {
  it("replays user text, assistant tool calls with their results, and answers, in order", () => {
    const call = { id: "call_1", name: "list_failing_controls", arguments: "{}" };
    const messages = toModelMessages([
      message({ role: "user", content: "Which failed?" }),
      message({ role: "assistant", toolCalls: [call] }),
      message({ role: "tool", toolCallId: "call_1", toolName: call.name, content: '{"failingControls":[]}' }),
      message({ role: "assistant", content: "None." }),
    ]);
    expect(messages).toEqual([
      { role: "user", content: "Which failed?" },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "call_1", type: "function", function: { name: call.name, arguments: "{}" } }],
      },
      { role: "tool", tool_call_id: "call_1", content: '{"failingControls":[]}' },
      { role: "assistant", content: "None." },
    ]);
  });

  it("leaves out a tool call whose result was never stored, which servers would refuse", () => {
    const messages = toModelMessages([
      message({ role: "user", content: "Hi" }),
      message({ role: "assistant", toolCalls: [{ id: "lost", name: "x", arguments: "{}" }] }),
      message({ role: "user", content: "Again" }),
    ]);
    expect(messages).toEqual([
      { role: "user", content: "Hi" },
      { role: "user", content: "Again" },
    ]);
  });

  it("keeps the latest messages only, starting at a user message", () => {
    const history = Array.from({ length: HISTORY_LIMIT + 3 }, (_, index) =>
      message({ role: index % 2 === 0 ? "user" : "assistant", content: `m${index}` }),
    );
    const messages = toModelMessages(history);
    expect(messages.length).toBeLessThanOrEqual(HISTORY_LIMIT);
    expect(messages[0]!.role).toBe("user");
    expect(messages.at(-1)).toEqual({ role: "user", content: `m${HISTORY_LIMIT + 2}` });
  });
});
