import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { controlKeys } from "./control-keys.ts";

interface DeleteControlVariables {
  controlId: string;
  catalogId: string;
}

/**
 * DEVELOPER or ADMIN, drafts only: the control's scope sets and trial runs go with it. A finalized control (one with
 * history) answers 409 `archive_required`: it is archived instead.
 */
export async function deleteControl({ controlId }: DeleteControlVariables): Promise<void> {
  await apiClient.delete(`/controls/${encodeURIComponent(controlId)}`);
}

export function useDeleteControl({ onSuccess }: { onSuccess?: () => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteControl,
    onSuccess: async (_nothing, { controlId, catalogId }) => {
      queryClient.removeQueries({ queryKey: controlKeys.detail(controlId) });
      await queryClient.invalidateQueries({ queryKey: controlKeys.catalogLists(catalogId) });
      onSuccess?.();
    },
  });
}
