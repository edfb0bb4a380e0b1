import { AuditListQuerySchema, AuditPageSchema, type AuditListQuery } from "@status/shared";
import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import { apiClient } from "@/lib/api-client.ts";
import { parseSearchParams, toRequestParams } from "@/lib/search-params.ts";
import { auditKeys } from "./audit-keys.ts";

export type AuditPage = z.infer<typeof AuditPageSchema>;

/** The list query the URL describes; unknown or invalid values fall back to the API's defaults (newest first). */
export function parseAuditListQuery(searchParams: URLSearchParams): AuditListQuery {
  return parseSearchParams(AuditListQuerySchema, searchParams);
}

/** ADMIN only; others get 403 `forbidden`. */
export async function getAudit(query: AuditListQuery, signal?: AbortSignal): Promise<AuditPage> {
  const response = await apiClient.get("/audit", { params: toRequestParams(query), signal });
  return AuditPageSchema.parse(response.data);
}

export function getAuditQueryOptions(query: AuditListQuery) {
  return queryOptions({
    queryKey: auditKeys.list(query),
    queryFn: ({ signal }) => getAudit(query, signal),
    placeholderData: keepPreviousData,
  });
}

export function useAudit(query: AuditListQuery) {
  return useQuery(getAuditQueryOptions(query));
}
