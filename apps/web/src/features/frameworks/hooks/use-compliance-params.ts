import type { ComplianceQuery } from "@status/shared";
import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router";
import { patchSearchParams } from "@/lib/search-params.ts";

const DAY_MS = 24 * 60 * 60 * 1000;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** The roll-up's period as the page shows it: whole UTC days, `to` included. */
export interface ComplianceParams {
  fromDate: string;
  toDate: string;
  catalogId: string | undefined;
}

function isoDate(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

function isDate(value: string | null): value is string {
  return value !== null && DATE_PATTERN.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
}

/** The last `days` days through today (UTC). */
export function lastDays(days: number, now = Date.now()): Pick<ComplianceParams, "fromDate" | "toDate"> {
  return { fromDate: isoDate(now - (days - 1) * DAY_MS), toDate: isoDate(now) };
}

/** The API's half-open period: from the first day's midnight to the midnight after the last day (UTC). */
export function toComplianceQuery(params: ComplianceParams): ComplianceQuery {
  const toTime = Date.parse(`${params.toDate}T00:00:00Z`) + DAY_MS;
  return {
    from: `${params.fromDate}T00:00:00Z`,
    to: new Date(toTime).toISOString().replace(".000Z", "Z"),
    ...(params.catalogId ? { catalogId: params.catalogId } : {}),
  };
}

export const DEFAULT_PERIOD_DAYS = 30;

/** Reads the period and catalog from the URL (`from`, `to`, `catalogId`), the last 30 days by default. */
export function readComplianceParams(searchParams: URLSearchParams, now = Date.now()): ComplianceParams {
  const fallback = lastDays(DEFAULT_PERIOD_DAYS, now);
  const from = searchParams.get("from");
  const to = searchParams.get("to");
  const isValid = isDate(from) && isDate(to) && from <= to;
  return {
    fromDate: isValid ? from : fallback.fromDate,
    toDate: isValid ? to : fallback.toDate,
    catalogId: searchParams.get("catalogId") || undefined,
  };
}

/** The roll-up's period and catalog kept in the URL, beside the requirement list's own parameters. */
export function useComplianceParams() {
  const [searchParams, setSearchParams] = useSearchParams();
  const params = useMemo(() => readComplianceParams(searchParams), [searchParams]);
  const update = useCallback(
    (changes: Partial<ComplianceParams>) =>
      setSearchParams(
        (current) =>
          patchSearchParams(current, {
            ...("fromDate" in changes ? { from: changes.fromDate } : {}),
            ...("toDate" in changes ? { to: changes.toDate } : {}),
            ...("catalogId" in changes ? { catalogId: changes.catalogId } : {}),
          }),
        // Rendered at once, as useListParams does, so a second change merges into the first rather than dropping it.
        { replace: true, flushSync: true },
      ),
    [setSearchParams],
  );
  return { params, query: useMemo(() => toComplianceQuery(params), [params]), update };
}
