import { CreatedApiTokenSchema, type CreateApiTokenBody, type CreatedApiToken } from "@status/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { tokenKeys } from "./token-keys.ts";

/** Creates a personal token; the answer is the only time its secret is shown. */
export async function createToken(body: CreateApiTokenBody): Promise<CreatedApiToken> {
  const response = await apiClient.post("/tokens", body);
  return CreatedApiTokenSchema.parse(response.data);
}

export function useCreateToken({ onSuccess }: { onSuccess?: (token: CreatedApiToken) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createToken,
    onSuccess: async (token) => {
      await queryClient.invalidateQueries({ queryKey: tokenKeys.lists() });
      onSuccess?.(token);
    },
  });
}
