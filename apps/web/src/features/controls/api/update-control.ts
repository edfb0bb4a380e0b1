import { ControlSchema, type Control, type UpdateControlBody } from "@status/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { controlKeys } from "./control-keys.ts";

interface UpdateControlVariables {
  controlId: string;
  body: UpdateControlBody;
}

/**
 * DEVELOPER or ADMIN; a finalized control keeps needing a mashup (400 on `mashupId`), and a change of its period,
 * threshold, mashup or parameters needs `reason` (422 `reason_required` on `body.reason`) and creates a version.
 */
export async function updateControl({ controlId, body }: UpdateControlVariables): Promise<Control> {
  const response = await apiClient.patch(`/controls/${encodeURIComponent(controlId)}`, body);
  return ControlSchema.parse(response.data);
}

export function useUpdateControl({ onSuccess }: { onSuccess?: (control: Control) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateControl,
    onSuccess: async (control) => {
      queryClient.setQueryData(controlKeys.detail(control.id), control);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: controlKeys.catalogLists(control.catalogId) }),
        queryClient.invalidateQueries({ queryKey: controlKeys.versions(control.id) }),
      ]);
      onSuccess?.(control);
    },
  });
}
