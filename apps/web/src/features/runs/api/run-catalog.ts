import { CreatedRunsSchema, type CreatedRuns, type CreateRunsBody } from "@status/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { runKeys } from "./run-keys.ts";

interface RunCatalogVariables {
  catalogId: string;
  body: CreateRunsBody;
}

/** Queues runs of every control of a catalog that has a mashup, in one batch (202). Any signed-in role. */
export async function runCatalog({ catalogId, body }: RunCatalogVariables): Promise<CreatedRuns> {
  const response = await apiClient.post(`/catalogs/${encodeURIComponent(catalogId)}/runs`, body);
  return CreatedRunsSchema.parse(response.data);
}

export function useRunCatalog({ onSuccess }: { onSuccess?: (created: CreatedRuns) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: runCatalog,
    onSuccess: async (created) => {
      queryClient.setQueryData(runKeys.batch(created.batch.id), created.batch);
      onSuccess?.(created);
      await queryClient.invalidateQueries({ queryKey: runKeys.lists() });
    },
  });
}
