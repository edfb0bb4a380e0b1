import { CreatedRunsSchema, type CreatedRuns, type CreateRunsBody } from "@status/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { runKeys } from "./run-keys.ts";

interface RunControlVariables {
  controlId: string;
  /** Without a range, the latest closed window of the control's period is computed. */
  body: CreateRunsBody;
}

/**
 * Queues runs of a control (one per scope set and window) and answers 202 with their batch. Any signed-in role.
 * 409 `control_not_runnable` when the control has no mashup; 4xx `too_many_windows` when the range is too long.
 */
export async function runControl({ controlId, body }: RunControlVariables): Promise<CreatedRuns> {
  const response = await apiClient.post(`/controls/${encodeURIComponent(controlId)}/runs`, body);
  return CreatedRunsSchema.parse(response.data);
}

export function useRunControl({ onSuccess }: { onSuccess?: (created: CreatedRuns) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: runControl,
    onSuccess: async (created) => {
      queryClient.setQueryData(runKeys.batch(created.batch.id), created.batch);
      onSuccess?.(created);
      await queryClient.invalidateQueries({ queryKey: runKeys.lists() });
    },
  });
}
