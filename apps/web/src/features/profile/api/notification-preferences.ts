import {
  CatalogPageSchema,
  NotificationPreferencesSchema,
  type NotificationPreferences,
  type UpdateNotificationPreferencesBody,
} from "@status/shared";
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import { apiClient } from "@/lib/api-client.ts";
import { profileKeys } from "./profile-keys.ts";

/** The signed-in user's e-mail notification preferences, and whether the server sends e-mail. */
export async function getNotificationPreferences(signal?: AbortSignal): Promise<NotificationPreferences> {
  const response = await apiClient.get("/me/notification-preferences", { signal });
  return NotificationPreferencesSchema.parse(response.data);
}

export function useNotificationPreferences() {
  return useQuery(
    queryOptions({
      queryKey: profileKeys.notificationPreferences(),
      queryFn: ({ signal }) => getNotificationPreferences(signal),
    }),
  );
}

/** Replaces the preferences; the cache takes the server's answer. */
export async function updateNotificationPreferences(
  body: UpdateNotificationPreferencesBody,
): Promise<NotificationPreferences> {
  const response = await apiClient.put("/me/notification-preferences", body);
  return NotificationPreferencesSchema.parse(response.data);
}

export function useUpdateNotificationPreferences() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateNotificationPreferences,
    onSuccess: (saved) => queryClient.setQueryData(profileKeys.notificationPreferences(), saved),
  });
}

type CatalogPage = z.infer<typeof CatalogPageSchema>;

/** The catalogs one can follow (the first 200 by name, archived left out). */
export async function getFollowableCatalogs(signal?: AbortSignal): Promise<CatalogPage> {
  const response = await apiClient.get("/catalogs", { params: { pageSize: 200, sort: "name" }, signal });
  return CatalogPageSchema.parse(response.data);
}

export function useFollowableCatalogs(isEnabled: boolean) {
  return useQuery({
    queryKey: profileKeys.followableCatalogs(),
    queryFn: ({ signal }) => getFollowableCatalogs(signal),
    enabled: isEnabled,
  });
}
