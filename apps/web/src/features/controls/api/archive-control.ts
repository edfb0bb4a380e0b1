import { ControlSchema, type ArchiveBody, type Control } from "@status/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { controlKeys } from "./control-keys.ts";

interface ArchiveControlVariables {
  controlId: string;
  action: "archive" | "restore";
  reason: string;
}

/**
 * Archives a control (it stops being evaluated; its record stays readable) or restores it. DEVELOPER or ADMIN; the
 * reason is required and audited. 409 `archived` / `not_archived` when it already is / is not.
 */
export async function archiveControl({ controlId, action, reason }: ArchiveControlVariables): Promise<Control> {
  const body: ArchiveBody = { reason };
  const response = await apiClient.post(`/controls/${encodeURIComponent(controlId)}/${action}`, body);
  return ControlSchema.parse(response.data);
}

export function useArchiveControl({ onSuccess }: { onSuccess?: (control: Control) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: archiveControl,
    onSuccess: async (control) => {
      queryClient.setQueryData(controlKeys.detail(control.id), control);
      await queryClient.invalidateQueries({ queryKey: controlKeys.catalogLists(control.catalogId) });
      onSuccess?.(control);
    },
  });
}
