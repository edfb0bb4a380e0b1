import { RetentionSchema, type Retention, type UpdateRetentionBody } from "@status/shared";
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";

/** Query keys of the retention feature. */
export const retentionKeys = {
  all: ["retention"] as const,
  detail: () => [...retentionKeys.all, "detail"] as const,
};

/** ADMIN: each category's period, rows and on-disk size, and the last pruning. */
export async function getRetention(signal?: AbortSignal): Promise<Retention> {
  const response = await apiClient.get("/retention", { signal });
  return RetentionSchema.parse(response.data);
}

export function getRetentionQueryOptions() {
  return queryOptions({ queryKey: retentionKeys.detail(), queryFn: ({ signal }) => getRetention(signal) });
}

export function useRetention() {
  return useQuery(getRetentionQueryOptions());
}

export async function updateRetention(body: UpdateRetentionBody): Promise<Retention> {
  const response = await apiClient.patch("/retention", body);
  return RetentionSchema.parse(response.data);
}

export function useUpdateRetention() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateRetention,
    onSuccess: (retention) => queryClient.setQueryData(retentionKeys.detail(), retention),
  });
}
