import type { ImportJob, ImportResult } from "@status/shared";
import { useState } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { FormField } from "@/components/ui/form-field.tsx";
import { Input, Select, Textarea } from "@/components/ui/input.tsx";
import { formatCount } from "@/lib/format.ts";
import { useFrameworks } from "../api/get-frameworks.ts";
import { useImportFramework, usePreviewFrameworkImport } from "../api/import-framework.ts";
import { buildImportBody, EMPTY_DETAILS, type ImportDetails } from "../utils/import-body.ts";
import { guessColumns, ImportFileError, readImportFile, type ImportFile } from "../utils/import-file.ts";
import { ColumnMappingFields } from "./column-mapping-fields.tsx";
import { ImportPreviewView } from "./import-preview.tsx";
import { ImportProblemAlert } from "./import-problem-alert.tsx";
import { ImportProgress } from "./import-progress.tsx";

const FORMAT_LABELS: Record<ImportFile["kind"], string> = {
  "oscal-catalog": "OSCAL catalog",
  "oscal-profile": "OSCAL profile",
  csv: "CSV sheet",
  xlsx: "XLSX workbook",
};

function SheetDetails({
  file,
  details,
  issues,
  onChange,
}: {
  file: Extract<ImportFile, { kind: "csv" | "xlsx" }>;
  details: ImportDetails;
  issues: Record<string, string>;
  onChange: (changes: Partial<ImportDetails>) => void;
}) {
  return (
    <div className="space-y-4">
      <div className="grid gap-3 sm:grid-cols-2">
        <FormField label="Framework name" error={issues.name}>
          {(control) => (
            <Input {...control} value={details.name} onChange={(e) => onChange({ name: e.target.value })} />
          )}
        </FormField>
        <FormField label="Version" error={issues.version}>
          {(control) => (
            <Input {...control} value={details.version} onChange={(e) => onChange({ version: e.target.value })} />
          )}
        </FormField>
      </div>
      <FormField label="Description" error={issues.description}>
        {(control) => (
          <Textarea
            {...control}
            value={details.description}
            onChange={(e) => onChange({ description: e.target.value })}
          />
        )}
      </FormField>
      {file.kind === "xlsx" && (
        <FormField label="Sheet" hint="Leave blank for the first sheet">
          {(control) => (
            <Input {...control} value={details.sheet} onChange={(e) => onChange({ sheet: e.target.value })} />
          )}
        </FormField>
      )}
      <ColumnMappingFields
        headers={file.kind === "csv" ? file.headers : null}
        value={details.columns}
        onChange={(columns) => onChange({ columns })}
      />
      {issues.columns && <p className="text-sm text-red-600 dark:text-red-400">{issues.columns}</p>}
    </div>
  );
}

function ProfileDetails({
  details,
  error,
  onChange,
}: {
  details: ImportDetails;
  error: string | undefined;
  onChange: (changes: Partial<ImportDetails>) => void;
}) {
  const frameworksQuery = useFrameworks({ page: 1, pageSize: 200 });
  const frameworks = frameworksQuery.data?.items ?? [];
  return (
    <FormField
      label="Resolve against"
      hint="A profile selects from a catalog: pick the imported framework its import points to."
      error={error ?? (frameworksQuery.isError ? frameworksQuery.error.message : undefined)}
    >
      {(control) => (
        <Select {...control} value={details.frameworkId} onChange={(e) => onChange({ frameworkId: e.target.value })}>
          <option value="">Choose a framework</option>
          {frameworks.map((framework) => (
            <option key={framework.id} value={framework.id}>
              {framework.name} {framework.version}
            </option>
          ))}
        </Select>
      )}
    </FormField>
  );
}

/**
 * Import in two steps: choose a file (and, for a sheet, its columns), see the dry run's preview with every problem,
 * then store it. Nothing is stored before the second step; any change sends the user back to preview again.
 */
export function ImportFrameworkForm({ onImported }: { onImported: (result: ImportResult) => void }) {
  const [file, setFile] = useState<ImportFile | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [details, setDetails] = useState<ImportDetails>(EMPTY_DETAILS);
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [uploaded, setUploaded] = useState(0);
  const [job, setJob] = useState<ImportJob | null>(null);
  const preview = usePreviewFrameworkImport();
  const store = useImportFramework({ onSuccess: onImported });

  const forgetPreview = () => {
    preview.reset();
    store.reset();
  };
  const changeDetails = (changes: Partial<ImportDetails>) => {
    setDetails((current) => ({ ...current, ...changes }));
    forgetPreview();
  };
  const pickFile = async (picked: File | undefined) => {
    forgetPreview();
    setFile(null);
    setFileError(null);
    if (!picked) return;
    try {
      const read = await readImportFile(picked);
      setFile(read);
      if (read.kind === "csv") setDetails({ ...EMPTY_DETAILS, columns: guessColumns(read.headers) });
    } catch (error) {
      setFileError(error instanceof ImportFileError ? error.message : `${picked.name} could not be read.`);
    }
  };
  const run = (action: typeof preview | typeof store) => {
    if (!file) return;
    const built = buildImportBody(file, details);
    setIssues(built.issues ?? {});
    if (!built.body) return;
    setUploaded(0);
    setJob(null);
    action.mutate({ body: built.body, onProgress: setUploaded, onJob: setJob });
  };
  const isRunning = preview.isPending || store.isPending;

  return (
    <div className="max-w-4xl space-y-6">
      <FormField
        label="File"
        hint="An OSCAL catalog or profile (JSON, OSCAL 1.0–1.2), a CSV sheet or an XLSX workbook; up to 50 MB."
        error={fileError ?? undefined}
      >
        {(control) => (
          <Input
            {...control}
            type="file"
            accept=".json,.csv,.xlsx,application/json,text/csv"
            className="py-1.5"
            disabled={isRunning}
            onChange={(event) => void pickFile(event.target.files?.[0])}
          />
        )}
      </FormField>
      {file && (
        <p className="text-sm">
          {file.fileName}: <span className="font-medium">{FORMAT_LABELS[file.kind]}</span>
        </p>
      )}
      {file?.kind === "oscal-profile" && (
        <ProfileDetails details={details} error={issues.frameworkId} onChange={changeDetails} />
      )}
      {(file?.kind === "csv" || file?.kind === "xlsx") && (
        <SheetDetails file={file} details={details} issues={issues} onChange={changeDetails} />
      )}
      {file && (
        <div className="flex flex-wrap gap-2">
          <Button variant="secondary" isLoading={preview.isPending} disabled={isRunning} onClick={() => run(preview)}>
            Preview import
          </Button>
          {preview.data && (
            <Button
              isLoading={store.isPending}
              disabled={isRunning || !preview.data.canImport}
              onClick={() => run(store)}
            >
              Import {formatCount(preview.data.counts.requirements, "requirement")}
            </Button>
          )}
        </div>
      )}
      {isRunning && (
        <ImportProgress uploaded={uploaded} action={store.isPending ? "Importing" : "Checking"} job={job} />
      )}
      {preview.isError && <ImportProblemAlert title="The preview was refused" error={preview.error} />}
      {store.isError && <ImportProblemAlert title="The import was refused" error={store.error} />}
      {preview.data && !preview.data.canImport && (
        <Alert title="This file cannot be imported as it is">Fix the errors listed below and preview again.</Alert>
      )}
      {preview.data && <ImportPreviewView preview={preview.data} />}
    </div>
  );
}
