import {
  PointAcknowledgementSchema,
  PointCommentListSchema,
  PointCommentSchema,
  PointPageSchema,
  type Point,
  type PointAcknowledgement,
  type PointComment,
} from "@status/shared";
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { useHandlingChanged } from "./control-exceptions.ts";
import { handlingKeys } from "./handling-keys.ts";

const pointPath = (pointId: string) => `/points/${encodeURIComponent(pointId)}`;

/** The most failing points the control page lists for handling, newest window first. */
export const FAILING_POINT_LIMIT = 50;

/** A control's failing points with their handling, newest window first. */
export async function getFailingPoints(controlId: string, signal?: AbortSignal): Promise<Point[]> {
  const response = await apiClient.get("/points", {
    params: { controlId, result: "fail", sort: "-windowStart", pageSize: String(FAILING_POINT_LIMIT) },
    signal,
  });
  return PointPageSchema.parse(response.data).items;
}

export function useFailingPoints(controlId: string) {
  return useQuery(
    queryOptions({
      queryKey: handlingKeys.failingPoints(controlId),
      queryFn: ({ signal }) => getFailingPoints(controlId, signal),
    }),
  );
}

export async function getPointComments(pointId: string, signal?: AbortSignal): Promise<PointComment[]> {
  const response = await apiClient.get(`${pointPath(pointId)}/comments`, { signal });
  return PointCommentListSchema.parse(response.data).items;
}

export function usePointComments(pointId: string) {
  return useQuery(
    queryOptions({
      queryKey: handlingKeys.comments(pointId),
      queryFn: ({ signal }) => getPointComments(pointId, signal),
    }),
  );
}

/** DEVELOPER or ADMIN; comments are never edited. */
export async function addComment(pointId: string, body: string): Promise<PointComment> {
  const response = await apiClient.post(`${pointPath(pointId)}/comments`, { body });
  return PointCommentSchema.parse(response.data);
}

/** DEVELOPER or ADMIN; a point is acknowledged once. */
export async function acknowledgePoint(pointId: string): Promise<PointAcknowledgement> {
  const response = await apiClient.post(`${pointPath(pointId)}/acknowledge`);
  return PointAcknowledgementSchema.parse(response.data);
}

export function useAddComment(point: Pick<Point, "id" | "controlId">, onHandled?: () => void) {
  const queryClient = useQueryClient();
  const changed = useHandlingChanged(point.controlId, onHandled);
  return useMutation({
    mutationFn: (body: string) => addComment(point.id, body),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: handlingKeys.comments(point.id) });
      changed();
    },
  });
}

export function useAcknowledgePoint(point: Pick<Point, "id" | "controlId">, onHandled?: () => void) {
  const changed = useHandlingChanged(point.controlId, onHandled);
  return useMutation({ mutationFn: () => acknowledgePoint(point.id), onSuccess: changed });
}
