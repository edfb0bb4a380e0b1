import type { Catalog } from "@status/shared";
import { Button } from "@/components/ui/button.tsx";
import { FormDialog } from "@/components/ui/form-dialog.tsx";
import { EditCatalogForm } from "./create-catalog-form.tsx";

export function EditCatalogDialog({ catalog }: { catalog: Catalog }) {
  return (
    <FormDialog trigger={<Button variant="secondary">Edit</Button>} title={`Edit ${catalog.name}`}>
      {(close) => <EditCatalogForm catalog={catalog} onCancel={close} onSaved={close} />}
    </FormDialog>
  );
}
