import { ControlPanelSchema, type ControlPanel, type LinkControlPanelBody } from "@status/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { dashboardKeys } from "./dashboard-keys.ts";

/** DEVELOPER or ADMIN; 409 when linked already, 422 `dashboard_panel_not_found` for a panel the dashboard lacks. */
export async function linkControlPanel({
  controlId,
  body,
}: {
  controlId: string;
  body: LinkControlPanelBody;
}): Promise<ControlPanel> {
  const response = await apiClient.post(`/controls/${encodeURIComponent(controlId)}/panels`, body);
  return ControlPanelSchema.parse(response.data);
}

export function useLinkControlPanel(controlId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: LinkControlPanelBody) => linkControlPanel({ controlId, body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: dashboardKeys.controlPanels(controlId) }),
  });
}
