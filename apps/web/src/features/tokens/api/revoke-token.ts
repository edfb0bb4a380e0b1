import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { tokenKeys } from "./token-keys.ts";

/** Revokes one of the signed-in user's tokens; integrations using it stop working at once. */
export async function revokeToken(tokenId: string): Promise<void> {
  await apiClient.delete(`/tokens/${encodeURIComponent(tokenId)}`);
}

export function useRevokeToken({ onSuccess }: { onSuccess?: () => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: revokeToken,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: tokenKeys.lists() });
      onSuccess?.();
    },
  });
}
