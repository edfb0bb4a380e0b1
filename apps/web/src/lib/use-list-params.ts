import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router";
import type { z } from "zod";
import { mergeSearchParams, parseSearchParams, type ObjectSchema } from "./search-params.ts";

/**
 * A list's query (page, page size, sort, search, filters) kept in the URL query string and read with the list's
 * shared query schema, e.g. `useListParams(CatalogListQuerySchema)`: a value the schema refuses falls back to its
 * default, and defaults stay out of the URL.
 *
 * `update` merges changes into the address. Any change other than the page itself returns to page 1, and only page
 * changes add a history entry. It renders synchronously (`flushSync`): `setSearchParams` merges into the params of the
 * last render, so a second filter changed before a deferred render would otherwise drop the first.
 */
export function useListParams<S extends ObjectSchema>(schema: S) {
  const [searchParams, setSearchParams] = useSearchParams();
  const query = useMemo(() => parseSearchParams(schema, searchParams), [schema, searchParams]);
  const update = useCallback(
    (changes: Partial<z.output<S>>) =>
      setSearchParams((current) => mergeSearchParams(schema, current, changes), {
        replace: !("page" in changes),
        flushSync: true,
      }),
    [schema, setSearchParams],
  );
  return { query, update };
}
