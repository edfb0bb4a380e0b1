import { EventListSchema, type EventList } from "@status/shared";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { notificationKeys } from "./notification-keys.ts";

/** The last week's state-change events, newest first (the bell). */
export async function getRecentEvents(signal?: AbortSignal): Promise<EventList> {
  const response = await apiClient.get("/events", { params: { limit: "20" }, signal });
  return EventListSchema.parse(response.data);
}

export function getRecentEventsQueryOptions() {
  return queryOptions({
    queryKey: notificationKeys.events(),
    queryFn: ({ signal }) => getRecentEvents(signal),
    refetchInterval: 60_000,
  });
}

export function useRecentEvents() {
  return useQuery(getRecentEventsQueryOptions());
}
