import type { Catalog } from "@status/shared";
import { useState } from "react";
import { Button } from "../../../components/ui/button.tsx";
import { Dialog, DialogContent, DialogTrigger } from "../../../components/ui/dialog.tsx";
import { CreateCatalogForm } from "./create-catalog-form.tsx";

export function CreateCatalogDialog({ onCreated }: { onCreated: (catalog: Catalog) => void }) {
  const [isOpen, setIsOpen] = useState(false);
  return (
    <Dialog open={isOpen} onOpenChange={setIsOpen}>
      <DialogTrigger asChild>
        <Button>New catalog</Button>
      </DialogTrigger>
      <DialogContent title="New catalog" description="A catalog starts as a draft; add controls, then finalize it.">
        <CreateCatalogForm
          onCancel={() => setIsOpen(false)}
          onCreated={(catalog) => {
            setIsOpen(false);
            onCreated(catalog);
          }}
        />
      </DialogContent>
    </Dialog>
  );
}
