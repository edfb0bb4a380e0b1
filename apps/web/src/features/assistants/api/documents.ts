import { AssistantDocumentListSchema, AssistantDocumentSchema, type AssistantDocument } from "@status/shared";
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { assistantKeys } from "./assistant-keys.ts";

export async function getDocuments(assistantId: string, signal?: AbortSignal): Promise<AssistantDocument[]> {
  const response = await apiClient.get(`/assistants/${encodeURIComponent(assistantId)}/documents`, { signal });
  return AssistantDocumentListSchema.parse(response.data).items;
}

export function useDocuments(assistantId: string) {
  return useQuery(
    queryOptions({
      queryKey: assistantKeys.documents(assistantId),
      queryFn: ({ signal }) => getDocuments(assistantId, signal),
    }),
  );
}

/** The browser's file as the API takes it: JSON with the bytes in base64. */
function toBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve((typeof reader.result === "string" ? reader.result : "").replace(/^data:[^,]*,/, ""));
    reader.onerror = () => reject(reader.error ?? new Error("The file could not be read"));
    reader.readAsDataURL(file);
  });
}

/** A browser leaves the type of .md files empty or odd; the extension decides then. */
export function documentContentType(file: File): string {
  const name = file.name.toLowerCase();
  if (name.endsWith(".md") || name.endsWith(".markdown")) return "text/markdown";
  if (name.endsWith(".txt")) return "text/plain";
  if (name.endsWith(".pdf")) return "application/pdf";
  return file.type || "application/octet-stream";
}

/** DEVELOPER or ADMIN; 415 for other types, 413 too large, 422 unreadable. */
export async function uploadDocument({
  assistantId,
  file,
}: {
  assistantId: string;
  file: File;
}): Promise<AssistantDocument> {
  const body = { filename: file.name, contentType: documentContentType(file), contentBase64: await toBase64(file) };
  const response = await apiClient.post(`/assistants/${encodeURIComponent(assistantId)}/documents`, body);
  return AssistantDocumentSchema.parse(response.data);
}

export async function deleteDocument({
  assistantId,
  documentId,
}: {
  assistantId: string;
  documentId: string;
}): Promise<void> {
  await apiClient.delete(`/assistants/${encodeURIComponent(assistantId)}/documents/${encodeURIComponent(documentId)}`);
}

function useDocumentMutation<T extends { assistantId: string }, R>(mutationFn: (input: T) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: async (_result, input) => {
      await queryClient.invalidateQueries({ queryKey: assistantKeys.documents(input.assistantId) });
      await queryClient.invalidateQueries({ queryKey: assistantKeys.lists() });
    },
  });
}

export const useUploadDocument = () => useDocumentMutation(uploadDocument);
export const useDeleteDocument = () => useDocumentMutation(deleteDocument);
