import { EndedSessionsSchema, type ChangePasswordBody, type EndedSessions } from "@status/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { profileKeys } from "./profile-keys.ts";

/** Changes the signed-in user's password; every other session of theirs ends, this one stays. */
export async function changePassword(body: ChangePasswordBody): Promise<EndedSessions> {
  const response = await apiClient.post("/auth/password", body);
  return EndedSessionsSchema.parse(response.data);
}

export function useChangePassword({ onSuccess }: { onSuccess?: (ended: EndedSessions) => Promise<void> | void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: changePassword,
    onSuccess: async (ended) => {
      // The forced change is done (GET /auth/me says so), and the other sessions are gone from the list.
      await queryClient.invalidateQueries({ queryKey: ["auth", "me"] });
      await queryClient.invalidateQueries({ queryKey: profileKeys.sessions() });
      await onSuccess?.(ended);
    },
  });
}
