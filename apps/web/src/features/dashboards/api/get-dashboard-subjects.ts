import { CatalogPageSchema, ControlPageSchema, MAX_PAGE_SIZE } from "@status/shared";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { dashboardKeys } from "./dashboard-keys.ts";

export interface DashboardSubjects {
  catalogs: { id: string; name: string }[];
  controls: { id: string; name: string; catalogId: string }[];
}

/** The catalogs and controls a new dashboard can start on (the first page of each, by name). */
export async function getDashboardSubjects(signal?: AbortSignal): Promise<DashboardSubjects> {
  const params = { pageSize: MAX_PAGE_SIZE, sort: "name" };
  const [catalogs, controls] = await Promise.all([
    apiClient.get("/catalogs", { params, signal }),
    apiClient.get("/controls", { params, signal }),
  ]);
  return {
    catalogs: CatalogPageSchema.parse(catalogs.data).items.map(({ id, name }) => ({ id, name })),
    controls: ControlPageSchema.parse(controls.data).items.map(({ id, name, catalogId }) => ({ id, name, catalogId })),
  };
}

export function useDashboardSubjects({ enabled }: { enabled: boolean }) {
  return useQuery(
    queryOptions({
      queryKey: dashboardKeys.subjects(),
      queryFn: ({ signal }) => getDashboardSubjects(signal),
      enabled,
    }),
  );
}
