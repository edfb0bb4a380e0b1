import { CatalogListQuerySchema, type CatalogListQuery } from "@status/shared";
import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router";
import { mergeSearchParams } from "@/lib/search-params.ts";
import { parseCatalogListQuery } from "../api/get-catalogs.ts";

/**
 * Search, status filter, sort and page of the catalogs list, kept in the URL query string. Changes render
 * synchronously (`flushSync`): `setSearchParams` merges into the params of the last render, so a second filter
 * changed before a deferred render would otherwise drop the first.
 */
export function useCatalogListParams() {
  const [searchParams, setSearchParams] = useSearchParams();
  const query = useMemo(() => parseCatalogListQuery(searchParams), [searchParams]);
  const update = useCallback(
    (changes: Partial<CatalogListQuery>) =>
      setSearchParams((current) => mergeSearchParams(CatalogListQuerySchema, current, changes), {
        replace: !("page" in changes),
        flushSync: true,
      }),
    [setSearchParams],
  );
  return { query, update };
}
