import { ControlSchema, type Control, type CreateControlBody } from "@status/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { controlKeys } from "./control-keys.ts";

interface CreateControlVariables {
  catalogId: string;
  body: CreateControlBody;
}

/** DEVELOPER or ADMIN; 409 `duplicate` when the catalog has a control of that name. */
export async function createControl({ catalogId, body }: CreateControlVariables): Promise<Control> {
  const response = await apiClient.post(`/catalogs/${encodeURIComponent(catalogId)}/controls`, body);
  return ControlSchema.parse(response.data);
}

export function useCreateControl({ onSuccess }: { onSuccess?: (control: Control) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createControl,
    onSuccess: async (control) => {
      queryClient.setQueryData(controlKeys.detail(control.id), control);
      await queryClient.invalidateQueries({ queryKey: controlKeys.catalogLists(control.catalogId) });
      onSuccess?.(control);
    },
  });
}
