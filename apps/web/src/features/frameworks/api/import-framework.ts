import {
  ImportPreviewSchema,
  ImportResultSchema,
  type ImportFrameworkBody,
  type ImportPreview,
  type ImportResult,
} from "@status/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { frameworkKeys } from "./framework-keys.ts";

/** How much of the request body has reached the server (0..1), as the browser reports it. */
export type UploadProgress = (fraction: number) => void;

function progressHandler(onProgress?: UploadProgress) {
  if (!onProgress) return undefined;
  return (event: { loaded: number; total?: number | undefined }) => {
    if (event.total) onProgress(event.loaded / event.total);
  };
}

/** `?dryRun=true`: what the import would store, with every problem; nothing is stored. DEVELOPER or ADMIN. */
export async function previewFrameworkImport(
  body: ImportFrameworkBody,
  onProgress?: UploadProgress,
): Promise<ImportPreview> {
  const response = await apiClient.post("/frameworks/import", body, {
    params: { dryRun: "true" },
    onUploadProgress: progressHandler(onProgress),
  });
  return ImportPreviewSchema.parse(response.data);
}

/** Stores the framework (201 new, 200 the same name and version updated in place); 422 lists what is wrong. */
export async function importFramework(body: ImportFrameworkBody, onProgress?: UploadProgress): Promise<ImportResult> {
  const response = await apiClient.post("/frameworks/import", body, { onUploadProgress: progressHandler(onProgress) });
  return ImportResultSchema.parse(response.data);
}

interface ImportVariables {
  body: ImportFrameworkBody;
  onProgress?: UploadProgress;
}

export function usePreviewFrameworkImport() {
  return useMutation({
    mutationFn: ({ body, onProgress }: ImportVariables) => previewFrameworkImport(body, onProgress),
  });
}

export function useImportFramework({ onSuccess }: { onSuccess?: (result: ImportResult) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, onProgress }: ImportVariables) => importFramework(body, onProgress),
    onSuccess: async (result) => {
      // A re-import updates requirements in place, so everything cached about frameworks may have moved.
      await queryClient.invalidateQueries({ queryKey: frameworkKeys.all });
      onSuccess?.(result);
    },
  });
}
