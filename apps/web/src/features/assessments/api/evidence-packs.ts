import {
  EvidencePackListSchema,
  EvidencePackSchema,
  PackPublicKeySchema,
  type CreateEvidencePackBody,
  type EvidencePack,
  type PackPublicKey,
} from "@status/shared";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { API_BASE_URL, apiClient } from "@/lib/api-client.ts";
import { assessmentKeys } from "./assessment-keys.ts";

/** The catalog's evidence packs, newest first, with their digests. */
export async function getEvidencePacks(catalogId: string, signal?: AbortSignal): Promise<EvidencePack[]> {
  const response = await apiClient.get(`/catalogs/${encodeURIComponent(catalogId)}/evidence-packs`, { signal });
  return EvidencePackListSchema.parse(response.data).items;
}

export function useEvidencePacks(catalogId: string) {
  return useQuery({
    queryKey: assessmentKeys.packList(catalogId),
    queryFn: ({ signal }) => getEvidencePacks(catalogId, signal),
  });
}

/** One pack: its progress while a worker builds it, then its size and digests. */
export async function getEvidencePack(packId: string, signal?: AbortSignal): Promise<EvidencePack> {
  const response = await apiClient.get(`/evidence-packs/${encodeURIComponent(packId)}`, { signal });
  return EvidencePackSchema.parse(response.data);
}

/** The pack's Server-Sent Events: `event: pack` with the pack as JSON, until it is done or failed. */
export function evidencePackEventsUrl(packId: string): string {
  return `${API_BASE_URL}/evidence-packs/${encodeURIComponent(packId)}/events`;
}

/** A plain link: the ZIP streams from disk to the browser's download, never through the page's memory. */
export function evidencePackDownloadUrl(packId: string): string {
  return `${API_BASE_URL}/evidence-packs/${encodeURIComponent(packId)}/download`;
}

export async function createEvidencePack(catalogId: string, body: CreateEvidencePackBody): Promise<EvidencePack> {
  const response = await apiClient.post(`/catalogs/${encodeURIComponent(catalogId)}/evidence-packs`, body);
  return EvidencePackSchema.parse(response.data);
}

/** Starts a pack; the queued pack seeds its own cache entry, and the catalog's list shows it at once. */
export function useCreateEvidencePack(catalogId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateEvidencePackBody) => createEvidencePack(catalogId, body),
    onSuccess: (pack) => {
      queryClient.setQueryData(assessmentKeys.pack(pack.id), pack);
      void queryClient.invalidateQueries({ queryKey: assessmentKeys.packList(catalogId) });
    },
  });
}

export async function getPackPublicKey(signal?: AbortSignal): Promise<PackPublicKey> {
  const response = await apiClient.get("/evidence-packs/public-key", { signal });
  return PackPublicKeySchema.parse(response.data);
}

/** The instance's signing key does not change while the page is open. */
export function usePackPublicKey() {
  return useQuery({
    queryKey: assessmentKeys.publicKey(),
    queryFn: ({ signal }) => getPackPublicKey(signal),
    staleTime: Infinity,
  });
}
