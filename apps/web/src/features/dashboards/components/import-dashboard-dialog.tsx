import { ImportDashboardBodySchema, MAX_IMPORTED_DASHBOARD_BYTES, type SavedDashboard } from "@status/shared";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { FormDialog } from "@/components/ui/form-dialog.tsx";
import { FormField } from "@/components/ui/form-field.tsx";
import { Input, Select } from "@/components/ui/input.tsx";
import { isApiError } from "@/lib/api-client.ts";
import { useDashboardFolders } from "../api/get-dashboard-folders.ts";
import { useImportDashboard } from "../api/import-dashboard.ts";

// A little over the model limit: the file may hold the export's envelope around the model.
const MAX_FILE_BYTES = MAX_IMPORTED_DASHBOARD_BYTES + 64 * 1024;

export function ImportDashboardDialog({ onImported }: { onImported: (saved: SavedDashboard) => void }) {
  return (
    <FormDialog
      trigger={<Button variant="secondary">Import JSON</Button>}
      title="Import a dashboard"
      description="A dashboard's JSON model, as exported from STATUS or Grafana."
    >
      {(close) => (
        <ImportDashboardForm
          onCancel={close}
          onImported={(saved) => {
            close();
            onImported(saved);
          }}
        />
      )}
    </FormDialog>
  );
}

/** The model inside a file: a bare model, or an export (`{dashboard, meta}`) around it. */
function modelOf(parsed: unknown): unknown {
  if (typeof parsed === "object" && parsed !== null && "dashboard" in parsed && typeof parsed.dashboard === "object")
    return parsed.dashboard;
  return parsed;
}

// FileReader rather than Blob.text(): it is what every browser (and the test DOM) implements.
function readText(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === "string" ? reader.result : "");
    reader.onerror = () => reject(reader.error ?? new Error("The file could not be read"));
    reader.readAsText(file);
  });
}

async function readModel(file: File): Promise<{ model?: unknown; problems: string[] }> {
  if (file.size > MAX_FILE_BYTES)
    return { problems: [`The file is larger than ${Math.round(MAX_FILE_BYTES / 1024)} KiB.`] };
  let text: string;
  try {
    text = await readText(file);
  } catch {
    return { problems: ["The file could not be read."] };
  }
  try {
    return { model: modelOf(JSON.parse(text)), problems: [] };
  } catch {
    return { problems: ["The file is not valid JSON."] };
  }
}

function ImportDashboardForm({
  onImported,
  onCancel,
}: {
  onImported: (saved: SavedDashboard) => void;
  onCancel: () => void;
}) {
  const [file, setFile] = useState<File | null>(null);
  const [folderUid, setFolderUid] = useState("");
  const [overwrite, setOverwrite] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);
  const foldersQuery = useDashboardFolders();
  const importMutation = useImportDashboard({ onSuccess: onImported });

  async function submit(event: FormEvent) {
    event.preventDefault();
    importMutation.reset();
    setProblems([]);
    if (!file) return setProblems(["Choose a JSON file."]);
    const { model, problems: readProblems } = await readModel(file);
    if (readProblems.length > 0) return setProblems(readProblems);
    const body = ImportDashboardBodySchema.safeParse({ dashboard: model, folderUid: folderUid || null, overwrite });
    if (!body.success)
      return setProblems(
        body.error.issues.map((issue) => `${["dashboard", ...issue.path.slice(1)].join(".")}: ${issue.message}`),
      );
    importMutation.mutate(body.data);
  }

  const error = importMutation.error;
  const isConflict = isApiError(error, "dashboard_exists") || isApiError(error, "dashboard_version_conflict");
  return (
    <form onSubmit={(event) => void submit(event)} noValidate className="space-y-4">
      {problems.length > 0 && (
        <Alert title="This file cannot be imported">
          <ul className="list-disc pl-5">
            {problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </Alert>
      )}
      {error && (
        <Alert title={isConflict ? "This dashboard exists already" : "The dashboard was not imported"}>
          <p>{error.message}</p>
          {isConflict && <p className="mt-1">Tick “Replace the existing dashboard” to overwrite it.</p>}
          {isApiError(error) && error.errors.length > 0 && (
            <ul className="mt-1 list-disc pl-5">
              {error.errors.map((issue) => (
                <li
                  key={`${issue.path}:${issue.message}`}
                >{`${issue.path.replace(/^body\./, "")}: ${issue.message}`}</li>
              ))}
            </ul>
          )}
        </Alert>
      )}
      <FormField label="JSON file">
        {(control) => (
          <Input
            {...control}
            type="file"
            accept="application/json,.json"
            className="py-1.5"
            onChange={(event) => setFile(event.target.files?.[0] ?? null)}
          />
        )}
      </FormField>
      <FormField label="Folder">
        {(control) => (
          <Select {...control} value={folderUid} onChange={(event) => setFolderUid(event.target.value)}>
            <option value="">General</option>
            {foldersQuery.data?.map((folder) => (
              <option key={folder.uid} value={folder.uid}>
                {folder.title}
              </option>
            ))}
          </Select>
        )}
      </FormField>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={overwrite} onChange={(event) => setOverwrite(event.target.checked)} />
        Replace the existing dashboard with the same uid or title
      </label>
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" isLoading={importMutation.isPending}>
          Import dashboard
        </Button>
      </div>
    </form>
  );
}
