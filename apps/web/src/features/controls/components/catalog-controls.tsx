import { Alert } from "../../../components/ui/alert.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { EmptyState } from "../../../components/ui/empty-state.tsx";
import { Pagination } from "../../../components/ui/pagination.tsx";
import { PageSpinner } from "../../../components/ui/spinner.tsx";
import { useCatalogControls } from "../api/get-catalog-controls.ts";
import { useControlListParams } from "../hooks/use-control-list-params.ts";
import { ControlsTable } from "./controls-table.tsx";

/** The controls of one catalog, paginated through the URL. */
export function CatalogControls({ catalogId }: { catalogId: string }) {
  const { query, update } = useControlListParams();
  const controlsQuery = useCatalogControls(catalogId, query);

  return (
    <section aria-labelledby="catalog-controls-heading">
      <h2 id="catalog-controls-heading" className="mb-3 text-lg font-semibold">
        Controls
      </h2>
      {controlsQuery.isPending && <PageSpinner label="Loading controls" />}
      {controlsQuery.isError && !controlsQuery.data && (
        <Alert title="The controls could not be loaded">
          <p>{controlsQuery.error.message}</p>
          <Button variant="secondary" size="sm" className="mt-3" onClick={() => void controlsQuery.refetch()}>
            Try again
          </Button>
        </Alert>
      )}
      {controlsQuery.data?.items.length === 0 && (
        <EmptyState title={query.page > 1 ? "No controls on this page" : "This catalog has no controls yet"}>
          {query.page > 1 && (
            <Button variant="secondary" size="sm" onClick={() => update({ page: 1 })}>
              Go to the first page
            </Button>
          )}
        </EmptyState>
      )}
      {controlsQuery.data && controlsQuery.data.items.length > 0 && (
        <div className="space-y-4">
          <ControlsTable controls={controlsQuery.data.items} isUpdating={controlsQuery.isPlaceholderData} />
          <Pagination
            page={controlsQuery.data.page}
            pageSize={controlsQuery.data.pageSize}
            total={controlsQuery.data.total}
            onPageChange={(page) => update({ page })}
          />
        </div>
      )}
    </section>
  );
}
