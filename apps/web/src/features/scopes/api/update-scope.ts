import { ScopeSchema, type Scope, type UpdateScopeBody } from "@status/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { scopeKeys } from "./scope-keys.ts";

/** DEVELOPER or ADMIN; the name and type of a scope are fixed. */
export async function updateScope({ scopeId, body }: { scopeId: string; body: UpdateScopeBody }): Promise<Scope> {
  const response = await apiClient.patch(`/scopes/${encodeURIComponent(scopeId)}`, body);
  return ScopeSchema.parse(response.data);
}

export function useUpdateScope({ onSuccess }: { onSuccess?: (scope: Scope) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateScope,
    onSuccess: async (scope) => {
      await queryClient.invalidateQueries({ queryKey: scopeKeys.lists() });
      onSuccess?.(scope);
    },
  });
}
