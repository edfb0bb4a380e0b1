import { ControlListQuerySchema, type ControlListQuery } from "@status/shared";
import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router";
import { mergeSearchParams } from "@/lib/search-params.ts";
import { parseControlListQuery } from "../api/get-catalog-controls.ts";

/** Paging (and any filters present) of a catalog's controls, kept in the URL query string. */
export function useControlListParams() {
  const [searchParams, setSearchParams] = useSearchParams();
  const query = useMemo(() => parseControlListQuery(searchParams), [searchParams]);
  const update = useCallback(
    (changes: Partial<ControlListQuery>) =>
      setSearchParams((current) => mergeSearchParams(ControlListQuerySchema, current, changes), {
        replace: !("page" in changes),
        flushSync: true,
      }),
    [setSearchParams],
  );
  return { query, update };
}
