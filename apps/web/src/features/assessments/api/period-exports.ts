import { OscalExportSchema, type AssessmentPeriodQuery, type OscalExport } from "@status/shared";
import { skipToken, useMutation, useQuery } from "@tanstack/react-query";
import { z } from "zod";
import { API_BASE_URL, apiClient } from "@/lib/api-client.ts";
import { assessmentKeys } from "./assessment-keys.ts";

/** The OSCAL documents of a catalog's period, by the last segment of their path. */
export type OscalDocumentKind = "assessment-results" | "assessment-plan" | "poam";

export async function getOscalExport(
  catalogId: string,
  kind: OscalDocumentKind,
  period: AssessmentPeriodQuery,
): Promise<OscalExport> {
  const response = await apiClient.get(`/catalogs/${encodeURIComponent(catalogId)}/oscal/${kind}`, {
    params: period,
  });
  return OscalExportSchema.parse(response.data);
}

/** Exports are fetched on demand (a click), not cached: each is a fresh document to save. */
export function useOscalExport(catalogId: string) {
  return useMutation({
    mutationFn: ({ kind, period }: { kind: OscalDocumentKind; period: AssessmentPeriodQuery }) =>
      getOscalExport(catalogId, kind, period),
  });
}

/** The period report as standalone HTML, fetched with the session (and its refresh) for the sandboxed preview. */
export async function getPeriodReportHtml(
  catalogId: string,
  period: AssessmentPeriodQuery,
  signal?: AbortSignal,
): Promise<string> {
  // No `responseType: "text"`: axios then parses a problem+json answer as JSON, so a 401 still refreshes the session.
  const response = await apiClient.get<unknown>(`/catalogs/${encodeURIComponent(catalogId)}/report`, {
    params: { ...period, format: "html" },
    headers: { Accept: "text/html, application/problem+json" },
    signal,
  });
  return z.string().parse(response.data);
}

/** Asked for only once the preview is wanted and the period is valid (null: not yet). */
export function usePeriodReportHtml(catalogId: string, period: AssessmentPeriodQuery | null) {
  return useQuery({
    queryKey: [...assessmentKeys.reports(catalogId), period],
    queryFn: period ? ({ signal }) => getPeriodReportHtml(catalogId, period, signal) : skipToken,
  });
}

/** A plain link: the browser saves the PDF as the API streams it. */
export function periodReportPdfUrl(catalogId: string, period: AssessmentPeriodQuery): string {
  const query = new URLSearchParams({ from: period.from, to: period.to, format: "pdf" });
  return `${API_BASE_URL}/catalogs/${encodeURIComponent(catalogId)}/report?${query.toString()}`;
}
