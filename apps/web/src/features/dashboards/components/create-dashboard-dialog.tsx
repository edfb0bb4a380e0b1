import {
  CreateDashboardBodySchema,
  DASHBOARD_TEMPLATES,
  DashboardTemplateSchema,
  type DashboardFolder,
  type SavedDashboard,
} from "@status/shared";
import type { UseFormRegisterReturn } from "react-hook-form";
import { z } from "zod";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { FormActions } from "@/components/ui/form-actions.tsx";
import { FormDialog } from "@/components/ui/form-dialog.tsx";
import { FormField } from "@/components/ui/form-field.tsx";
import { Input, Select } from "@/components/ui/input.tsx";
import { useServerForm } from "@/lib/use-server-form.ts";
import { useCreateDashboard } from "../api/create-dashboard.ts";
import { useDashboardFolders } from "../api/get-dashboard-folders.ts";
import { useDashboardSubjects } from "../api/get-dashboard-subjects.ts";

/** What the inputs hold; turned into the API body and checked by the schema the API parses. */
const InputsSchema = z.object({
  title: z.string(),
  template: DashboardTemplateSchema,
  folderUid: z.string(),
  catalogId: z.string(),
  controlId: z.string(),
});
const FormSchema = InputsSchema.transform((values): z.input<typeof CreateDashboardBodySchema> => {
  const needs = DASHBOARD_TEMPLATES[values.template].needs;
  return {
    title: values.title,
    template: values.template,
    folderUid: values.folderUid || null,
    ...(needs === "catalogId" && values.catalogId ? { catalogId: values.catalogId } : {}),
    ...(needs === "controlId" && values.controlId ? { controlId: values.controlId } : {}),
  };
}).pipe(CreateDashboardBodySchema);

const FIELDS = ["title", "template", "folderUid", "catalogId", "controlId"] as const;

export function CreateDashboardDialog({ onCreated }: { onCreated: (saved: SavedDashboard) => void }) {
  return (
    <FormDialog
      trigger={<Button>New dashboard</Button>}
      title="New dashboard"
      description="Start from a template; its charts read the compliance results of STATUS."
    >
      {(close) => (
        <CreateDashboardForm
          onCancel={close}
          onCreated={(saved) => {
            close();
            onCreated(saved);
          }}
        />
      )}
    </FormDialog>
  );
}

function CreateDashboardForm({
  onCreated,
  onCancel,
}: {
  onCreated: (saved: SavedDashboard) => void;
  onCancel: () => void;
}) {
  const { form, onSubmit, formError, isPending } = useServerForm({
    schema: FormSchema,
    defaultValues: { title: "", template: "catalog_compliance", folderUid: "", catalogId: "", controlId: "" },
    mutation: useCreateDashboard({ onSuccess: onCreated }),
    fields: FIELDS,
  });
  const foldersQuery = useDashboardFolders();
  const subjectsQuery = useDashboardSubjects({ enabled: true });
  const template = form.watch("template");
  const needs = DASHBOARD_TEMPLATES[template].needs;
  const errors = form.formState.errors;

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {formError && <Alert>{formError}</Alert>}
      <FormField label="Title" error={errors.title?.message}>
        {(control) => <Input {...control} autoFocus {...form.register("title")} />}
      </FormField>
      <FormField label="Template" hint={DASHBOARD_TEMPLATES[template].description} error={errors.template?.message}>
        {(control) => (
          <Select {...control} {...form.register("template")}>
            {DashboardTemplateSchema.options.map((option) => (
              <option key={option} value={option}>
                {DASHBOARD_TEMPLATES[option].label}
              </option>
            ))}
          </Select>
        )}
      </FormField>
      {needs === "catalogId" && (
        <FormField
          label="Catalog"
          hint="The catalog shown first; the dashboard can switch to others."
          error={errors.catalogId?.message}
        >
          {(control) => (
            <Select {...control} {...form.register("catalogId")}>
              <option value="">Choose a catalog</option>
              {subjectsQuery.data?.catalogs.map((catalog) => (
                <option key={catalog.id} value={catalog.id}>
                  {catalog.name}
                </option>
              ))}
            </Select>
          )}
        </FormField>
      )}
      {needs === "controlId" && (
        <FormField
          label="Control"
          hint="The control shown first; the dashboard can switch to others."
          error={errors.controlId?.message}
        >
          {(control) => (
            <Select {...control} {...form.register("controlId")}>
              <option value="">Choose a control</option>
              {subjectsQuery.data?.controls.map((item) => (
                <option key={item.id} value={item.id}>
                  {item.name}
                </option>
              ))}
            </Select>
          )}
        </FormField>
      )}
      <FolderField
        folders={foldersQuery.data ?? []}
        register={form.register("folderUid")}
        error={errors.folderUid?.message}
      />
      <FormActions submitLabel="Create dashboard" isPending={isPending} onCancel={onCancel} />
    </form>
  );
}

/** The folder a new or imported dashboard goes to; empty means Grafana's General folder. */
export function FolderField({
  folders,
  register,
  error,
}: {
  folders: DashboardFolder[];
  register: UseFormRegisterReturn;
  error: string | undefined;
}) {
  return (
    <FormField label="Folder" error={error}>
      {(control) => (
        <Select {...control} {...register}>
          <option value="">General</option>
          {folders.map((folder) => (
            <option key={folder.uid} value={folder.uid}>
              {folder.title}
            </option>
          ))}
        </Select>
      )}
    </FormField>
  );
}
