import { useState } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Dialog, DialogClose, DialogContent, DialogFooter, DialogTrigger } from "@/components/ui/dialog.tsx";
import { FormField } from "@/components/ui/form-field.tsx";
import { Input } from "@/components/ui/input.tsx";
import { formatCount } from "@/lib/format.ts";
import { useImportMappings } from "../api/import-mappings.ts";
import { IMPORT_BODY_LIMIT_BYTES, readFileText } from "../utils/import-file.ts";
import { ImportProblemAlert } from "./import-problem-alert.tsx";

interface PickedDocument {
  fileName: string;
  document: Record<string, unknown>;
}

/** Reads a picked file as an OSCAL mapping-collection, or says why it is not one. */
async function readMappingCollection(file: File): Promise<PickedDocument> {
  if (file.size > IMPORT_BODY_LIMIT_BYTES) throw new Error(`${file.name} is larger than 50 MB.`);
  let document: unknown;
  try {
    document = JSON.parse(await readFileText(file));
  } catch {
    throw new Error(`${file.name} is not valid JSON.`);
  }
  const isRecord = (value: unknown): value is Record<string, unknown> =>
    typeof value === "object" && value !== null && !Array.isArray(value);
  if (!isRecord(document) || !isRecord(document["mapping-collection"]))
    throw new Error(`${file.name} is not an OSCAL mapping-collection (no "mapping-collection" at its root).`);
  return { fileName: file.name, document };
}

/**
 * Import mappings in two steps, like a framework: pick an OSCAL mapping-collection (STATUS controls by id to this
 * framework's requirements by key), see the dry run's counts or every problem, then store it and see the result.
 */
export function ImportMappingsDialog({ framework }: { framework: { id: string; name: string; version: string } }) {
  const [isOpen, setIsOpen] = useState(false);
  const [picked, setPicked] = useState<PickedDocument | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const preview = useImportMappings();
  const store = useImportMappings();

  const reset = () => {
    setPicked(null);
    setFileError(null);
    preview.reset();
    store.reset();
  };
  const pickFile = async (file: File | undefined) => {
    reset();
    if (!file) return;
    try {
      const read = await readMappingCollection(file);
      setPicked(read);
      preview.mutate({ frameworkId: framework.id, document: read.document, dryRun: true });
    } catch (error) {
      setFileError((error as Error).message);
    }
  };
  const isRunning = preview.isPending || store.isPending;
  const checked = preview.data;
  const stored = store.data;

  return (
    <Dialog
      open={isOpen}
      onOpenChange={(open) => {
        setIsOpen(open);
        if (!open) reset();
      }}
    >
      <DialogTrigger asChild>
        <Button variant="secondary">Import mappings</Button>
      </DialogTrigger>
      <DialogContent
        title="Import mappings"
        description={`An OSCAL mapping-collection from STATUS controls (by id) to requirements of ${framework.name} ${framework.version} (by id).`}
      >
        <div className="space-y-4">
          <FormField label="Mapping-collection file" hint="JSON, OSCAL 1.0–1.2" error={fileError ?? undefined}>
            {(control) => (
              <Input
                {...control}
                type="file"
                accept=".json,application/json"
                className="py-1.5"
                disabled={isRunning}
                onChange={(event) => void pickFile(event.target.files?.[0])}
              />
            )}
          </FormField>
          {preview.isPending && <p className="text-sm">Checking {picked?.fileName}…</p>}
          {preview.isError && <ImportProblemAlert title="The mappings cannot be imported" error={preview.error} />}
          {checked && !stored && (
            <p role="status" className="text-sm">
              {picked?.fileName}: {formatCount(checked.created, "mapping")} to create,{" "}
              {formatCount(checked.updated, "mapping")} to update (their relationship and rationale are replaced).
            </p>
          )}
          {store.isError && <ImportProblemAlert title="The import was refused" error={store.error} />}
          {stored && (
            <Alert title="Mappings imported" variant="info">
              {formatCount(stored.created, "mapping")} created, {formatCount(stored.updated, "mapping")} updated.
            </Alert>
          )}
        </div>
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="secondary">{stored ? "Close" : "Cancel"}</Button>
          </DialogClose>
          {checked && picked && !stored && (
            <Button
              isLoading={store.isPending}
              disabled={isRunning || checked.created + checked.updated === 0}
              onClick={() => store.mutate({ frameworkId: framework.id, document: picked.document, dryRun: false })}
            >
              Import {formatCount(checked.created + checked.updated, "mapping")}
            </Button>
          )}
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
