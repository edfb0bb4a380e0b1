import { ScopeSchema, type CreateScopeBody, type Scope } from "@status/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { scopeKeys } from "./scope-keys.ts";

/** DEVELOPER or ADMIN; 409 when the name is taken. */
export async function createScope(body: CreateScopeBody): Promise<Scope> {
  const response = await apiClient.post("/scopes", body);
  return ScopeSchema.parse(response.data);
}

export function useCreateScope({ onSuccess }: { onSuccess?: (scope: Scope) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createScope,
    onSuccess: async (scope) => {
      await queryClient.invalidateQueries({ queryKey: scopeKeys.lists() });
      onSuccess?.(scope);
    },
  });
}
