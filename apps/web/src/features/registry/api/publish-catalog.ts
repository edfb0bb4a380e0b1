import { RegistryPublicationSchema, type RegistryPublication } from "@status/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { registryKeys } from "./registry-keys.ts";

/** Asks for the catalog to be published now; the server's background publisher does it (202). */
export async function publishCatalog(catalogId: string): Promise<RegistryPublication> {
  const response = await apiClient.post(`/catalogs/${encodeURIComponent(catalogId)}/registry/publish`);
  return RegistryPublicationSchema.parse(response.data);
}

export function usePublishCatalog() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: publishCatalog,
    onSuccess: (publication) => queryClient.setQueryData(registryKeys.publication(publication.catalogId), publication),
  });
}
