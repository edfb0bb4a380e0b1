import { CreateDashboardFolderBodySchema, type DashboardFolder } from "@status/shared";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { ConfirmDialog } from "@/components/ui/confirm-dialog.tsx";
import { FormDialog } from "@/components/ui/form-dialog.tsx";
import { FormField } from "@/components/ui/form-field.tsx";
import { Input } from "@/components/ui/input.tsx";
import { useServerForm } from "@/lib/use-server-form.ts";
import { useCreateDashboardFolder } from "../api/create-dashboard-folder.ts";
import { useDeleteDashboardFolder } from "../api/delete-dashboard-folder.ts";

interface FoldersSectionProps {
  folders: DashboardFolder[];
  selectedUid: string | undefined;
  canEdit: boolean;
  onSelect: (folderUid: string | undefined) => void;
}

/** Grafana's folders as filters; developers also create and delete them here. */
export function FoldersSection({ folders, selectedUid, canEdit, onSelect }: FoldersSectionProps) {
  return (
    <section aria-label="Folders" className="flex flex-wrap items-center gap-2">
      <span className="text-sm font-medium">Folders</span>
      <Button
        variant={selectedUid ? "ghost" : "secondary"}
        size="sm"
        aria-pressed={!selectedUid}
        onClick={() => onSelect(undefined)}
      >
        All
      </Button>
      {folders.map((folder) => (
        <span key={folder.uid} className="inline-flex items-center">
          <Button
            variant={selectedUid === folder.uid ? "secondary" : "ghost"}
            size="sm"
            aria-pressed={selectedUid === folder.uid}
            onClick={() => onSelect(folder.uid)}
          >
            {folder.title}
          </Button>
          {canEdit && (
            <DeleteFolderDialog folder={folder} onDeleted={() => selectedUid === folder.uid && onSelect(undefined)} />
          )}
        </span>
      ))}
      {canEdit && <CreateFolderDialog />}
    </section>
  );
}

function CreateFolderDialog() {
  return (
    <FormDialog
      trigger={
        <Button variant="secondary" size="sm">
          New folder
        </Button>
      }
      title="New folder"
      description="A Grafana folder to group dashboards."
    >
      {(close) => <CreateFolderForm onDone={close} />}
    </FormDialog>
  );
}

function CreateFolderForm({ onDone }: { onDone: () => void }) {
  const { form, onSubmit, formError, isPending } = useServerForm({
    schema: CreateDashboardFolderBodySchema,
    defaultValues: { title: "" },
    mutation: useCreateDashboardFolder({ onSuccess: onDone }),
    fields: ["title"],
  });
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {formError && <Alert>{formError}</Alert>}
      <FormField label="Folder title" error={form.formState.errors.title?.message}>
        {(control) => <Input {...control} autoFocus {...form.register("title")} />}
      </FormField>
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" isLoading={isPending}>
          Create folder
        </Button>
      </div>
    </form>
  );
}

function DeleteFolderDialog({ folder, onDeleted }: { folder: DashboardFolder; onDeleted: () => void }) {
  const deleteMutation = useDeleteDashboardFolder();
  return (
    <ConfirmDialog
      trigger={
        <Button variant="ghost" size="sm" aria-label={`Delete folder ${folder.title}`}>
          ×
        </Button>
      }
      title={`Delete the folder “${folder.title}”?`}
      description="Grafana deletes the dashboards in it too. This cannot be undone."
      confirmLabel="Delete folder"
      isPending={deleteMutation.isPending}
      error={
        deleteMutation.isError ? { title: "The folder was not deleted", message: deleteMutation.error.message } : null
      }
      onConfirm={(close) =>
        deleteMutation.mutate(folder.uid, {
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
