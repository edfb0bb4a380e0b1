import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { controlKeys } from "./control-keys.ts";

interface DeleteScopeSetVariables {
  controlId: string;
  scopeSetId: string;
  /** Required when the control is finalized: the deletion creates its next version. */
  reason?: string | undefined;
}

/** DEVELOPER or ADMIN; 422 `reason_required` (on `query.reason`) for a finalized control without a reason. */
export async function deleteScopeSet({ controlId, scopeSetId, reason }: DeleteScopeSetVariables): Promise<void> {
  await apiClient.delete(`/controls/${encodeURIComponent(controlId)}/scope-sets/${encodeURIComponent(scopeSetId)}`, {
    params: reason ? { reason } : {},
  });
}

export function useDeleteScopeSet() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteScopeSet,
    onSuccess: async (_nothing, { controlId }) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: controlKeys.scopeSetLists(controlId) }),
        queryClient.invalidateQueries({ queryKey: controlKeys.detail(controlId) }),
        queryClient.invalidateQueries({ queryKey: controlKeys.versions(controlId) }),
      ]);
    },
  });
}
