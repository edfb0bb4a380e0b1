import type { Conversation } from "@status/shared";
import { useState } from "react";
import { Button, buttonVariants } from "@/components/ui/button.tsx";
import { ConfirmDialog } from "@/components/ui/confirm-dialog.tsx";
import { Input } from "@/components/ui/input.tsx";
import { SessionDownloadLink } from "@/components/ui/session-download-link.tsx";
import { conversationExportUrl, useDeleteConversation, useUpdateConversation } from "../api/conversations.ts";

interface ConversationActionsProps {
  assistantId: string;
  conversation: Conversation;
  onDeleted: () => void;
}

/** Rename, archive or restore, export (Markdown, JSON) and delete the open conversation. */
export function ConversationActions({ assistantId, conversation, onDeleted }: ConversationActionsProps) {
  const [title, setTitle] = useState<string | null>(null);
  const update = useUpdateConversation();
  const remove = useDeleteConversation(onDeleted);
  const ids = { assistantId, conversationId: conversation.id };

  if (title !== null) {
    return (
      <form
        className="flex items-center gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          if (title.trim())
            update.mutate({ ...ids, body: { title: title.trim() } }, { onSuccess: () => setTitle(null) });
        }}
      >
        <Input
          aria-label="Conversation title"
          value={title}
          maxLength={200}
          onChange={(event) => setTitle(event.target.value)}
          autoFocus
        />
        <Button type="submit" size="sm" isLoading={update.isPending}>
          Save
        </Button>
        <Button size="sm" variant="ghost" onClick={() => setTitle(null)}>
          Cancel
        </Button>
      </form>
    );
  }
  return (
    <div className="flex flex-wrap items-center gap-1">
      <Button size="sm" variant="ghost" onClick={() => setTitle(conversation.title)}>
        Rename
      </Button>
      <Button
        size="sm"
        variant="ghost"
        isLoading={update.isPending}
        onClick={() => update.mutate({ ...ids, body: { isArchived: !conversation.isArchived } })}
      >
        {conversation.isArchived ? "Restore" : "Archive"}
      </Button>
      <SessionDownloadLink
        className={buttonVariants({ variant: "ghost", size: "sm" })}
        href={conversationExportUrl(assistantId, conversation.id, "md")}
        download
      >
        Export Markdown
      </SessionDownloadLink>
      <SessionDownloadLink
        className={buttonVariants({ variant: "ghost", size: "sm" })}
        href={conversationExportUrl(assistantId, conversation.id, "json")}
        download
      >
        Export JSON
      </SessionDownloadLink>
      <ConfirmDialog
        trigger={
          <Button size="sm" variant="ghost">
            Delete
          </Button>
        }
        title={`Delete “${conversation.title}”?`}
        description="The conversation and all its messages are deleted. This cannot be undone."
        confirmLabel="Delete conversation"
        isPending={remove.isPending}
        error={remove.isError ? { title: "The conversation was not deleted", message: remove.error.message } : null}
        onConfirm={(close) => remove.mutate(ids, { onSuccess: close })}
        onClosed={() => remove.reset()}
      />
    </div>
  );
}
