import { ScopeListQuerySchema, type ScopeListQuery } from "@status/shared";
import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router";
import { mergeSearchParams } from "@/lib/search-params.ts";
import { parseScopeListQuery } from "../api/get-scopes.ts";

/** Search, type filter, sort and page of the scopes list, kept in the URL query string. */
export function useScopeListParams() {
  const [searchParams, setSearchParams] = useSearchParams();
  const query = useMemo(() => parseScopeListQuery(searchParams), [searchParams]);
  const update = useCallback(
    (changes: Partial<ScopeListQuery>) =>
      setSearchParams((current) => mergeSearchParams(ScopeListQuerySchema, current, changes), {
        replace: !("page" in changes),
        flushSync: true,
      }),
    [setSearchParams],
  );
  return { query, update };
}
