import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { controlKeys } from "./control-keys.ts";

interface DeleteScopeSetVariables {
  controlId: string;
  scopeSetId: string;
}

/** DEVELOPER or ADMIN. */
export async function deleteScopeSet({ controlId, scopeSetId }: DeleteScopeSetVariables): Promise<void> {
  await apiClient.delete(`/controls/${encodeURIComponent(controlId)}/scope-sets/${encodeURIComponent(scopeSetId)}`);
}

export function useDeleteScopeSet() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteScopeSet,
    onSuccess: async (_nothing, { controlId }) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: controlKeys.scopeSetLists(controlId) }),
        queryClient.invalidateQueries({ queryKey: controlKeys.detail(controlId) }),
      ]);
    },
  });
}
