import type { Control } from "@status/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button } from "@/components/ui/button.tsx";
import { ConfirmDialog } from "@/components/ui/confirm-dialog.tsx";
import { formatCount } from "@/lib/format.ts";
import { controlKeys } from "../api/control-keys.ts";
import { deleteControl } from "../api/delete-control.ts";

/** Deletes each control in turn; what could not be deleted is reported by name, and the rest stay deleted. */
async function deleteAll(controls: readonly Control[]): Promise<void> {
  const failures: string[] = [];
  for (const control of controls) {
    try {
      await deleteControl({ controlId: control.id, catalogId: control.catalogId });
    } catch (error) {
      failures.push(`${control.name} (${error instanceof Error ? error.message : "failed"})`);
    }
  }
  if (failures.length > 0) throw new Error(`Not deleted: ${failures.join("; ")}`);
}

export function DeleteSelectedControls({
  catalogId,
  controls,
  onDeleted,
}: {
  catalogId: string;
  controls: readonly Control[];
  onDeleted: () => void;
}) {
  const queryClient = useQueryClient();
  const deleteMutation = useMutation({
    mutationFn: deleteAll,
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: controlKeys.catalogLists(catalogId) });
      await queryClient.invalidateQueries({ queryKey: controlKeys.states(catalogId) });
    },
  });
  return (
    <ConfirmDialog
      trigger={
        <Button variant="danger" size="sm" disabled={controls.length === 0}>
          Delete selected ({controls.length})
        </Button>
      }
      title={`Delete ${formatCount(controls.length, "control")}?`}
      description={`${controls.map((control) => control.name).join(", ")}: the controls and their scope sets are removed. This cannot be undone.`}
      confirmLabel="Delete controls"
      isPending={deleteMutation.isPending}
      error={
        deleteMutation.isError
          ? { title: "Some controls were not deleted", message: deleteMutation.error.message }
          : null
      }
      onConfirm={(close) =>
        deleteMutation.mutate(controls, {
          onSuccess: () => {
            close();
            onDeleted();
          },
        })
      }
      onClosed={() => deleteMutation.reset()}
    />
  );
}
