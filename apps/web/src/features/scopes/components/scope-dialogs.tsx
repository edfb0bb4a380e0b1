import type { Scope } from "@status/shared";
import { useState } from "react";
import { Alert } from "../../../components/ui/alert.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { Dialog, DialogClose, DialogContent, DialogFooter, DialogTrigger } from "../../../components/ui/dialog.tsx";
import { isApiError } from "../../../lib/api-client.ts";
import { useDeleteScope } from "../api/delete-scope.ts";
import { CreateScopeForm, EditScopeForm } from "./scope-form.tsx";

export function CreateScopeDialog() {
  const [isOpen, setIsOpen] = useState(false);
  return (
    <Dialog open={isOpen} onOpenChange={setIsOpen}>
      <DialogTrigger asChild>
        <Button>New scope</Button>
      </DialogTrigger>
      <DialogContent title="New scope" description="A dimension controls are evaluated for, such as a repository or a team.">
        <CreateScopeForm onCancel={() => setIsOpen(false)} onCreated={() => setIsOpen(false)} />
      </DialogContent>
    </Dialog>
  );
}

export function EditScopeDialog({ scope }: { scope: Scope }) {
  const [isOpen, setIsOpen] = useState(false);
  return (
    <Dialog open={isOpen} onOpenChange={setIsOpen}>
      <DialogTrigger asChild>
        <Button variant="secondary" size="sm" aria-label={`Edit ${scope.name}`}>
          Edit
        </Button>
      </DialogTrigger>
      <DialogContent title={`Edit “${scope.name}”`}>
        <EditScopeForm scope={scope} onCancel={() => setIsOpen(false)} onSaved={() => setIsOpen(false)} />
      </DialogContent>
    </Dialog>
  );
}

/** Deleting asks first; a scope that scope sets still use cannot be deleted (409 `scope_in_use`). */
export function DeleteScopeDialog({ scope }: { scope: Scope }) {
  const [isOpen, setIsOpen] = useState(false);
  const deleteMutation = useDeleteScope({ onSuccess: () => setIsOpen(false) });
  const changeOpen = (open: boolean) => {
    setIsOpen(open);
    if (!open) deleteMutation.reset();
  };
  return (
    <Dialog open={isOpen} onOpenChange={changeOpen}>
      <DialogTrigger asChild>
        <Button variant="ghost" size="sm" aria-label={`Delete ${scope.name}`}>
          Delete
        </Button>
      </DialogTrigger>
      <DialogContent title={`Delete “${scope.name}”?`} description="Controls can no longer be scoped by it. This cannot be undone.">
        {deleteMutation.isError && (
          <Alert title={isApiError(deleteMutation.error, "scope_in_use") ? "This scope is in use" : "The scope was not deleted"}>
            {deleteMutation.error.message}
          </Alert>
        )}
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="secondary">Cancel</Button>
          </DialogClose>
          <Button variant="danger" isLoading={deleteMutation.isPending} onClick={() => deleteMutation.mutate(scope.id)}>
            Delete scope
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
