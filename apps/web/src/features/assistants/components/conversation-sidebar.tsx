import { clsx } from "clsx";
import { useState } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Spinner } from "@/components/ui/spinner.tsx";
import { formatDateTime } from "@/lib/format.ts";
import { useConversations, useCreateConversation } from "../api/conversations.ts";

interface ConversationSidebarProps {
  assistantId: string;
  selectedId: string | null;
  onSelect: (conversationId: string) => void;
  canStart: boolean;
}

/** The user's conversation history with this assistant, latest first; archived ones on a second tab. */
export function ConversationSidebar({ assistantId, selectedId, onSelect, canStart }: ConversationSidebarProps) {
  const [isArchived, setIsArchived] = useState(false);
  const conversations = useConversations(assistantId, isArchived);
  const create = useCreateConversation((conversation) => onSelect(conversation.id));
  return (
    <nav aria-label="Conversations" className="space-y-3">
      {canStart && (
        <Button className="w-full" isLoading={create.isPending} onClick={() => create.mutate({ assistantId })}>
          New conversation
        </Button>
      )}
      {create.isError && <Alert>{create.error.message}</Alert>}
      <div className="flex gap-1 text-sm" role="group" aria-label="Which conversations">
        <Button
          size="sm"
          variant={isArchived ? "ghost" : "secondary"}
          aria-pressed={!isArchived}
          onClick={() => setIsArchived(false)}
        >
          Active
        </Button>
        <Button
          size="sm"
          variant={isArchived ? "secondary" : "ghost"}
          aria-pressed={isArchived}
          onClick={() => setIsArchived(true)}
        >
          Archived
        </Button>
      </div>
      {conversations.isPending && <Spinner label="Loading conversations" />}
      {conversations.isError && <Alert>{conversations.error.message}</Alert>}
      {conversations.data?.items.length === 0 && (
        <p className="text-sm text-zinc-500">{isArchived ? "No archived conversations." : "No conversations yet."}</p>
      )}
      <ul className="space-y-1">
        {conversations.data?.items.map((conversation) => (
          <li key={conversation.id}>
            <button
              type="button"
              onClick={() => onSelect(conversation.id)}
              aria-current={conversation.id === selectedId ? "page" : undefined}
              className={clsx(
                "w-full rounded px-2 py-1.5 text-left text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800",
                conversation.id === selectedId && "bg-zinc-100 font-medium dark:bg-zinc-800",
              )}
            >
              <span className="block truncate">{conversation.title}</span>
              <span className="block text-xs text-zinc-500">{formatDateTime(conversation.updatedAt)}</span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
