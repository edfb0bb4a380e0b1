import {
  AiConnectionCheckSchema,
  AiSettingsSchema,
  AiUsageListSchema,
  MyAiUsageSchema,
  type AiConnectionCheck,
  type AiSettings,
  type AiUsageRow,
  type MyAiUsage,
  type UpdateAiSettingsBody,
} from "@status/shared";
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { assistantKeys } from "./assistant-keys.ts";

/** ADMIN only. The key itself never comes back: only whether one is set and its last four characters. */
export async function getAiSettings(signal?: AbortSignal): Promise<AiSettings> {
  const response = await apiClient.get("/ai/settings", { signal });
  return AiSettingsSchema.parse(response.data);
}

export function useAiSettings() {
  return useQuery(queryOptions({ queryKey: assistantKeys.settings(), queryFn: ({ signal }) => getAiSettings(signal) }));
}

export async function updateAiSettings(body: UpdateAiSettingsBody): Promise<AiSettings> {
  const response = await apiClient.patch("/ai/settings", body);
  return AiSettingsSchema.parse(response.data);
}

export function useUpdateAiSettings({
  onMutate,
  onSuccess,
}: { onMutate?: () => void; onSuccess?: (settings: AiSettings) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateAiSettings,
    onMutate,
    onSuccess: (settings) => {
      queryClient.setQueryData(assistantKeys.settings(), settings);
      // Whether AI is configured may have changed with the key.
      void queryClient.invalidateQueries({ queryKey: ["system", "capabilities"] });
      onSuccess?.(settings);
    },
  });
}

/** Asks the AI server for its models with the saved settings. */
export async function checkAiConnection(): Promise<AiConnectionCheck> {
  const response = await apiClient.post("/ai/settings/check");
  return AiConnectionCheckSchema.parse(response.data);
}

export function useCheckAiConnection() {
  return useMutation({ mutationFn: checkAiConnection });
}

export async function getAiUsage(signal?: AbortSignal): Promise<AiUsageRow[]> {
  const response = await apiClient.get("/ai/usage", { signal });
  return AiUsageListSchema.parse(response.data).items;
}

export function useAiUsage() {
  return useQuery(queryOptions({ queryKey: assistantKeys.usage(), queryFn: ({ signal }) => getAiUsage(signal) }));
}

/** The signed-in user's requests and tokens today, against the daily limits (any role). */
export async function getMyAiUsage(signal?: AbortSignal): Promise<MyAiUsage> {
  const response = await apiClient.get("/ai/usage/me", { signal });
  return MyAiUsageSchema.parse(response.data);
}

export function useMyAiUsage() {
  return useQuery(queryOptions({ queryKey: assistantKeys.myUsage(), queryFn: ({ signal }) => getMyAiUsage(signal) }));
}
