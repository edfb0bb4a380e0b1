import {
  RequirementListQuerySchema,
  RequirementTreePageSchema,
  type RequirementListQuery,
  type RequirementTreePage,
} from "@status/shared";
import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { parseSearchParams, toRequestParams } from "@/lib/search-params.ts";
import { frameworkKeys } from "./framework-keys.ts";

export function parseRequirementListQuery(searchParams: URLSearchParams): RequirementListQuery {
  return parseSearchParams(RequirementListQuerySchema, searchParams);
}

/** A page of top-level requirements with their children; with search or group only the matching branches. */
export async function getRequirements(
  frameworkId: string,
  query: RequirementListQuery,
  signal?: AbortSignal,
): Promise<RequirementTreePage> {
  const response = await apiClient.get(`/frameworks/${encodeURIComponent(frameworkId)}/requirements`, {
    params: toRequestParams(query),
    signal,
  });
  return RequirementTreePageSchema.parse(response.data);
}

export function getRequirementsQueryOptions(frameworkId: string, query: RequirementListQuery) {
  return queryOptions({
    queryKey: frameworkKeys.requirements(frameworkId, query),
    queryFn: ({ signal }) => getRequirements(frameworkId, query, signal),
    placeholderData: keepPreviousData,
  });
}

export function useRequirements(
  frameworkId: string,
  query: RequirementListQuery,
  { enabled = true }: { enabled?: boolean } = {},
) {
  return useQuery({ ...getRequirementsQueryOptions(frameworkId, query), enabled });
}
