import type { Control, Mashup, Scope, ScopeSet } from "@status/shared";
import { useState } from "react";
import { Button } from "@/components/ui/button.tsx";
import { ConfirmDialog } from "@/components/ui/confirm-dialog.tsx";
import { FormDialog } from "@/components/ui/form-dialog.tsx";
import { useDeleteControl } from "../api/delete-control.ts";
import { useDeleteScopeSet } from "../api/delete-scope-set.ts";
import { CreateControlForm, EditControlForm } from "./control-form.tsx";
import { AddScopeSetForm, EditScopeSetForm, type ScopeSetVersioning } from "./scope-set-form.tsx";
import { VersionImpactNote } from "./version-impact.tsx";
import { FormField } from "@/components/ui/form-field.tsx";
import { Textarea } from "@/components/ui/input.tsx";

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

interface ScopeSetDialogProps {
  scopes: readonly Scope[];
  /** Set when the control is finalized: the change creates a version and needs a reason. */
  versioning?: ScopeSetVersioning | undefined;
}

export function AddScopeSetDialog({ controlId, scopes, versioning }: ScopeSetDialogProps & { controlId: string }) {
  return (
    <FormDialog
      trigger={<Button size="sm">Add scope set</Button>}
      title="New scope set"
      description="The control is evaluated once per scope set and window."
    >
      {(close) => (
        <AddScopeSetForm
          controlId={controlId}
          scopes={scopes}
          versioning={versioning}
          onCancel={close}
          onSaved={close}
        />
      )}
    </FormDialog>
  );
}

export function EditScopeSetDialog({ scopeSet, scopes, versioning }: ScopeSetDialogProps & { scopeSet: ScopeSet }) {
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
      {(close) => (
        <EditScopeSetForm
          scopeSet={scopeSet}
          scopes={scopes}
          versioning={versioning}
          onCancel={close}
          onSaved={close}
        />
      )}
    </FormDialog>
  );
}

function describeValues(scopeSet: ScopeSet): string {
  return Object.entries(scopeSet.values)
    .map(([name, value]) => `${name} = ${String(value)}`)
    .join(", ");
}

export function DeleteScopeSetDialog({
  scopeSet,
  versioning,
}: {
  scopeSet: ScopeSet;
  versioning?: ScopeSetVersioning | undefined;
}) {
  const deleteMutation = useDeleteScopeSet();
  const [reason, setReason] = useState("");
  const [isAttempted, setIsAttempted] = useState(false);
  const label = describeValues(scopeSet);
  const isMissingReason = versioning !== undefined && reason.trim() === "";
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
      onConfirm={(close) => {
        setIsAttempted(true);
        if (isMissingReason) return;
        deleteMutation.mutate(
          { controlId: scopeSet.controlId, scopeSetId: scopeSet.id, reason: reason.trim() || undefined },
          { onSuccess: close },
        );
      }}
      onClosed={() => {
        deleteMutation.reset();
        setReason("");
        setIsAttempted(false);
      }}
    >
      {versioning && (
        <>
          <VersionImpactNote controlId={versioning.controlId} subject="the scope sets" timeZone={versioning.timeZone} />
          <FormField
            label="Reason for the change"
            hint="Required: deleting a scope set of a finalized control creates a version."
            error={isAttempted && isMissingReason ? "Say why: this change creates a new version" : undefined}
          >
            {(control) => (
              <Textarea {...control} rows={2} value={reason} onChange={(event) => setReason(event.target.value)} />
            )}
          </FormField>
        </>
      )}
    </ConfirmDialog>
  );
}
