import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { dashboardKeys } from "./dashboard-keys.ts";

/** DEVELOPER or ADMIN. */
export async function unlinkControlPanel({ controlId, linkId }: { controlId: string; linkId: string }): Promise<void> {
  await apiClient.delete(`/controls/${encodeURIComponent(controlId)}/panels/${encodeURIComponent(linkId)}`);
}

export function useUnlinkControlPanel(controlId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (linkId: string) => unlinkControlPanel({ controlId, linkId }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: dashboardKeys.controlPanels(controlId) }),
  });
}
