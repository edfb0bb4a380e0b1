import { FrameworkComplianceSchema, type ComplianceQuery, type FrameworkCompliance } from "@status/shared";
import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { toRequestParams } from "@/lib/search-params.ts";
import { frameworkKeys } from "./framework-keys.ts";

/** Each requirement's status over the period from the controls mapped to it, with counts per group and overall. */
export async function getFrameworkCompliance(
  frameworkId: string,
  query: ComplianceQuery,
  signal?: AbortSignal,
): Promise<FrameworkCompliance> {
  const response = await apiClient.get(`/frameworks/${encodeURIComponent(frameworkId)}/compliance`, {
    params: toRequestParams(query),
    signal,
  });
  return FrameworkComplianceSchema.parse(response.data);
}

export function getFrameworkComplianceQueryOptions(frameworkId: string, query: ComplianceQuery) {
  return queryOptions({
    queryKey: frameworkKeys.compliance(frameworkId, query),
    queryFn: ({ signal }) => getFrameworkCompliance(frameworkId, query, signal),
    placeholderData: keepPreviousData,
  });
}

export function useFrameworkCompliance(
  frameworkId: string,
  query: ComplianceQuery,
  { enabled = true }: { enabled?: boolean } = {},
) {
  return useQuery({ ...getFrameworkComplianceQueryOptions(frameworkId, query), enabled });
}
