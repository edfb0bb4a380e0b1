import { MAX_PAGE_SIZE, MashupPageSchema, type MashupListQuery } from "@status/shared";
import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import { apiClient } from "@/lib/api-client.ts";
import { toRequestParams } from "@/lib/search-params.ts";
import { mashupKeys } from "./mashup-keys.ts";

export type MashupPage = z.infer<typeof MashupPageSchema>;

/** Every mashup fits one page in practice (flow tabs of one Node-RED), which pickers need. */
export const ALL_MASHUPS: MashupListQuery = { page: 1, pageSize: MAX_PAGE_SIZE };

/** Mashups are the flows Node-RED serves; 503 `service_unavailable` when Node-RED is down. */
export async function getMashups(query: MashupListQuery, signal?: AbortSignal): Promise<MashupPage> {
  const response = await apiClient.get("/mashups", { params: toRequestParams(query), signal });
  return MashupPageSchema.parse(response.data);
}

export function getMashupsQueryOptions(query: MashupListQuery = ALL_MASHUPS) {
  return queryOptions({
    queryKey: mashupKeys.list(query),
    queryFn: ({ signal }) => getMashups(query, signal),
    placeholderData: keepPreviousData,
    // The API caches the list for 15 s; flows deployed in the editor show up on the next visit.
    staleTime: 15_000,
  });
}

export function useMashups(query: MashupListQuery = ALL_MASHUPS, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({ ...getMashupsQueryOptions(query), enabled });
}
