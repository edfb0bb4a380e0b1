import type { Citations, ToolCall } from "@status/shared";
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError } from "@/lib/api-client.ts";
import { assistantKeys } from "../api/assistant-keys.ts";
import { streamMessage } from "../api/stream-message.ts";

/** A tool the model called during the turn being streamed, and (once it ran) what it answered. */
export interface LiveStep {
  call: ToolCall;
  result?: { isError: boolean; summary: string; citations: Citations; hasDraftFlow: boolean };
}

/** The turn in flight: the question, the text so far, the tool steps, and a problem if the turn failed. */
export interface LiveTurn {
  question: string;
  text: string;
  steps: LiveStep[];
  error: { title: string; detail: string } | null;
  isStreaming: boolean;
  /** The server ended the turn with `done`: it stored the answer. */
  isDone: boolean;
  /** How many messages the conversation held when the question was sent. */
  storedBefore: number;
}

function describeError(error: unknown): { title: string; detail: string } {
  if (error instanceof ApiError) return { title: error.title, detail: error.detail ?? error.message };
  return { title: "The answer was interrupted", detail: error instanceof Error ? error.message : "Please try again." };
}

/**
 * Sends a message and follows its answer as it streams. When the turn ends, the conversation is read again, so
 * what shows is what the server stored; a failed turn keeps its partial text with the problem under it.
 */
export function useChatStream(assistantId: string, conversationId: string | null) {
  const queryClient = useQueryClient();
  const [turn, setTurn] = useState<LiveTurn | null>(null);
  const aborter = useRef<AbortController | null>(null);

  useEffect(() => {
    setTurn(null);
    return () => aborter.current?.abort();
  }, [conversationId]);

  const refresh = useCallback(async () => {
    if (!conversationId) return;
    await queryClient.invalidateQueries({ queryKey: assistantKeys.conversation(assistantId, conversationId) });
    await queryClient.invalidateQueries({ queryKey: assistantKeys.conversationList(assistantId, false) });
    await queryClient.invalidateQueries({ queryKey: assistantKeys.myUsage() });
  }, [assistantId, conversationId, queryClient]);

  const send = useCallback(
    async (content: string, storedBefore = 0) => {
      if (!conversationId) return;
      const controller = new AbortController();
      aborter.current = controller;
      setTurn({ question: content, text: "", steps: [], error: null, isStreaming: true, isDone: false, storedBefore });
      let isDone = false;
      try {
        await streamMessage({
          assistantId,
          conversationId,
          content,
          signal: controller.signal,
          onEvent: (event) => {
            if (event.event === "delta")
              setTurn((current) => current && { ...current, text: current.text + event.data.text });
            if (event.event === "tool_call")
              setTurn((current) => current && { ...current, steps: [...current.steps, { call: event.data }] });
            if (event.event === "tool_result") {
              setTurn(
                (current) =>
                  current && {
                    ...current,
                    steps: current.steps.map((step) =>
                      step.call.id === event.data.toolCallId ? { ...step, result: event.data } : step,
                    ),
                  },
              );
            }
            if (event.event === "error")
              setTurn(
                (current) =>
                  current && { ...current, error: { title: event.data.title, detail: event.data.detail ?? "" } },
              );
            if (event.event === "done") {
              isDone = true;
              setTurn((current) => current && { ...current, isDone: true });
            }
          },
        });
      } catch (error) {
        if (controller.signal.aborted) return;
        setTurn((current) => current && { ...current, error: describeError(error) });
      }
      await refresh();
      setTurn((current) => (isDone ? null : current && { ...current, isStreaming: false }));
    },
    [assistantId, conversationId, refresh],
  );

  // A stopped answer is not stored by the server, so once the conversation is read again only what was stored shows.
  const stop = useCallback(() => {
    aborter.current?.abort();
    setTurn((current) => current && { ...current, isStreaming: false });
    void refresh().then(() => setTurn(null));
  }, [refresh]);

  return { turn, send, stop };
}
