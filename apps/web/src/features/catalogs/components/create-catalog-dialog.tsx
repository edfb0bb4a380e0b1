import type { Catalog } from "@status/shared";
import { Button } from "@/components/ui/button.tsx";
import { FormDialog } from "@/components/ui/form-dialog.tsx";
import { CreateCatalogForm } from "./create-catalog-form.tsx";

export function CreateCatalogDialog({ onCreated }: { onCreated: (catalog: Catalog) => void }) {
  return (
    <FormDialog
      trigger={<Button>New catalog</Button>}
      title="New catalog"
      description="A catalog starts as a draft; add controls, then finalize it."
    >
      {(close) => (
        <CreateCatalogForm
          onCancel={close}
          onCreated={(catalog) => {
            close();
            onCreated(catalog);
          }}
        />
      )}
    </FormDialog>
  );
}
