import { AssistantSchema, type Assistant, type CreateAssistantBody, type UpdateAssistantBody } from "@status/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { assistantKeys } from "./assistant-keys.ts";

/** DEVELOPER or ADMIN; 409 when the name is taken. */
export async function createAssistant(body: CreateAssistantBody): Promise<Assistant> {
  const response = await apiClient.post("/assistants", body);
  return AssistantSchema.parse(response.data);
}

export async function updateAssistant({
  assistantId,
  body,
}: {
  assistantId: string;
  body: UpdateAssistantBody;
}): Promise<Assistant> {
  const response = await apiClient.patch(`/assistants/${encodeURIComponent(assistantId)}`, body);
  return AssistantSchema.parse(response.data);
}

export function useCreateAssistant({ onSuccess }: { onSuccess?: (assistant: Assistant) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createAssistant,
    onSuccess: async (assistant) => {
      await queryClient.invalidateQueries({ queryKey: assistantKeys.lists() });
      onSuccess?.(assistant);
    },
  });
}

export function useUpdateAssistant({ onSuccess }: { onSuccess?: (assistant: Assistant) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateAssistant,
    onSuccess: async (assistant) => {
      queryClient.setQueryData(assistantKeys.detail(assistant.id), assistant);
      await queryClient.invalidateQueries({ queryKey: assistantKeys.lists() });
      onSuccess?.(assistant);
    },
  });
}
