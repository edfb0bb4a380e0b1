import type { Scope } from "@status/shared";
import { Button } from "@/components/ui/button.tsx";
import { ConfirmDialog } from "@/components/ui/confirm-dialog.tsx";
import { FormDialog } from "@/components/ui/form-dialog.tsx";
import { isApiError } from "@/lib/api-client.ts";
import { useDeleteScope } from "../api/delete-scope.ts";
import { CreateScopeForm, EditScopeForm } from "./scope-form.tsx";

export function CreateScopeDialog() {
  return (
    <FormDialog
      trigger={<Button>New scope</Button>}
      title="New scope"
      description="A dimension controls are evaluated for, such as a repository or a team."
    >
      {(close) => <CreateScopeForm onCancel={close} onCreated={close} />}
    </FormDialog>
  );
}

export function EditScopeDialog({ scope }: { scope: Scope }) {
  const trigger = (
    <Button variant="secondary" size="sm" aria-label={`Edit ${scope.name}`}>
      Edit
    </Button>
  );
  return (
    <FormDialog trigger={trigger} title={`Edit “${scope.name}”`}>
      {(close) => <EditScopeForm scope={scope} onCancel={close} onSaved={close} />}
    </FormDialog>
  );
}

/** Deleting asks first; a scope that scope sets still use cannot be deleted (409 `scope_in_use`). */
export function DeleteScopeDialog({ scope }: { scope: Scope }) {
  const deleteMutation = useDeleteScope();
  const trigger = (
    <Button variant="ghost" size="sm" aria-label={`Delete ${scope.name}`}>
      Delete
    </Button>
  );
  return (
    <ConfirmDialog
      trigger={trigger}
      title={`Delete “${scope.name}”?`}
      description="Controls can no longer be scoped by it. This cannot be undone."
      confirmLabel="Delete scope"
      isPending={deleteMutation.isPending}
      error={
        deleteMutation.isError
          ? {
              title: isApiError(deleteMutation.error, "scope_in_use")
                ? "This scope is in use"
                : "The scope was not deleted",
              message: deleteMutation.error.message,
            }
          : null
      }
      onConfirm={(close) => deleteMutation.mutate(scope.id, { onSuccess: close })}
      onClosed={() => deleteMutation.reset()}
    />
  );
}
