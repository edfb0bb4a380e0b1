import {
  PointExceptionListSchema,
  PointExceptionSchema,
  type CreatePointExceptionBody,
  type PointException,
} from "@status/shared";
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { handlingKeys } from "./handling-keys.ts";

const exceptionsPath = (controlId: string) => `/controls/${encodeURIComponent(controlId)}/exceptions`;

/** A control's exceptions, active and past, newest first. */
export async function getControlExceptions(controlId: string, signal?: AbortSignal): Promise<PointException[]> {
  const response = await apiClient.get(exceptionsPath(controlId), { signal });
  return PointExceptionListSchema.parse(response.data).items;
}

export function getControlExceptionsQueryOptions(controlId: string) {
  return queryOptions({
    queryKey: handlingKeys.exceptions(controlId),
    queryFn: ({ signal }) => getControlExceptions(controlId, signal),
  });
}

export function useControlExceptions(controlId: string) {
  return useQuery(getControlExceptionsQueryOptions(controlId));
}

/** DEVELOPER or ADMIN. */
export async function recordException(controlId: string, body: CreatePointExceptionBody): Promise<PointException> {
  const response = await apiClient.post(exceptionsPath(controlId), body);
  return PointExceptionSchema.parse(response.data);
}

/** DEVELOPER or ADMIN; the exception stays listed as revoked. */
export async function revokeException(controlId: string, exceptionId: string, reason: string): Promise<PointException> {
  const response = await apiClient.post(`${exceptionsPath(controlId)}/${encodeURIComponent(exceptionId)}/revoke`, {
    reason,
  });
  return PointExceptionSchema.parse(response.data);
}

/** Everything handled of a control (its failing points, exceptions, My controls) and the caller's own lists. */
export function useHandlingChanged(controlId: string, onHandled?: () => void) {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: handlingKeys.control(controlId) });
    void queryClient.invalidateQueries({ queryKey: handlingKeys.myControls() });
    onHandled?.();
  };
}

export function useRecordException(controlId: string, onHandled?: () => void) {
  const changed = useHandlingChanged(controlId, onHandled);
  return useMutation({
    mutationFn: (body: CreatePointExceptionBody) => recordException(controlId, body),
    onSuccess: changed,
  });
}

export function useRevokeException(controlId: string, onHandled?: () => void) {
  const changed = useHandlingChanged(controlId, onHandled);
  return useMutation({
    mutationFn: ({ exceptionId, reason }: { exceptionId: string; reason: string }) =>
      revokeException(controlId, exceptionId, reason),
    onSuccess: changed,
  });
}
