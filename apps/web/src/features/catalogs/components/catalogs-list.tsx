import { CatalogListQuerySchema } from "@status/shared";
import { Button } from "@/components/ui/button.tsx";
import { EmptyState } from "@/components/ui/empty-state.tsx";
import { LoadError } from "@/components/ui/load-error.tsx";
import { Pagination } from "@/components/ui/pagination.tsx";
import { PageSpinner } from "@/components/ui/spinner.tsx";
import { useListParams } from "@/lib/use-list-params.ts";
import { useCatalogs } from "../api/get-catalogs.ts";
import { CatalogsTable } from "./catalogs-table.tsx";
import { CatalogsToolbar } from "./catalogs-toolbar.tsx";

/** Searchable, filterable, paginated catalogs; all of that state lives in the URL. */
export function CatalogsList() {
  const { query, update } = useListParams(CatalogListQuerySchema);
  const catalogsQuery = useCatalogs(query);
  const isFiltered = Boolean(query.q || query.status || query.page > 1);

  return (
    <section aria-label="Catalogs">
      <CatalogsToolbar query={query} onChange={update} />
      {catalogsQuery.isPending && <PageSpinner label="Loading catalogs" />}
      {catalogsQuery.isError && !catalogsQuery.data && (
        <LoadError
          title="The catalogs could not be loaded"
          error={catalogsQuery.error}
          onRetry={() => void catalogsQuery.refetch()}
        />
      )}
      {catalogsQuery.data?.items.length === 0 && (
        <EmptyState title={isFiltered ? "No catalogs match these filters" : "No catalogs yet"}>
          {isFiltered ? (
            <Button variant="secondary" size="sm" onClick={() => update({ q: undefined, status: undefined, page: 1 })}>
              Clear filters
            </Button>
          ) : (
            <p>Catalogs group the controls that STATUS evaluates.</p>
          )}
        </EmptyState>
      )}
      {catalogsQuery.data && catalogsQuery.data.items.length > 0 && (
        <div className="space-y-4">
          <CatalogsTable catalogs={catalogsQuery.data.items} isUpdating={catalogsQuery.isPlaceholderData} />
          <Pagination
            page={catalogsQuery.data.page}
            pageSize={catalogsQuery.data.pageSize}
            total={catalogsQuery.data.total}
            onPageChange={(page) => update({ page })}
          />
        </div>
      )}
    </section>
  );
}
