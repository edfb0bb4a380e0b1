import { MashupLimitsSchema, type MashupLimits, type SetMashupLimitsBody } from "@status/shared";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { mashupKeys } from "./mashup-keys.ts";

/** A mashup's limits on the engine's calls (nulls: none). */
export async function getMashupLimits(mashupId: string, signal?: AbortSignal): Promise<MashupLimits> {
  const response = await apiClient.get(`/mashups/${encodeURIComponent(mashupId)}/limits`, { signal });
  return MashupLimitsSchema.parse(response.data);
}

export function useMashupLimits(mashupId: string) {
  return useQuery({
    queryKey: mashupKeys.limits(mashupId),
    queryFn: ({ signal }) => getMashupLimits(mashupId, signal),
  });
}

/** DEVELOPER or ADMIN; 404 when Node-RED serves no such flow. */
export async function setMashupLimits({
  mashupId,
  body,
}: {
  mashupId: string;
  body: SetMashupLimitsBody;
}): Promise<MashupLimits> {
  const response = await apiClient.put(`/mashups/${encodeURIComponent(mashupId)}/limits`, body);
  return MashupLimitsSchema.parse(response.data);
}

export function useSetMashupLimits() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: setMashupLimits,
    onSuccess: (limits) => queryClient.setQueryData(mashupKeys.limits(limits.mashupId), limits),
  });
}
