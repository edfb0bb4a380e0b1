import { ControlPageSchema, type Control } from "@status/shared";
import { useQuery } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { evidenceImportKeys } from "./evidence-import-keys.ts";

/** The catalog's push controls (unarchived): the only ones scanner results can be evidence of. */
export async function getPushControls(catalogId: string, signal?: AbortSignal): Promise<Control[]> {
  const response = await apiClient.get(`/catalogs/${encodeURIComponent(catalogId)}/controls`, {
    params: { pageSize: 200, sort: "name" },
    signal,
  });
  return ControlPageSchema.parse(response.data).items.filter((control) => control.kind === "push");
}

export function usePushControls(catalogId: string, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: evidenceImportKeys.controls(catalogId),
    queryFn: ({ signal }) => getPushControls(catalogId, signal),
    enabled,
  });
}
