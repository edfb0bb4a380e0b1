import { QueryClient, type DefaultOptions } from "@tanstack/react-query";
import { ApiError } from "./api-client.ts";

const MAX_RETRIES = 2;

/**
 * A 4xx answer will not change on retry, nor will a 503 that says an integration is not configured
 * (`grafana_not_configured`, `ai_not_configured`…: only a restart with new settings changes it); network failures and
 * other 5xx may.
 */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  if (error instanceof ApiError && error.code.endsWith("_not_configured")) return false;
  return failureCount < MAX_RETRIES;
}

export const queryConfig = {
  queries: {
    staleTime: 60_000,
    retry: shouldRetry,
    refetchOnWindowFocus: false,
  },
  mutations: { retry: false },
} satisfies DefaultOptions;

export function createQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: queryConfig });
}
