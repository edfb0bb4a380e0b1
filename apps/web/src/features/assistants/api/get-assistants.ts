import { AssistantListQuerySchema, AssistantPageSchema, type AssistantListQuery } from "@status/shared";
import { queryOptions, useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import { apiClient } from "@/lib/api-client.ts";
import { parseSearchParams, toRequestParams } from "@/lib/search-params.ts";
import { assistantKeys } from "./assistant-keys.ts";

export type AssistantPage = z.infer<typeof AssistantPageSchema>;

export function parseAssistantListQuery(searchParams: URLSearchParams): AssistantListQuery {
  return parseSearchParams(AssistantListQuerySchema, searchParams);
}

/** A USER gets the enabled assistants only; DEVELOPER and ADMIN get all. */
export async function getAssistants(query: AssistantListQuery, signal?: AbortSignal): Promise<AssistantPage> {
  const response = await apiClient.get("/assistants", { params: toRequestParams(query), signal });
  return AssistantPageSchema.parse(response.data);
}

export function getAssistantsQueryOptions(query: AssistantListQuery) {
  return queryOptions({ queryKey: assistantKeys.list(query), queryFn: ({ signal }) => getAssistants(query, signal) });
}

export function useAssistants(query: AssistantListQuery) {
  return useQuery(getAssistantsQueryOptions(query));
}
