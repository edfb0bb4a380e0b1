import { ImportMappingsResultSchema, type ImportMappingsResult } from "@status/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { frameworkKeys } from "./framework-keys.ts";

interface ImportMappingsVariables {
  frameworkId: string;
  document: Record<string, unknown>;
  dryRun: boolean;
}

/**
 * An OSCAL 1.2 mapping-collection into a framework (DEVELOPER or ADMIN): with `dryRun` the counts of what would be
 * created and updated, nothing stored; a 422 lists unknown controls or requirements and schema errors by JSON path.
 */
export async function importMappings({
  frameworkId,
  document,
  dryRun,
}: ImportMappingsVariables): Promise<ImportMappingsResult> {
  const response = await apiClient.post(
    `/frameworks/${encodeURIComponent(frameworkId)}/mappings`,
    { document },
    { params: { dryRun: String(dryRun) } },
  );
  return ImportMappingsResultSchema.parse(response.data);
}

export function useImportMappings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: importMappings,
    onSuccess: async (result) => {
      // Stored mappings move the roll-up and every control's mapping list.
      if (!result.dryRun) await queryClient.invalidateQueries({ queryKey: frameworkKeys.all });
    },
  });
}
