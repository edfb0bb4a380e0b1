import { DashboardFolderSchema, type CreateDashboardFolderBody, type DashboardFolder } from "@status/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { dashboardKeys } from "./dashboard-keys.ts";

/** DEVELOPER or ADMIN; 409 `duplicate` when a folder has this title. */
export async function createDashboardFolder(body: CreateDashboardFolderBody): Promise<DashboardFolder> {
  const response = await apiClient.post("/dashboard-folders", body);
  return DashboardFolderSchema.parse(response.data);
}

export function useCreateDashboardFolder({ onSuccess }: { onSuccess?: (folder: DashboardFolder) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createDashboardFolder,
    onSuccess: async (folder) => {
      await queryClient.invalidateQueries({ queryKey: dashboardKeys.folders() });
      onSuccess?.(folder);
    },
  });
}
