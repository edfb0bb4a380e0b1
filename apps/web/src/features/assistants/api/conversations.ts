import {
  ConversationDetailSchema,
  ConversationPageSchema,
  ConversationSchema,
  type Conversation,
  type ConversationDetail,
  type UpdateConversationBody,
} from "@status/shared";
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import { apiClient } from "@/lib/api-client.ts";
import { assistantKeys } from "./assistant-keys.ts";

export type ConversationPage = z.infer<typeof ConversationPageSchema>;

const base = (assistantId: string) => `/assistants/${encodeURIComponent(assistantId)}/conversations`;

/** The signed-in user's own conversations with an assistant, latest first. */
export async function getConversations(
  assistantId: string,
  isArchived: boolean,
  signal?: AbortSignal,
): Promise<ConversationPage> {
  const response = await apiClient.get(base(assistantId), {
    params: { archived: String(isArchived), pageSize: 100 },
    signal,
  });
  return ConversationPageSchema.parse(response.data);
}

export function useConversations(assistantId: string, isArchived: boolean) {
  return useQuery(
    queryOptions({
      queryKey: assistantKeys.conversationList(assistantId, isArchived),
      queryFn: ({ signal }) => getConversations(assistantId, isArchived, signal),
    }),
  );
}

export async function getConversation(
  assistantId: string,
  conversationId: string,
  signal?: AbortSignal,
): Promise<ConversationDetail> {
  const response = await apiClient.get(`${base(assistantId)}/${encodeURIComponent(conversationId)}`, { signal });
  return ConversationDetailSchema.parse(response.data);
}

export function getConversationQueryOptions(assistantId: string, conversationId: string) {
  return queryOptions({
    queryKey: assistantKeys.conversation(assistantId, conversationId),
    queryFn: ({ signal }) => getConversation(assistantId, conversationId, signal),
  });
}

export function useConversation(assistantId: string, conversationId: string | null) {
  return useQuery({
    ...getConversationQueryOptions(assistantId, conversationId ?? ""),
    enabled: conversationId !== null,
  });
}

export async function createConversation(assistantId: string): Promise<Conversation> {
  const response = await apiClient.post(base(assistantId), {});
  return ConversationSchema.parse(response.data);
}

export async function updateConversation({
  assistantId,
  conversationId,
  body,
}: {
  assistantId: string;
  conversationId: string;
  body: UpdateConversationBody;
}): Promise<Conversation> {
  const response = await apiClient.patch(`${base(assistantId)}/${encodeURIComponent(conversationId)}`, body);
  return ConversationSchema.parse(response.data);
}

export async function deleteConversation({
  assistantId,
  conversationId,
}: {
  assistantId: string;
  conversationId: string;
}): Promise<void> {
  await apiClient.delete(`${base(assistantId)}/${encodeURIComponent(conversationId)}`);
}

/** Where the browser downloads a conversation (a plain GET with the session cookie). */
export function conversationExportUrl(assistantId: string, conversationId: string, format: "md" | "json"): string {
  return `/api/v1${base(assistantId)}/${encodeURIComponent(conversationId)}/export?format=${format}`;
}

function useConversationMutation<T extends { assistantId: string }, R>(
  mutationFn: (input: T) => Promise<R>,
  onSuccess?: (result: R) => void,
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: async (result, input) => {
      await queryClient.invalidateQueries({ queryKey: assistantKeys.conversations(input.assistantId) });
      onSuccess?.(result);
    },
  });
}

export const useCreateConversation = (onSuccess?: (conversation: Conversation) => void) =>
  useConversationMutation(({ assistantId }: { assistantId: string }) => createConversation(assistantId), onSuccess);
export const useUpdateConversation = () => useConversationMutation(updateConversation);
export const useDeleteConversation = (onSuccess?: () => void) => useConversationMutation(deleteConversation, onSuccess);
