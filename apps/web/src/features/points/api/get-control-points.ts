import { PointPageSchema, type PointListQuery } from "@status/shared";
import { queryOptions, useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import { apiClient } from "@/lib/api-client.ts";
import { toRequestParams } from "@/lib/search-params.ts";
import { pointKeys } from "./point-keys.ts";

export type PointPage = z.infer<typeof PointPageSchema>;

/** The most points one request may return (the API's page size limit). */
export const TIMELINE_POINT_LIMIT = 200;

/**
 * The control's latest guarantee points, oldest first for drawing. Asked for newest first, so that a control with
 * more points than one page shows its recent history rather than its oldest.
 */
export async function getControlPoints(controlId: string, signal?: AbortSignal): Promise<PointPage> {
  const query: Partial<PointListQuery> = { controlId, pageSize: TIMELINE_POINT_LIMIT, sort: "-windowStart" };
  const response = await apiClient.get("/points", { params: toRequestParams(query), signal });
  const page = PointPageSchema.parse(response.data);
  return { ...page, items: [...page.items].reverse() };
}

export function getControlPointsQueryOptions(controlId: string) {
  return queryOptions({
    queryKey: pointKeys.controlTimeline(controlId),
    queryFn: ({ signal }) => getControlPoints(controlId, signal),
  });
}

export function useControlPoints(controlId: string) {
  return useQuery(getControlPointsQueryOptions(controlId));
}
