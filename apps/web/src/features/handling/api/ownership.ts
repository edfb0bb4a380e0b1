import { ControlSchema, type Control } from "@status/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { handlingKeys } from "./handling-keys.ts";

const controlPath = (controlId: string) => `/controls/${encodeURIComponent(controlId)}`;

/** DEVELOPER or ADMIN. */
export async function setOwner(controlId: string, userId: string): Promise<Control> {
  const response = await apiClient.put(`${controlPath(controlId)}/owner`, { userId });
  return ControlSchema.parse(response.data);
}

/** DEVELOPER or ADMIN. */
export async function clearOwner(controlId: string): Promise<void> {
  await apiClient.delete(`${controlPath(controlId)}/owner`);
}

/** Anyone for themself; DEVELOPER or ADMIN for someone else. */
export async function addWatcher(controlId: string, userId: string): Promise<Control> {
  const response = await apiClient.post(`${controlPath(controlId)}/watchers`, { userId });
  return ControlSchema.parse(response.data);
}

export async function removeWatcher(controlId: string, userId: string): Promise<void> {
  await apiClient.delete(`${controlPath(controlId)}/watchers/${encodeURIComponent(userId)}`);
}

/** The change of owner or watchers: `onChanged` refreshes the control (its page owns that query). */
export function useOwnershipChange<T>(mutationFn: (value: T) => Promise<unknown>, onChanged: () => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: () => {
      onChanged();
      void queryClient.invalidateQueries({ queryKey: handlingKeys.myControls() });
    },
  });
}
