import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { profileKeys } from "./profile-keys.ts";

/** Ends one of the signed-in user's sessions; the device using it is signed out at once. */
export async function revokeSession(sessionId: string): Promise<void> {
  await apiClient.delete(`/auth/sessions/${encodeURIComponent(sessionId)}`);
}

export function useRevokeSession({ onSuccess }: { onSuccess?: () => Promise<void> | void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: revokeSession,
    onSuccess: async () => {
      await onSuccess?.();
      await queryClient.invalidateQueries({ queryKey: profileKeys.sessions() });
    },
  });
}
