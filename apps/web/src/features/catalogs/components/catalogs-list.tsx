import { CatalogListQuerySchema } from "@status/shared";
import { Button } from "@/components/ui/button.tsx";
import { PagedList } from "@/components/ui/paged-list.tsx";
import { useListParams } from "@/lib/use-list-params.ts";
import { useCatalogs } from "../api/get-catalogs.ts";
import { CatalogsTable } from "./catalogs-table.tsx";
import { CatalogsToolbar } from "./catalogs-toolbar.tsx";

/** Searchable, filterable, paginated catalogs; all of that state lives in the URL. */
export function CatalogsList() {
  const { query, update } = useListParams(CatalogListQuerySchema);
  const catalogsQuery = useCatalogs(query);
  const isFiltered = Boolean(query.q || query.status || query.archived !== "false" || query.page > 1);

  return (
    <section aria-label="Catalogs">
      <CatalogsToolbar query={query} onChange={update} />
      <PagedList
        query={catalogsQuery}
        loadingLabel="Loading catalogs"
        errorTitle="The catalogs could not be loaded"
        empty={{
          title: isFiltered ? "No catalogs match these filters" : "No catalogs yet",
          body: isFiltered ? (
            <Button
              variant="secondary"
              size="sm"
              onClick={() => update({ q: undefined, status: undefined, archived: "false", page: 1 })}
            >
              Clear filters
            </Button>
          ) : (
            <p>Catalogs group the controls that STATUS evaluates.</p>
          ),
        }}
        onPageChange={(page) => update({ page })}
      >
        {(catalogs, isUpdating) => <CatalogsTable catalogs={catalogs} isUpdating={isUpdating} />}
      </PagedList>
    </section>
  );
}
