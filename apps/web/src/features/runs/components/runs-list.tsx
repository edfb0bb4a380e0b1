import { RunListQuerySchema, type Run } from "@status/shared";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { EmptyState } from "@/components/ui/empty-state.tsx";
import { LoadError } from "@/components/ui/load-error.tsx";
import { Pagination } from "@/components/ui/pagination.tsx";
import { PageSpinner } from "@/components/ui/spinner.tsx";
import { useListParams } from "@/lib/use-list-params.ts";
import { useCancelRun } from "../api/cancel-run.ts";
import { useRuns } from "../api/get-runs.ts";
import { RunsTable } from "./runs-table.tsx";
import { RunsToolbar } from "./runs-toolbar.tsx";

/** Every run, filtered and paginated through the URL, refreshing itself while some are queued or running. */
export function RunsList({ controlHref }: { controlHref: (run: Run) => string }) {
  const { query, update } = useListParams(RunListQuerySchema);
  const runsQuery = useRuns(query);
  const cancelMutation = useCancelRun();
  const isFiltered = Boolean(query.status || query.trigger || query.controlId || query.page > 1);
  const controlName = runsQuery.data?.items.find((run) => run.controlId === query.controlId)?.controlName;

  return (
    <section aria-label="Runs">
      <RunsToolbar query={query} onChange={update} controlName={controlName} />
      {cancelMutation.isError && (
        <Alert title="The run was not cancelled" className="mb-4">
          {cancelMutation.error.message}
        </Alert>
      )}
      {runsQuery.isPending && <PageSpinner label="Loading runs" />}
      {runsQuery.isError && !runsQuery.data && (
        <LoadError
          title="The runs could not be loaded"
          error={runsQuery.error}
          onRetry={() => void runsQuery.refetch()}
        />
      )}
      {runsQuery.data?.items.length === 0 && (
        <EmptyState title={isFiltered ? "No runs match these filters" : "No runs yet"}>
          {isFiltered ? (
            <Button
              variant="secondary"
              size="sm"
              onClick={() => update({ status: undefined, trigger: undefined, controlId: undefined, page: 1 })}
            >
              Clear filters
            </Button>
          ) : (
            <p>Runs appear here when a control is run by hand, on its schedule or for a past range.</p>
          )}
        </EmptyState>
      )}
      {runsQuery.data && runsQuery.data.items.length > 0 && (
        <div className="space-y-4">
          <RunsTable
            runs={runsQuery.data.items}
            isUpdating={runsQuery.isPlaceholderData}
            controlHref={controlHref}
            onFilterByControl={(run) => update({ controlId: run.controlId })}
            onCancel={(run) => cancelMutation.mutate(run.id)}
            cancellingRunId={cancelMutation.isPending ? (cancelMutation.variables ?? null) : null}
          />
          <Pagination
            page={runsQuery.data.page}
            pageSize={runsQuery.data.pageSize}
            total={runsQuery.data.total}
            onPageChange={(page) => update({ page })}
          />
        </div>
      )}
    </section>
  );
}
