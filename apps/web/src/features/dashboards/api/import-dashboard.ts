import { SavedDashboardSchema, type ImportDashboardBodySchema, type SavedDashboard } from "@status/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import { apiClient } from "@/lib/api-client.ts";
import { dashboardKeys } from "./dashboard-keys.ts";

/** DEVELOPER or ADMIN; 409 when the dashboard exists and `overwrite` is not set. */
export async function importDashboard(body: z.input<typeof ImportDashboardBodySchema>): Promise<SavedDashboard> {
  const response = await apiClient.post("/dashboards/import", body);
  return SavedDashboardSchema.parse(response.data);
}

export function useImportDashboard({ onSuccess }: { onSuccess?: (saved: SavedDashboard) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: importDashboard,
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: dashboardKeys.all });
      onSuccess?.(saved);
    },
  });
}
