import type { Control, Mashup, Scope, ScopeSet } from "@status/shared";
import { Button } from "@/components/ui/button.tsx";
import { ConfirmDialog } from "@/components/ui/confirm-dialog.tsx";
import { FormDialog } from "@/components/ui/form-dialog.tsx";
import { useDeleteControl } from "../api/delete-control.ts";
import { useDeleteScopeSet } from "../api/delete-scope-set.ts";
import { CreateControlForm, EditControlForm } from "./control-form.tsx";
import { AddScopeSetForm, EditScopeSetForm } from "./scope-set-form.tsx";

interface MashupChoice {
  mashups: readonly Mashup[];
  mashupsError?: string | undefined;
  timeZone?: string | undefined;
}

export function CreateControlDialog({
  catalogId,
  onCreated,
  ...choice
}: MashupChoice & { catalogId: string; onCreated: (control: Control) => void }) {
  return (
    <FormDialog
      trigger={<Button>Add control</Button>}
      title="New control"
      description="What to evaluate, how often, and which mashup collects the evidence."
    >
      {(close) => (
        <CreateControlForm
          catalogId={catalogId}
          {...choice}
          onCancel={close}
          onCreated={(control) => {
            close();
            onCreated(control);
          }}
        />
      )}
    </FormDialog>
  );
}

export function EditControlDialog({ control, ...choice }: MashupChoice & { control: Control }) {
  return (
    <FormDialog trigger={<Button variant="secondary">Edit</Button>} title={`Edit ${control.name}`}>
      {(close) => <EditControlForm control={control} {...choice} onCancel={close} onSaved={close} />}
    </FormDialog>
  );
}

export function DeleteControlDialog({ control, onDeleted }: { control: Control; onDeleted: () => void }) {
  const deleteMutation = useDeleteControl({ onSuccess: onDeleted });
  return (
    <ConfirmDialog
      trigger={<Button variant="ghost">Delete</Button>}
      title={`Delete ${control.name}?`}
      description="The control and its scope sets are removed. This cannot be undone."
      confirmLabel="Delete control"
      isPending={deleteMutation.isPending}
      error={
        deleteMutation.isError ? { title: "The control was not deleted", message: deleteMutation.error.message } : null
      }
      onConfirm={(close) =>
        deleteMutation.mutate({ controlId: control.id, catalogId: control.catalogId }, { onSuccess: close })
      }
      onClosed={() => deleteMutation.reset()}
    />
  );
}

export function AddScopeSetDialog({ controlId, scopes }: { controlId: string; scopes: readonly Scope[] }) {
  return (
    <FormDialog
      trigger={<Button size="sm">Add scope set</Button>}
      title="New scope set"
      description="The control is evaluated once per scope set and window."
    >
      {(close) => <AddScopeSetForm controlId={controlId} scopes={scopes} onCancel={close} onSaved={close} />}
    </FormDialog>
  );
}

export function EditScopeSetDialog({ scopeSet, scopes }: { scopeSet: ScopeSet; scopes: readonly Scope[] }) {
  const label = describeValues(scopeSet);
  return (
    <FormDialog
      trigger={
        <Button variant="ghost" size="sm" aria-label={`Edit scope set ${label}`}>
          Edit
        </Button>
      }
      title="Edit scope set"
      description="Its values are replaced; points already computed keep the values they were computed for."
    >
      {(close) => <EditScopeSetForm scopeSet={scopeSet} scopes={scopes} onCancel={close} onSaved={close} />}
    </FormDialog>
  );
}

function describeValues(scopeSet: ScopeSet): string {
  return Object.entries(scopeSet.values)
    .map(([name, value]) => `${name} = ${String(value)}`)
    .join(", ");
}

export function DeleteScopeSetDialog({ scopeSet }: { scopeSet: ScopeSet }) {
  const deleteMutation = useDeleteScopeSet();
  const label = describeValues(scopeSet);
  return (
    <ConfirmDialog
      trigger={
        <Button variant="ghost" size="sm" aria-label={`Delete scope set ${label}`}>
          Delete
        </Button>
      }
      title="Delete this scope set?"
      description={`${label}: the control is no longer evaluated for these values. Points already computed stay.`}
      confirmLabel="Delete scope set"
      isPending={deleteMutation.isPending}
      error={
        deleteMutation.isError
          ? { title: "The scope set was not deleted", message: deleteMutation.error.message }
          : null
      }
      onConfirm={(close) =>
        deleteMutation.mutate({ controlId: scopeSet.controlId, scopeSetId: scopeSet.id }, { onSuccess: close })
      }
      onClosed={() => deleteMutation.reset()}
    />
  );
}
