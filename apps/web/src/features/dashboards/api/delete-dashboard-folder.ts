import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { dashboardKeys } from "./dashboard-keys.ts";

/** DEVELOPER or ADMIN; Grafana deletes the folder's dashboards with it. */
export async function deleteDashboardFolder(uid: string): Promise<void> {
  await apiClient.delete(`/dashboard-folders/${encodeURIComponent(uid)}`);
}

export function useDeleteDashboardFolder({ onSuccess }: { onSuccess?: () => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteDashboardFolder,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: dashboardKeys.all });
      onSuccess?.();
    },
  });
}
