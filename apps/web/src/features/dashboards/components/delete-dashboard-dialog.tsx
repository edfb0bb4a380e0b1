import type { DashboardSummary } from "@status/shared";
import { Button } from "@/components/ui/button.tsx";
import { ConfirmDialog } from "@/components/ui/confirm-dialog.tsx";
import { useDeleteDashboard } from "../api/delete-dashboard.ts";

/** Deleting asks first; it removes the dashboard from Grafana and unlinks its panels from controls. */
export function DeleteDashboardDialog({
  dashboard,
  onDeleted,
}: {
  dashboard: Pick<DashboardSummary, "uid" | "title">;
  onDeleted?: () => void;
}) {
  const deleteMutation = useDeleteDashboard();
  const trigger = (
    <Button variant="ghost" size="sm" aria-label={`Delete ${dashboard.title}`}>
      Delete
    </Button>
  );
  return (
    <ConfirmDialog
      trigger={trigger}
      title={`Delete “${dashboard.title}”?`}
      description="The dashboard is deleted in Grafana, and controls lose the links to its panels. This cannot be undone."
      confirmLabel="Delete dashboard"
      isPending={deleteMutation.isPending}
      error={
        deleteMutation.isError
          ? { title: "The dashboard was not deleted", message: deleteMutation.error.message }
          : null
      }
      onConfirm={(close) =>
        deleteMutation.mutate(dashboard.uid, {
          onSuccess: () => {
            close();
            onDeleted?.();
          },
        })
      }
      onClosed={() => deleteMutation.reset()}
    />
  );
}
