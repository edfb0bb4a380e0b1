import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { scopeKeys } from "./scope-keys.ts";

/** DEVELOPER or ADMIN; 409 `scope_in_use` while scope sets of some controls use it. */
export async function deleteScope(scopeId: string): Promise<void> {
  await apiClient.delete(`/scopes/${encodeURIComponent(scopeId)}`);
}

export function useDeleteScope({ onSuccess }: { onSuccess?: () => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteScope,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: scopeKeys.lists() });
      onSuccess?.();
    },
  });
}
