import { PersonListSchema, type Person } from "@status/shared";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { handlingKeys } from "./handling-keys.ts";

/** Enabled users to pick as an owner, a watcher or an approver (at most 50, by username). */
export async function getPeople(q: string, signal?: AbortSignal): Promise<Person[]> {
  const response = await apiClient.get("/people", { params: q ? { q } : {}, signal });
  return PersonListSchema.parse(response.data).items;
}

export function getPeopleQueryOptions(q: string) {
  return queryOptions({ queryKey: handlingKeys.people(q), queryFn: ({ signal }) => getPeople(q, signal) });
}

export function usePeople(q: string, options: { enabled?: boolean } = {}) {
  return useQuery({ ...getPeopleQueryOptions(q), enabled: options.enabled ?? true });
}
