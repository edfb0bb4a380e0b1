import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";

export async function logout(): Promise<void> {
  await apiClient.post("/auth/logout");
}

/**
 * Ends the session. The caller leaves the protected pages in `onSettled` (also when the call fails, since a
 * session that cannot be ended cleanly is of no use); cached data is dropped only after that, so no mounted
 * query refetches as a signed-out user.
 */
export function useLogout({ onSettled }: { onSettled?: () => Promise<void> | void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: logout,
    onSettled: async () => {
      await onSettled?.();
      queryClient.clear();
    },
  });
}
