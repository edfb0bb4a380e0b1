import { ScopeSetSchema, type ScopeSet, type UpdateScopeSetBody } from "@status/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { controlKeys } from "./control-keys.ts";

interface UpdateScopeSetVariables {
  controlId: string;
  scopeSetId: string;
  body: UpdateScopeSetBody;
}

/**
 * Replaces a scope set's values. DEVELOPER or ADMIN; 400 per value that does not fit, 409 `duplicate`, 422
 * `reason_required` when the control is finalized and `reason` is missing.
 */
export async function updateScopeSet({ controlId, scopeSetId, body }: UpdateScopeSetVariables): Promise<ScopeSet> {
  const response = await apiClient.put(
    `/controls/${encodeURIComponent(controlId)}/scope-sets/${encodeURIComponent(scopeSetId)}`,
    body,
  );
  return ScopeSetSchema.parse(response.data);
}

export function useUpdateScopeSet({ onSuccess }: { onSuccess?: (scopeSet: ScopeSet) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateScopeSet,
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
