import type { Catalog } from "@status/shared";
import { useState } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Dialog, DialogClose, DialogContent, DialogFooter, DialogTrigger } from "@/components/ui/dialog.tsx";
import { useFinalizeCatalog } from "../api/finalize-catalog.ts";

interface FinalizeCatalogDialogProps {
  catalog: Catalog;
  onFinalized?: (catalog: Catalog) => void;
}

/** Finalizing cannot be undone, so it asks first; 409s (not finalizable, already finalized) show in the dialog. */
export function FinalizeCatalogDialog({ catalog, onFinalized }: FinalizeCatalogDialogProps) {
  const [isOpen, setIsOpen] = useState(false);
  const finalizeMutation = useFinalizeCatalog({
    onSuccess: (finalized) => {
      setIsOpen(false);
      onFinalized?.(finalized);
    },
  });
  const changeOpen = (open: boolean) => {
    setIsOpen(open);
    if (!open) finalizeMutation.reset();
  };
  return (
    <Dialog open={isOpen} onOpenChange={changeOpen}>
      <DialogTrigger asChild>
        <Button>Finalize</Button>
      </DialogTrigger>
      <DialogContent
        title={`Finalize “${catalog.name}”?`}
        description="A finalized catalog and its controls are evaluated on their schedule. It cannot return to draft."
      >
        {finalizeMutation.isError && (
          <Alert title="The catalog was not finalized">{finalizeMutation.error.message}</Alert>
        )}
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="secondary">Cancel</Button>
          </DialogClose>
          <Button isLoading={finalizeMutation.isPending} onClick={() => finalizeMutation.mutate(catalog.id)}>
            Finalize catalog
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
