import { ControlSchema, type Control } from "@status/shared";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { controlKeys } from "./control-keys.ts";

export async function getControl(controlId: string, signal?: AbortSignal): Promise<Control> {
  const response = await apiClient.get(`/controls/${encodeURIComponent(controlId)}`, { signal });
  return ControlSchema.parse(response.data);
}

export function getControlQueryOptions(controlId: string) {
  return queryOptions({
    queryKey: controlKeys.detail(controlId),
    queryFn: ({ signal }) => getControl(controlId, signal),
  });
}

export function useControl(controlId: string, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({ ...getControlQueryOptions(controlId), enabled });
}
