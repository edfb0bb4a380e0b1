import type { Control } from "@status/shared";
import { ReasonDialog } from "@/components/archive/reason-dialog.tsx";
import { useArchiveControl } from "../api/archive-control.ts";

/** Archive or, for an archived control, restore: either asks why. */
export function ArchiveControlDialog({ control }: { control: Control }) {
  const mutation = useArchiveControl();
  const isArchived = control.archive !== null;
  const action = isArchived ? "restore" : "archive";
  return (
    <ReasonDialog
      triggerLabel={isArchived ? "Restore" : "Archive"}
      title={isArchived ? `Restore ${control.name}?` : `Archive ${control.name}?`}
      description={isArchived ? "The control is evaluated again." : "The control is kept, read-only."}
      confirmLabel={isArchived ? "Restore control" : "Archive control"}
      consequences={
        isArchived
          ? "It is scheduled again from where it stopped (missed windows are caught up) and rejoins the catalog's agreement."
          : "It stops being scheduled and run, cannot be changed, and leaves the catalog's default list and registry agreement. Every point, computation and version it recorded stays readable, exportable and verifiable."
      }
      isPending={mutation.isPending}
      error={mutation.error?.message ?? null}
      onConfirm={(reason, close) => mutation.mutate({ controlId: control.id, action, reason }, { onSuccess: close })}
      onClosed={() => mutation.reset()}
    />
  );
}
