import type { Assistant } from "@status/shared";
import { Button } from "@/components/ui/button.tsx";
import { ConfirmDialog } from "@/components/ui/confirm-dialog.tsx";
import { FormDialog } from "@/components/ui/form-dialog.tsx";
import { useDeleteAssistant } from "../api/delete-assistant.ts";
import { CreateAssistantForm, EditAssistantForm } from "./assistant-form.tsx";
import { DocumentsPanel } from "./documents-panel.tsx";

export function CreateAssistantDialog() {
  return (
    <FormDialog
      trigger={<Button>New assistant</Button>}
      title="New assistant"
      description="Instructions, a model, the tools it may use; add documents afterwards."
    >
      {(close) => <CreateAssistantForm onCancel={close} onSaved={close} />}
    </FormDialog>
  );
}

export function EditAssistantDialog({ assistant }: { assistant: Assistant }) {
  const trigger = (
    <Button variant="secondary" size="sm" aria-label={`Edit ${assistant.name}`}>
      Edit
    </Button>
  );
  return (
    <FormDialog trigger={trigger} title={`Edit “${assistant.name}”`}>
      {(close) => <EditAssistantForm assistant={assistant} onCancel={close} onSaved={close} />}
    </FormDialog>
  );
}

export function DocumentsDialog({ assistant, canEdit }: { assistant: Assistant; canEdit: boolean }) {
  const trigger = (
    <Button variant="secondary" size="sm" aria-label={`Documents of ${assistant.name}`}>
      Documents ({assistant.documentCount})
    </Button>
  );
  return (
    <FormDialog
      trigger={trigger}
      title={`Knowledge base of “${assistant.name}”`}
      description="PDF, Markdown and text documents the assistant searches when it answers."
    >
      {() => <DocumentsPanel assistantId={assistant.id} canEdit={canEdit} />}
    </FormDialog>
  );
}

export function DeleteAssistantDialog({ assistant }: { assistant: Assistant }) {
  const deleteMutation = useDeleteAssistant();
  const trigger = (
    <Button variant="ghost" size="sm" aria-label={`Delete ${assistant.name}`}>
      Delete
    </Button>
  );
  return (
    <ConfirmDialog
      trigger={trigger}
      title={`Delete “${assistant.name}”?`}
      description="Its documents and every user's conversations with it are deleted too. This cannot be undone."
      confirmLabel="Delete assistant"
      isPending={deleteMutation.isPending}
      error={
        deleteMutation.isError
          ? { title: "The assistant was not deleted", message: deleteMutation.error.message }
          : null
      }
      onConfirm={(close) => deleteMutation.mutate(assistant.id, { onSuccess: close })}
      onClosed={() => deleteMutation.reset()}
    />
  );
}
