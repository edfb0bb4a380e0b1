import type { Catalog } from "@status/shared";
import { ReasonDialog } from "@/components/archive/reason-dialog.tsx";
import { useArchiveCatalog } from "../api/archive-catalog.ts";

/** Archive or, for an archived catalog, restore: either asks why. */
export function ArchiveCatalogDialog({ catalog, onChanged }: { catalog: Catalog; onChanged?: () => void }) {
  const mutation = useArchiveCatalog({ onSuccess: () => onChanged?.() });
  const isArchived = catalog.archive !== null;
  const action = isArchived ? "restore" : "archive";
  return (
    <ReasonDialog
      triggerLabel={isArchived ? "Restore" : "Archive"}
      title={isArchived ? `Restore “${catalog.name}”?` : `Archive “${catalog.name}”?`}
      description={isArchived ? "The catalog is evaluated again." : "The catalog is kept, read-only."}
      confirmLabel={isArchived ? "Restore catalog" : "Archive catalog"}
      consequences={
        isArchived
          ? "Its controls are scheduled again from where they stopped, and its agreement is published to the registry again."
          : "Its controls stop being scheduled and run, and cannot be changed; it leaves the default catalog list. Every point, computation and version it recorded stays readable, exportable and verifiable. Its agreement stays in the registry as last published."
      }
      isPending={mutation.isPending}
      error={mutation.error?.message ?? null}
      onConfirm={(reason, close) => mutation.mutate({ catalogId: catalog.id, action, reason }, { onSuccess: close })}
      onClosed={() => mutation.reset()}
    />
  );
}
