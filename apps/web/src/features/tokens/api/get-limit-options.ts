import { CatalogPageSchema, ControlPageSchema, MAX_PAGE_SIZE } from "@status/shared";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { tokenKeys } from "./token-keys.ts";

export interface LimitOption {
  id: string;
  label: string;
}

/**
 * What a token can be limited to: the catalogs and controls the user sees (the first MAX_PAGE_SIZE of each, by name),
 * each control labelled with its catalog.
 */
export async function getLimitOptions(
  signal?: AbortSignal,
): Promise<{ catalogs: LimitOption[]; controls: LimitOption[] }> {
  const params = { pageSize: MAX_PAGE_SIZE };
  const [catalogs, controls] = await Promise.all([
    apiClient.get("/catalogs", { params, signal }).then((response) => CatalogPageSchema.parse(response.data)),
    apiClient.get("/controls", { params, signal }).then((response) => ControlPageSchema.parse(response.data)),
  ]);
  const catalogNames = new Map(catalogs.items.map((catalog) => [catalog.id, catalog.name]));
  return {
    catalogs: catalogs.items.map((catalog) => ({ id: catalog.id, label: catalog.name })),
    controls: controls.items.map((control) => ({
      id: control.id,
      label: `${catalogNames.get(control.catalogId) ?? "Catalog"} · ${control.name}`,
    })),
  };
}

export function useLimitOptions({ enabled }: { enabled: boolean }) {
  return useQuery({
    ...queryOptions({ queryKey: tokenKeys.limitOptions(), queryFn: ({ signal }) => getLimitOptions(signal) }),
    enabled,
  });
}
