import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { dashboardKeys } from "./dashboard-keys.ts";

/** DEVELOPER or ADMIN; the control links to its panels go with it. */
export async function deleteDashboard(uid: string): Promise<void> {
  await apiClient.delete(`/dashboards/${encodeURIComponent(uid)}`);
}

export function useDeleteDashboard({ onSuccess }: { onSuccess?: () => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteDashboard,
    onSuccess: async (_result, uid) => {
      queryClient.removeQueries({ queryKey: dashboardKeys.detail(uid) });
      await queryClient.invalidateQueries({ queryKey: dashboardKeys.lists() });
      onSuccess?.();
    },
  });
}
