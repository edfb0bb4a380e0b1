import { RegistryPublicationSchema, type RegistryPublication } from "@status/shared";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { registryKeys } from "./registry-keys.ts";

/** While a publish is due or retrying, the state changes on its own: look again this often. */
const WHILE_PUBLISHING_MS = 3000;

export async function getPublication(catalogId: string, signal?: AbortSignal): Promise<RegistryPublication> {
  const response = await apiClient.get(`/catalogs/${encodeURIComponent(catalogId)}/registry`, { signal });
  return RegistryPublicationSchema.parse(response.data);
}

export function getPublicationQueryOptions(catalogId: string) {
  return queryOptions({
    queryKey: registryKeys.publication(catalogId),
    queryFn: ({ signal }) => getPublication(catalogId, signal),
    refetchInterval: (query) =>
      query.state.data?.state === "pending" || query.state.data?.state === "error" ? WHILE_PUBLISHING_MS : false,
  });
}

export function usePublication(catalogId: string) {
  return useQuery(getPublicationQueryOptions(catalogId));
}
