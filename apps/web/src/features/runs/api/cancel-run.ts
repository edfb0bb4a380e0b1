import { RunSchema, type Run } from "@status/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { runKeys } from "./run-keys.ts";

/**
 * Cancels a queued or running run. A USER may cancel only the runs they started (403 `forbidden` otherwise);
 * 409 `run_finished` when it finished meanwhile.
 */
export async function cancelRun(runId: string): Promise<Run> {
  const response = await apiClient.delete(`/runs/${encodeURIComponent(runId)}`);
  return RunSchema.parse(response.data);
}

export function useCancelRun({ onSuccess }: { onSuccess?: (run: Run) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: cancelRun,
    onSuccess: async (run) => {
      onSuccess?.(run);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: runKeys.lists() }),
        queryClient.invalidateQueries({ queryKey: runKeys.batches() }),
      ]);
    },
    // Whatever the answer, the run's real state is worth showing.
    onError: () => void queryClient.invalidateQueries({ queryKey: runKeys.lists() }),
  });
}
