import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";

/** Removes the signed-in user's GitHub link; 409 `last_sign_in_method` when GitHub is their only way in. */
export async function unlinkGithub(): Promise<void> {
  await apiClient.delete("/auth/github/link");
}

export function useUnlinkGithub() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: unlinkGithub,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["auth", "me"] }),
  });
}
