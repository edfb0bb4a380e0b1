import { SCANNER_FORMATS, type ScannerFormat } from "@status/shared";
import { useState } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Dialog, DialogClose, DialogContent, DialogFooter, DialogTrigger } from "@/components/ui/dialog.tsx";
import { FormField } from "@/components/ui/form-field.tsx";
import { Input, Select } from "@/components/ui/input.tsx";
import { formatCount } from "@/lib/format.ts";
import { useCreateEvidenceMapping } from "../api/create-evidence-mapping.ts";
import { usePushControls } from "../api/get-push-controls.ts";
import { useImportScannerFile } from "../api/import-scanner-file.ts";
import { ScannerPreview } from "./scanner-preview.tsx";

const FORMAT_LABELS: Record<ScannerFormat, string> = {
  ocsf: "OCSF findings (Prowler, JSON)",
  junit: "JUnit XML (test runners)",
  policyreport: "PolicyReport (Kyverno / OpenReports, JSON or YAML)",
  sarif: "SARIF 2.1.0",
};

const ACCEPT: Record<ScannerFormat, string> = {
  ocsf: ".json,application/json",
  junit: ".xml,application/xml,text/xml",
  policyreport: ".json,.yaml,.yml,application/json,application/yaml",
  sarif: ".sarif,.json,application/json,application/sarif+json",
};

/** The API's default EVIDENCE_IMPORT_MAX_BYTES: a bigger file is refused here rather than uploaded to get a 413. */
const MAX_FILE_BYTES = 20 * 1024 * 1024;

interface PickedFile {
  fileName: string;
  content: string;
  isYaml: boolean;
}

function readText(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === "string" ? reader.result : "");
    reader.onerror = () => reject(reader.error ?? new Error(`${file.name} could not be read`));
    reader.readAsText(file);
  });
}

function ProblemAlert({ title, error }: { title: string; error: Error }) {
  return (
    <Alert title={title}>
      <p>{error.message}</p>
    </Alert>
  );
}

/**
 * Import scanner results in two steps: choose the format and the file, read the preview (per control the results
 * mapped and the value they make, the rule ids no rule maps — each with a quick "map to control"), then import:
 * one push submission per control.
 */
export function ImportScannerDialog({ catalog }: { catalog: { id: string; name: string } }) {
  const [isOpen, setIsOpen] = useState(false);
  const [format, setFormat] = useState<ScannerFormat>("ocsf");
  const [picked, setPicked] = useState<PickedFile | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const preview = useImportScannerFile();
  const store = useImportScannerFile();
  const mapping = useCreateEvidenceMapping();
  const controlsQuery = usePushControls(catalog.id, { enabled: isOpen });

  const runPreview = (file: PickedFile, chosenFormat: ScannerFormat) =>
    preview.mutate({ catalogId: catalog.id, format: chosenFormat, ...file, dryRun: true });
  const reset = () => {
    setPicked(null);
    setFileError(null);
    preview.reset();
    store.reset();
    mapping.reset();
  };
  const pickFile = async (file: File | undefined) => {
    reset();
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) {
      setFileError(`${file.name} is larger than 20 MB.`);
      return;
    }
    try {
      const read = { fileName: file.name, content: await readText(file), isYaml: /\.ya?ml$/i.test(file.name) };
      setPicked(read);
      runPreview(read, format);
    } catch (error) {
      setFileError((error as Error).message);
    }
  };
  const chooseFormat = (next: ScannerFormat) => {
    setFormat(next);
    store.reset();
    if (picked) runPreview(picked, next);
  };
  const mapRule = (ruleId: string, controlId: string) =>
    mapping.mutate(
      { catalogId: catalog.id, pattern: ruleId, format, controlId },
      { onSuccess: () => picked && runPreview(picked, format) },
    );

  const checked = preview.data;
  const stored = store.data;
  const isRunning = preview.isPending || store.isPending;
  const canImport =
    checked !== undefined && checked.controls.length > 0 && checked.controls.every((control) => control.isPush);

  return (
    <Dialog
      open={isOpen}
      onOpenChange={(open) => {
        setIsOpen(open);
        if (!open) reset();
      }}
    >
      <DialogTrigger asChild>
        <Button variant="secondary">Import scanner results</Button>
      </DialogTrigger>
      <DialogContent
        title="Import scanner results"
        description={`Each rule or check result becomes evidence of the push control of ${catalog.name} its rule id maps to.`}
      >
        <div className="space-y-4">
          <FormField label="Format">
            {(control) => (
              <Select
                {...control}
                value={format}
                disabled={isRunning}
                onChange={(event) => chooseFormat(event.target.value as ScannerFormat)}
              >
                {SCANNER_FORMATS.map((option) => (
                  <option key={option} value={option}>
                    {FORMAT_LABELS[option]}
                  </option>
                ))}
              </Select>
            )}
          </FormField>
          <FormField label="Scanner file" hint="Up to 20 MB" error={fileError ?? undefined}>
            {(control) => (
              <Input
                {...control}
                type="file"
                accept={ACCEPT[format]}
                className="py-1.5"
                disabled={isRunning}
                onChange={(event) => void pickFile(event.target.files?.[0])}
              />
            )}
          </FormField>
          {preview.isPending && <p className="text-sm">Reading {picked?.fileName}…</p>}
          {preview.isError && <ProblemAlert title="The file cannot be imported" error={preview.error} />}
          {mapping.isError && <ProblemAlert title="The rule could not be mapped" error={mapping.error} />}
          {checked && !stored && (
            <ScannerPreview
              preview={checked}
              controls={controlsQuery.data ?? []}
              isMapping={mapping.isPending}
              onMap={mapRule}
            />
          )}
          {store.isError && <ProblemAlert title="The import was refused" error={store.error} />}
          {stored && (
            <Alert title="Scanner results imported" variant="info">
              <ul aria-label="Submissions" className="list-disc pl-5">
                {stored.submissions.map((submission) => (
                  <li key={submission.controlId}>
                    {stored.controls.find((control) => control.controlId === submission.controlId)?.controlName}:{" "}
                    {submission.status}
                  </li>
                ))}
              </ul>
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
              disabled={isRunning || !canImport}
              onClick={() => store.mutate({ catalogId: catalog.id, format, ...picked, dryRun: false })}
            >
              Import into {formatCount(checked.controls.length, "control")}
            </Button>
          )}
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
