import { useEffect, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Spinner } from "@/components/ui/spinner.tsx";
import { Textarea } from "@/components/ui/input.tsx";
import { isUnconfigured, useIntegration } from "@/features/system/index.ts";
import { useMyAiUsage } from "../api/ai-settings.ts";
import { useConversation } from "../api/conversations.ts";
import { useChatStream } from "../hooks/use-chat-stream.ts";
import { LiveMessages, StoredMessages } from "./chat-messages.tsx";
import { ConversationActions } from "./conversation-actions.tsx";

interface ChatViewProps {
  assistantId: string;
  conversationId: string;
  isAssistantEnabled: boolean;
  onDeleted: () => void;
}

function limitText(used: number, limit: number): string {
  return limit === 0 ? used.toLocaleString() : `${used.toLocaleString()} of ${limit.toLocaleString()}`;
}

/** What the user has used of today's AI allowance, so a refusal at the limit does not come as a surprise. */
function UsageToday() {
  const usage = useMyAiUsage();
  if (!usage.data) return null;
  const { requests, tokens, dailyRequestLimit, dailyTokenLimit } = usage.data;
  return (
    <p className="mt-2 text-xs text-zinc-500 dark:text-zinc-400">
      Today (UTC): {limitText(requests, dailyRequestLimit)} requests, {limitText(tokens, dailyTokenLimit)} tokens.
    </p>
  );
}

/** One conversation: its messages, the answer streaming in, and the box to ask the next question. */
export function ChatView({ assistantId, conversationId, isAssistantEnabled, onDeleted }: ChatViewProps) {
  const conversation = useConversation(assistantId, conversationId);
  const { turn, send, stop } = useChatStream(assistantId, conversationId);
  const [draft, setDraft] = useState("");
  // Without an API key every message would fail: the page says so above, and the box stays closed.
  const isAiOff = isUnconfigured(useIntegration("ai"));
  const end = useRef<HTMLDivElement>(null);

  useEffect(() => {
    end.current?.scrollIntoView?.({ block: "end" });
  }, [conversation.data?.messages.length, turn?.text, turn?.steps.length]);

  if (conversation.isPending) return <Spinner label="Loading the conversation" />;
  if (conversation.isError)
    return <Alert title="The conversation could not be loaded">{conversation.error.message}</Alert>;

  const isStreaming = turn?.isStreaming ?? false;
  const submit = () => {
    const content = draft.trim();
    if (!content || isStreaming || isAiOff) return;
    setDraft("");
    void send(content, conversation.data?.messages.length ?? 0);
  };

  return (
    <section aria-label={conversation.data.title} className="flex min-h-[60vh] flex-col">
      <header className="mb-4 flex flex-wrap items-center justify-between gap-2 border-b border-zinc-200 pb-3 dark:border-zinc-800">
        <h2 className="truncate text-lg font-semibold">{conversation.data.title}</h2>
        <ConversationActions assistantId={assistantId} conversation={conversation.data} onDeleted={onDeleted} />
      </header>
      <div className="flex-1 space-y-4 overflow-y-auto" aria-live="off">
        {conversation.data.messages.length === 0 && !turn && (
          <p className="text-sm text-zinc-500">Ask a question, e.g. “Which controls failed last month and why?”</p>
        )}
        <StoredMessages messages={conversation.data.messages} />
        {/* Once the stored answer has been read back, the streamed copy would show it twice. */}
        {turn && !(turn.isDone && conversation.data.messages.length > turn.storedBefore) && (
          <LiveMessages turn={turn} />
        )}
        <div ref={end} />
      </div>
      {isAssistantEnabled ? (
        <form
          className="mt-4 flex items-end gap-2"
          onSubmit={(event) => {
            event.preventDefault();
            submit();
          }}
        >
          <Textarea
            aria-label="Message"
            rows={2}
            value={draft}
            disabled={isAiOff}
            maxLength={8000}
            placeholder="Ask about controls, evidence, compliance or flows"
            onChange={(event) => setDraft(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === "Enter" && !event.shiftKey) {
                event.preventDefault();
                submit();
              }
            }}
          />
          {isStreaming ? (
            <Button variant="secondary" onClick={stop}>
              Stop
            </Button>
          ) : (
            <Button type="submit" disabled={!draft.trim() || isAiOff}>
              Send
            </Button>
          )}
        </form>
      ) : (
        <Alert variant="info" className="mt-4">
          This assistant is disabled; its conversations can be read but not continued.
        </Alert>
      )}
      <UsageToday />
    </section>
  );
}
