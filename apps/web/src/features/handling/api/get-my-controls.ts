import { MyControlListSchema, type MyControl } from "@status/shared";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { handlingKeys } from "./handling-keys.ts";

/** The controls the signed-in user owns or watches, with their state now. */
export async function getMyControls(signal?: AbortSignal): Promise<MyControl[]> {
  const response = await apiClient.get("/me/controls", { signal });
  return MyControlListSchema.parse(response.data).items;
}

export function getMyControlsQueryOptions() {
  return queryOptions({ queryKey: handlingKeys.myControls(), queryFn: ({ signal }) => getMyControls(signal) });
}

export function useMyControls() {
  return useQuery(getMyControlsQueryOptions());
}
