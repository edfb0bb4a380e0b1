import { ControlVersionPageSchema, MAX_PAGE_SIZE, type ControlVersionListQuery } from "@status/shared";
import { queryOptions, useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import { apiClient } from "@/lib/api-client.ts";
import { toRequestParams } from "@/lib/search-params.ts";
import { controlKeys } from "./control-keys.ts";

export type ControlVersionPage = z.infer<typeof ControlVersionPageSchema>;

/** A control's versions, newest first: a control has a handful, so one page holds them. */
export async function getControlVersions(controlId: string, signal?: AbortSignal): Promise<ControlVersionPage> {
  const query: ControlVersionListQuery = { page: 1, pageSize: MAX_PAGE_SIZE, sort: "-version" };
  const response = await apiClient.get(`/controls/${encodeURIComponent(controlId)}/versions`, {
    params: toRequestParams(query),
    signal,
  });
  return ControlVersionPageSchema.parse(response.data);
}

export function getControlVersionsQueryOptions(controlId: string) {
  return queryOptions({
    queryKey: controlKeys.versionList(controlId),
    queryFn: ({ signal }) => getControlVersions(controlId, signal),
  });
}

export function useControlVersions(controlId: string) {
  return useQuery(getControlVersionsQueryOptions(controlId));
}
