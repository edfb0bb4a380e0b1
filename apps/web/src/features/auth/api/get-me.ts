import { MeSchema, type Me } from "@status/shared";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { authKeys } from "./auth-keys.ts";

export async function getMe(signal?: AbortSignal): Promise<Me> {
  const response = await apiClient.get("/auth/me", { signal });
  return MeSchema.parse(response.data);
}

export function getMeQueryOptions() {
  return queryOptions({
    queryKey: authKeys.me(),
    queryFn: ({ signal }) => getMe(signal),
    staleTime: 5 * 60_000,
    retry: false,
  });
}

export function useMe() {
  return useQuery(getMeQueryOptions());
}
