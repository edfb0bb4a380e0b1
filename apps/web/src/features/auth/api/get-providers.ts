import { AuthProvidersSchema, type AuthProviders } from "@status/shared";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { authKeys } from "./auth-keys.ts";

export async function getAuthProviders(signal?: AbortSignal): Promise<AuthProviders> {
  const response = await apiClient.get("/auth/providers", { signal });
  return AuthProvidersSchema.parse(response.data);
}

export function getAuthProvidersQueryOptions() {
  return queryOptions({
    queryKey: authKeys.providers(),
    queryFn: ({ signal }) => getAuthProviders(signal),
    staleTime: Infinity,
  });
}

export function useAuthProviders() {
  return useQuery(getAuthProvidersQueryOptions());
}
