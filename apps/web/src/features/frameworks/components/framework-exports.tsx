import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { downloadJson, jsonFileName } from "@/lib/download-json.ts";
import { useExportFrameworkMappings, useExportFrameworkOscal } from "../api/export-framework.ts";

/** Save the framework as an OSCAL catalog, and its mappings (of the picked catalog, if one is) as OSCAL. */
export function FrameworkExports({
  framework,
  catalogId,
}: {
  framework: { id: string; name: string; version: string };
  catalogId: string | undefined;
}) {
  const catalogExport = useExportFrameworkOscal();
  const mappingsExport = useExportFrameworkMappings();
  const baseName = `${framework.name} ${framework.version}`;
  const error = catalogExport.error ?? mappingsExport.error;
  return (
    <div className="flex flex-wrap items-center gap-2">
      <Button
        variant="secondary"
        isLoading={catalogExport.isPending}
        onClick={() =>
          catalogExport.mutate(framework.id, {
            onSuccess: (document) => downloadJson(jsonFileName(`${baseName} catalog`), document),
          })
        }
      >
        Export OSCAL catalog
      </Button>
      <Button
        variant="secondary"
        isLoading={mappingsExport.isPending}
        onClick={() =>
          mappingsExport.mutate(
            { frameworkId: framework.id, query: catalogId ? { catalogId } : {} },
            { onSuccess: (document) => downloadJson(jsonFileName(`${baseName} mappings`), document) },
          )
        }
      >
        Export mappings
      </Button>
      {error && <Alert className="basis-full">{error.message}</Alert>}
    </div>
  );
}
