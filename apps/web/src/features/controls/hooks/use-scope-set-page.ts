import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router";
import { patchSearchParams } from "@/lib/search-params.ts";
import { parseScopeSetListQuery, SCOPE_SET_PAGE_PARAM } from "../api/get-control-scope-sets.ts";

/** The page of a control's scope sets, in the URL under its own name so other lists on the page keep theirs. */
export function useScopeSetPage() {
  const [searchParams, setSearchParams] = useSearchParams();
  const query = useMemo(() => parseScopeSetListQuery(searchParams), [searchParams]);
  const setPage = useCallback(
    (page: number) =>
      setSearchParams((current) => patchSearchParams(current, { [SCOPE_SET_PAGE_PARAM]: page > 1 ? page : undefined })),
    [setSearchParams],
  );
  return { query, setPage };
}
