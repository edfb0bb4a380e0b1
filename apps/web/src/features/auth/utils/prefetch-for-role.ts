import { hasRole, type Role } from "@status/shared";
import type { FetchQueryOptions, QueryClient, QueryKey } from "@tanstack/react-query";
import { getMeQueryOptions } from "../api/get-me.ts";

/**
 * Starts a request only when the signed-in user's role may make it, so a page that shows a no-access message
 * does not ask the API for data it would refuse. A missing session is the protected layout's concern.
 */
export function prefetchForRole<TData, TKey extends QueryKey>(
  queryClient: QueryClient,
  minimumRole: Role,
  options: FetchQueryOptions<TData, Error, TData, TKey>,
): void {
  void queryClient
    .ensureQueryData(getMeQueryOptions())
    .then((me) => (hasRole(me.role, minimumRole) ? queryClient.prefetchQuery(options) : undefined))
    .catch(() => undefined);
}
