import type { AssistantListQuery } from "@status/shared";

/** Query keys of the assistants feature; mutations invalidate through the same factory. */
export const assistantKeys = {
  all: ["assistants"] as const,
  lists: () => [...assistantKeys.all, "list"] as const,
  list: (query: AssistantListQuery) => [...assistantKeys.lists(), query] as const,
  detail: (assistantId: string) => [...assistantKeys.all, "detail", assistantId] as const,
  documents: (assistantId: string) => [...assistantKeys.all, "documents", assistantId] as const,
  conversations: (assistantId: string) => [...assistantKeys.all, "conversations", assistantId] as const,
  conversationList: (assistantId: string, isArchived: boolean) =>
    [...assistantKeys.conversations(assistantId), "list", isArchived] as const,
  conversation: (assistantId: string, conversationId: string) =>
    [...assistantKeys.conversations(assistantId), "detail", conversationId] as const,
  settings: () => ["ai", "settings"] as const,
  usage: () => ["ai", "usage"] as const,
  myUsage: () => ["ai", "usage", "me"] as const,
};
