import { MashupEvidenceSchema, type MashupEvidence } from "@status/shared";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { computationKeys } from "./computation-keys.ts";

/** A mashup's evidence declaration (labels, units, rules); 422 `evidence_declaration_invalid` when it is broken. */
export async function getEvidenceDeclaration(mashupId: string, signal?: AbortSignal): Promise<MashupEvidence> {
  const response = await apiClient.get(`/mashups/${encodeURIComponent(mashupId)}/evidence`, { signal });
  return MashupEvidenceSchema.parse(response.data);
}

export function getEvidenceDeclarationQueryOptions(mashupId: string) {
  return queryOptions({
    queryKey: computationKeys.declaration(mashupId),
    queryFn: ({ signal }) => getEvidenceDeclaration(mashupId, signal),
    // A declaration changes only when the flow is redeployed; a broken or unreachable one falls back at once.
    staleTime: 60_000,
    retry: false,
  });
}

/** Disabled for a control without a mashup: its evidence is shown as the flow reported it. */
export function useEvidenceDeclaration(mashupId: string | null) {
  return useQuery({ ...getEvidenceDeclarationQueryOptions(mashupId ?? ""), enabled: mashupId !== null });
}
