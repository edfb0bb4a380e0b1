import type { Catalog } from "@status/shared";
import { useState } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Dialog, DialogClose, DialogContent, DialogFooter, DialogTrigger } from "@/components/ui/dialog.tsx";
import { isApiError } from "@/lib/api-client.ts";
import { formatCount } from "@/lib/format.ts";
import { useDeleteCatalog } from "../api/delete-catalog.ts";

/**
 * Deleting asks first. A catalog with controls is refused (409 `catalog_has_controls`) unless the user then chooses,
 * explicitly, to delete its controls with it.
 */
export function DeleteCatalogDialog({ catalog, onDeleted }: { catalog: Catalog; onDeleted: () => void }) {
  const [isOpen, setIsOpen] = useState(false);
  const deleteMutation = useDeleteCatalog({
    onSuccess: () => {
      setIsOpen(false);
      onDeleted();
    },
  });
  const hasControls = isApiError(deleteMutation.error, "catalog_has_controls");
  const changeOpen = (open: boolean) => {
    setIsOpen(open);
    if (!open) deleteMutation.reset();
  };
  return (
    <Dialog open={isOpen} onOpenChange={changeOpen}>
      <DialogTrigger asChild>
        <Button variant="ghost">Delete</Button>
      </DialogTrigger>
      <DialogContent title={`Delete “${catalog.name}”?`} description="The catalog is removed. This cannot be undone.">
        {hasControls && (
          <Alert title="This catalog still has controls">
            <p>{deleteMutation.error?.message}</p>
            <p className="mt-1">
              Deleting it with its {formatCount(catalog.controlCount, "control")} also removes their scope sets, runs
              and evidence.
            </p>
          </Alert>
        )}
        {deleteMutation.isError && !hasControls && (
          <Alert title="The catalog was not deleted">{deleteMutation.error.message}</Alert>
        )}
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="secondary">Cancel</Button>
          </DialogClose>
          {hasControls ? (
            <Button
              variant="danger"
              isLoading={deleteMutation.isPending}
              onClick={() => deleteMutation.mutate({ catalogId: catalog.id, cascade: true })}
            >
              Delete catalog and its controls
            </Button>
          ) : (
            <Button
              variant="danger"
              isLoading={deleteMutation.isPending}
              onClick={() => deleteMutation.mutate({ catalogId: catalog.id, cascade: false })}
            >
              Delete catalog
            </Button>
          )}
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
