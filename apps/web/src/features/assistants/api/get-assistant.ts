import { AssistantSchema, type Assistant } from "@status/shared";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { assistantKeys } from "./assistant-keys.ts";

export async function getAssistant(assistantId: string, signal?: AbortSignal): Promise<Assistant> {
  const response = await apiClient.get(`/assistants/${encodeURIComponent(assistantId)}`, { signal });
  return AssistantSchema.parse(response.data);
}

export function getAssistantQueryOptions(assistantId: string) {
  return queryOptions({
    queryKey: assistantKeys.detail(assistantId),
    queryFn: ({ signal }) => getAssistant(assistantId, signal),
  });
}

export function useAssistant(assistantId: string) {
  return useQuery(getAssistantQueryOptions(assistantId));
}
