import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { assistantKeys } from "./assistant-keys.ts";

/** DEVELOPER or ADMIN; removes its documents and every conversation with it. */
export async function deleteAssistant(assistantId: string): Promise<void> {
  await apiClient.delete(`/assistants/${encodeURIComponent(assistantId)}`);
}

export function useDeleteAssistant({ onSuccess }: { onSuccess?: () => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteAssistant,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: assistantKeys.lists() });
      onSuccess?.();
    },
  });
}
