import { SavedDashboardSchema, type CreateDashboardBody, type SavedDashboard } from "@status/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { dashboardKeys } from "./dashboard-keys.ts";

/** DEVELOPER or ADMIN; 409 `dashboard_exists` when the folder has a dashboard with this title. */
export async function createDashboard(body: CreateDashboardBody): Promise<SavedDashboard> {
  const response = await apiClient.post("/dashboards", body);
  return SavedDashboardSchema.parse(response.data);
}

export function useCreateDashboard({ onSuccess }: { onSuccess?: (saved: SavedDashboard) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createDashboard,
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: dashboardKeys.lists() });
      onSuccess?.(saved);
    },
  });
}
