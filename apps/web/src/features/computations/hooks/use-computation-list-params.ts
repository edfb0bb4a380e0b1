import { ComputationListQuerySchema, type ComputationListQuery } from "@status/shared";
import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router";
import { mergeSearchParams } from "@/lib/search-params.ts";
import { parseComputationListQuery } from "../api/get-control-computations.ts";

/** Page and status filter of a control's computation history, kept in the URL query string. */
export function useComputationListParams() {
  const [searchParams, setSearchParams] = useSearchParams();
  const query = useMemo(() => parseComputationListQuery(searchParams), [searchParams]);
  const update = useCallback(
    (changes: Partial<ComputationListQuery>) =>
      setSearchParams((current) => mergeSearchParams(ComputationListQuerySchema, current, changes), {
        replace: !("page" in changes),
        flushSync: true,
      }),
    [setSearchParams],
  );
  return { query, update };
}
