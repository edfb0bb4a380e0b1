import { useRef, useState } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Spinner } from "@/components/ui/spinner.tsx";
import { isApiError } from "@/lib/api-client.ts";
import { formatDateTime } from "@/lib/format.ts";
import { useDeleteDocument, useDocuments, useUploadDocument } from "../api/documents.ts";

function uploadErrorMessage(error: unknown): string {
  if (isApiError(error, "unsupported_media_type"))
    return "Only PDF, Markdown (.md) and text (.txt) files can be added.";
  if (isApiError(error, "payload_too_large")) return `The file is too large. ${error.detail ?? ""}`;
  if (error instanceof Error) return error.message;
  return "The document was not added.";
}

/** The documents of a knowledge base; DEVELOPER and ADMIN add and remove them. */
export function DocumentsPanel({ assistantId, canEdit }: { assistantId: string; canEdit: boolean }) {
  const documents = useDocuments(assistantId);
  const upload = useUploadDocument();
  const remove = useDeleteDocument();
  const input = useRef<HTMLInputElement>(null);
  const [lastAdded, setLastAdded] = useState<string | null>(null);

  const onFile = (file: File | undefined) => {
    if (!file) return;
    setLastAdded(null);
    upload.mutate(
      { assistantId, file },
      { onSuccess: (document) => setLastAdded(`${document.filename}: ${document.chunkCount} passages indexed`) },
    );
    if (input.current) input.current.value = "";
  };

  return (
    <div className="space-y-4">
      {documents.isPending && <Spinner label="Loading documents" />}
      {documents.isError && <Alert title="The documents could not be loaded">{documents.error.message}</Alert>}
      {documents.data && documents.data.length === 0 && <p className="text-sm text-zinc-500">No documents yet.</p>}
      {documents.data && documents.data.length > 0 && (
        <ul className="divide-y divide-zinc-200 text-sm dark:divide-zinc-800">
          {documents.data.map((document) => (
            <li key={document.id} className="flex items-center justify-between gap-2 py-2">
              <span className="min-w-0">
                <span className="block truncate font-medium">{document.filename}</span>
                <span className="text-xs text-zinc-500">
                  {Math.ceil(document.sizeBytes / 1024)} KB · {document.chunkCount} passages ·{" "}
                  {formatDateTime(document.createdAt)}
                </span>
              </span>
              {canEdit && (
                <Button
                  variant="ghost"
                  size="sm"
                  aria-label={`Remove ${document.filename}`}
                  isLoading={remove.isPending && remove.variables?.documentId === document.id}
                  onClick={() => remove.mutate({ assistantId, documentId: document.id })}
                >
                  Remove
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canEdit && (
        <div className="space-y-2">
          <label className="block text-sm font-medium" htmlFor={`upload-${assistantId}`}>
            Add a document (PDF, Markdown, text)
          </label>
          <input
            id={`upload-${assistantId}`}
            ref={input}
            type="file"
            accept=".pdf,.md,.markdown,.txt,application/pdf,text/markdown,text/plain"
            disabled={upload.isPending}
            onChange={(event) => onFile(event.target.files?.[0])}
            className="text-sm"
          />
          {upload.isPending && <Spinner size="sm" label="Uploading" />}
          {upload.isError && <Alert title="The document was not added">{uploadErrorMessage(upload.error)}</Alert>}
          {lastAdded && <Alert variant="info">{lastAdded}</Alert>}
        </div>
      )}
    </div>
  );
}
