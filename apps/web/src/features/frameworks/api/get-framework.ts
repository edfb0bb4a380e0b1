import { FrameworkDetailSchema, type FrameworkDetail } from "@status/shared";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { frameworkKeys } from "./framework-keys.ts";

/** A framework with its groups; 404 `not_found` for an unknown id. */
export async function getFramework(frameworkId: string, signal?: AbortSignal): Promise<FrameworkDetail> {
  const response = await apiClient.get(`/frameworks/${encodeURIComponent(frameworkId)}`, { signal });
  return FrameworkDetailSchema.parse(response.data);
}

export function getFrameworkQueryOptions(frameworkId: string) {
  return queryOptions({
    queryKey: frameworkKeys.detail(frameworkId),
    queryFn: ({ signal }) => getFramework(frameworkId, signal),
  });
}

export function useFramework(frameworkId: string, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({ ...getFrameworkQueryOptions(frameworkId), enabled });
}
