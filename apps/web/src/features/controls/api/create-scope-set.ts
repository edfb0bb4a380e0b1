import { ScopeSetSchema, type CreateScopeSetBody, type ScopeSet } from "@status/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { controlKeys } from "./control-keys.ts";

interface CreateScopeSetVariables {
  controlId: string;
  body: CreateScopeSetBody;
}

/**
 * DEVELOPER or ADMIN; 400 naming each value that does not fit its scope, 409 `duplicate` for a set the control has,
 * 422 `reason_required` when the control is finalized and `reason` is missing (the change creates a version).
 */
export async function createScopeSet({ controlId, body }: CreateScopeSetVariables): Promise<ScopeSet> {
  const response = await apiClient.post(`/controls/${encodeURIComponent(controlId)}/scope-sets`, body);
  return ScopeSetSchema.parse(response.data);
}

export function useCreateScopeSet({ onSuccess }: { onSuccess?: (scopeSet: ScopeSet) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createScopeSet,
    onSuccess: async (scopeSet) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: controlKeys.scopeSetLists(scopeSet.controlId) }),
        queryClient.invalidateQueries({ queryKey: controlKeys.detail(scopeSet.controlId) }),
        queryClient.invalidateQueries({ queryKey: controlKeys.versions(scopeSet.controlId) }),
      ]);
      onSuccess?.(scopeSet);
    },
  });
}
