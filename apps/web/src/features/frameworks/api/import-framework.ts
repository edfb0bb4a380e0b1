import {
  ImportJobSchema,
  ImportPreviewSchema,
  ImportResultSchema,
  type ImportFrameworkBody,
  type ImportJob,
  type ImportPreview,
  type ImportResult,
} from "@status/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ApiError, apiClient } from "@/lib/api-client.ts";
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

/** How often a running import job is asked for its progress. */
export const IMPORT_JOB_POLL_MS = 500;

/** An import job's progress as the server reports it (202 from the import route, then `GET` its `Location`). */
export type JobProgress = (job: ImportJob) => void;

export async function getImportJob(jobId: string, signal?: AbortSignal): Promise<ImportJob> {
  const response = await apiClient.get(`/frameworks/import/jobs/${encodeURIComponent(jobId)}`, { signal });
  return ImportJobSchema.parse(response.data);
}

/**
 * Follows a job until it ends: its result, or its problem thrown as the ApiError a synchronous import would have
 * raised (so a refused job shows its JSON paths or rows like any refused import).
 */
export async function waitForImportJob(
  job: ImportJob,
  onJob?: JobProgress,
  sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<ImportResult> {
  let current = job;
  for (;;) {
    onJob?.(current);
    if (current.status === "succeeded" && current.result) return current.result;
    if (current.status === "failed" && current.problem) throw new ApiError(current.problem);
    await sleep(IMPORT_JOB_POLL_MS);
    current = await getImportJob(current.id);
  }
}

/**
 * Stores the framework (201 new, 200 the same name and version updated in place); 422 lists what is wrong. A large
 * body answers 202 with a job, which is followed to its end with its progress reported through `onJob`.
 */
export async function importFramework(
  body: ImportFrameworkBody,
  onProgress?: UploadProgress,
  onJob?: JobProgress,
): Promise<ImportResult> {
  const response = await apiClient.post("/frameworks/import", body, { onUploadProgress: progressHandler(onProgress) });
  if (response.status === 202) return waitForImportJob(ImportJobSchema.parse(response.data), onJob);
  return ImportResultSchema.parse(response.data);
}

interface ImportVariables {
  body: ImportFrameworkBody;
  onProgress?: UploadProgress;
  onJob?: JobProgress;
}

export function usePreviewFrameworkImport() {
  return useMutation({
    mutationFn: ({ body, onProgress }: ImportVariables) => previewFrameworkImport(body, onProgress),
  });
}

export function useImportFramework({ onSuccess }: { onSuccess?: (result: ImportResult) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, onProgress, onJob }: ImportVariables) => importFramework(body, onProgress, onJob),
    onSuccess: async (result) => {
      // A re-import updates requirements in place, so everything cached about frameworks may have moved.
      await queryClient.invalidateQueries({ queryKey: frameworkKeys.all });
      onSuccess?.(result);
    },
  });
}
