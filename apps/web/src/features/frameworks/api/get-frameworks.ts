import { FrameworkListQuerySchema, FrameworkPageSchema, type FrameworkListQuery } from "@status/shared";
import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import { apiClient } from "@/lib/api-client.ts";
import { parseSearchParams, toRequestParams } from "@/lib/search-params.ts";
import { frameworkKeys } from "./framework-keys.ts";

export type FrameworkPage = z.infer<typeof FrameworkPageSchema>;

/** The list query the URL describes; unknown or invalid values fall back to the API's defaults. */
export function parseFrameworkListQuery(searchParams: URLSearchParams): FrameworkListQuery {
  return parseSearchParams(FrameworkListQuerySchema, searchParams);
}

export async function getFrameworks(query: FrameworkListQuery, signal?: AbortSignal): Promise<FrameworkPage> {
  const response = await apiClient.get("/frameworks", { params: toRequestParams(query), signal });
  return FrameworkPageSchema.parse(response.data);
}

export function getFrameworksQueryOptions(query: FrameworkListQuery) {
  return queryOptions({
    queryKey: frameworkKeys.list(query),
    queryFn: ({ signal }) => getFrameworks(query, signal),
    placeholderData: keepPreviousData,
  });
}

export function useFrameworks(query: FrameworkListQuery, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({ ...getFrameworksQueryOptions(query), enabled });
}
