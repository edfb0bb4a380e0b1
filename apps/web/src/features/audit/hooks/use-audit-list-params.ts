import { AuditListQuerySchema, type AuditListQuery } from "@status/shared";
import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router";
import { mergeSearchParams } from "@/lib/search-params.ts";
import { parseAuditListQuery } from "../api/get-audit.ts";

/** Filters (actor, resource type, action, time range) and page of the audit log, kept in the URL query string. */
export function useAuditListParams() {
  const [searchParams, setSearchParams] = useSearchParams();
  const query = useMemo(() => parseAuditListQuery(searchParams), [searchParams]);
  const update = useCallback(
    (changes: Partial<AuditListQuery>) =>
      setSearchParams((current) => mergeSearchParams(AuditListQuerySchema, current, changes), {
        replace: !("page" in changes),
        flushSync: true,
      }),
    [setSearchParams],
  );
  return { query, update };
}
