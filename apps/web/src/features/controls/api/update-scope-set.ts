import { ScopeSetSchema, type ScopeSet, type UpdateScopeSetBody } from "@status/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { controlKeys } from "./control-keys.ts";

interface UpdateScopeSetVariables {
  controlId: string;
  scopeSetId: string;
  body: UpdateScopeSetBody;
}

/** Replaces a scope set's values. DEVELOPER or ADMIN; 400 per value that does not fit, 409 `duplicate`. */
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
      await queryClient.invalidateQueries({ queryKey: controlKeys.scopeSetLists(scopeSet.controlId) });
      onSuccess?.(scopeSet);
    },
  });
}
