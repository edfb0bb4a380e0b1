import { RunListQuerySchema, type Run } from "@status/shared";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { PagedList } from "@/components/ui/paged-list.tsx";
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
      <PagedList
        query={runsQuery}
        loadingLabel="Loading runs"
        errorTitle="The runs could not be loaded"
        empty={{
          title: isFiltered ? "No runs match these filters" : "No runs yet",
          body: isFiltered ? (
            <Button
              variant="secondary"
              size="sm"
              onClick={() => update({ status: undefined, trigger: undefined, controlId: undefined, page: 1 })}
            >
              Clear filters
            </Button>
          ) : (
            <p>Runs appear here when a control is run by hand, on its schedule or for a past range.</p>
          ),
        }}
        onPageChange={(page) => update({ page })}
      >
        {(runs, isUpdating) => (
          <RunsTable
            runs={runs}
            isUpdating={isUpdating}
            controlHref={controlHref}
            onFilterByControl={(run) => update({ controlId: run.controlId })}
            onCancel={(run) => cancelMutation.mutate(run.id)}
            cancellingRunId={cancelMutation.isPending ? (cancelMutation.variables ?? null) : null}
          />
        )}
      </PagedList>
    </section>
  );
}
