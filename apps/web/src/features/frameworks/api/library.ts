import { ImportResultSchema, LibraryListSchema, type ImportResult, type LibraryFramework } from "@status/shared";
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { frameworkKeys } from "./framework-keys.ts";

/** The frameworks bundled with STATUS, each with the id of its installed copy (if any). */
export async function getLibrary(signal?: AbortSignal): Promise<LibraryFramework[]> {
  const response = await apiClient.get("/frameworks/library", { signal });
  return LibraryListSchema.parse(response.data).items;
}

export function getLibraryQueryOptions() {
  return queryOptions({ queryKey: frameworkKeys.library(), queryFn: ({ signal }) => getLibrary(signal) });
}

export function useLibrary() {
  return useQuery(getLibraryQueryOptions());
}

/** Installs (or refreshes in place) a bundled framework; no network beyond STATUS. DEVELOPER or ADMIN. */
export async function installLibraryFramework(name: string): Promise<ImportResult> {
  const response = await apiClient.post(`/frameworks/library/${encodeURIComponent(name)}/install`);
  return ImportResultSchema.parse(response.data);
}

export function useInstallLibraryFramework({ onSuccess }: { onSuccess?: (result: ImportResult) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: installLibraryFramework,
    onSuccess: async (result) => {
      await queryClient.invalidateQueries({ queryKey: frameworkKeys.all });
      onSuccess?.(result);
    },
  });
}
