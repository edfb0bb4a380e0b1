import { RequirementSearchPageSchema, type RequirementSearchQuery } from "@status/shared";
import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import { apiClient } from "@/lib/api-client.ts";
import { toRequestParams } from "@/lib/search-params.ts";
import { frameworkKeys } from "./framework-keys.ts";

export type RequirementSearchPage = z.infer<typeof RequirementSearchPageSchema>;
export type RequirementSearchItem = RequirementSearchPage["items"][number];

/** Requirements of every framework (or one) matching a term: the mapping picker's search. */
export async function searchRequirements(
  query: RequirementSearchQuery,
  signal?: AbortSignal,
): Promise<RequirementSearchPage> {
  const response = await apiClient.get("/requirements", { params: toRequestParams(query), signal });
  return RequirementSearchPageSchema.parse(response.data);
}

export function searchRequirementsQueryOptions(query: RequirementSearchQuery) {
  return queryOptions({
    queryKey: frameworkKeys.search(query),
    queryFn: ({ signal }) => searchRequirements(query, signal),
    placeholderData: keepPreviousData,
  });
}

export function useRequirementSearch(query: RequirementSearchQuery, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({ ...searchRequirementsQueryOptions(query), enabled });
}
