import { Alert } from "../../../components/ui/alert.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { EmptyState } from "../../../components/ui/empty-state.tsx";
import { Select } from "../../../components/ui/input.tsx";
import { Pagination } from "../../../components/ui/pagination.tsx";
import { PageSpinner } from "../../../components/ui/spinner.tsx";
import { useControlComputations } from "../api/get-control-computations.ts";
import { useComputationListParams } from "../hooks/use-computation-list-params.ts";
import { useEvidenceParams } from "../hooks/use-evidence-params.ts";
import { ComputationsTable } from "./computations-table.tsx";

const STATUS_OPTIONS = [
  { value: "ready", label: "Ready" },
  { value: "pending", label: "Pending" },
  { value: "failed", label: "Failed" },
] as const;

interface ComputationHistoryProps {
  controlId: string;
  /** The catalog's time zone, where windows open and close; the viewer's when unknown. */
  timeZone?: string | undefined;
}

/** A control's computations, newest window first, paginated and filtered through the URL, each opening its evidence. */
export function ComputationHistory({ controlId, timeZone }: ComputationHistoryProps) {
  const { query, update } = useComputationListParams();
  const evidence = useEvidenceParams();
  const computationsQuery = useControlComputations(controlId, query);
  const isFiltered = Boolean(query.status || query.page > 1);

  return (
    <section aria-labelledby="computation-history-heading">
      <div className="mb-3 flex flex-wrap items-end justify-between gap-3">
        <h2 id="computation-history-heading" className="text-lg font-semibold">
          Computation history
        </h2>
        <label className="block text-sm">
          <span className="mb-1 block font-medium">Status</span>
          <Select
            value={query.status ?? ""}
            onChange={(event) => update({ status: STATUS_OPTIONS.find((option) => option.value === event.target.value)?.value })}
            className="w-40"
          >
            <option value="">All statuses</option>
            {STATUS_OPTIONS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </Select>
        </label>
      </div>
      {computationsQuery.isPending && <PageSpinner label="Loading computations" />}
      {computationsQuery.isError && !computationsQuery.data && (
        <Alert title="The computations could not be loaded">
          <p>{computationsQuery.error.message}</p>
          <Button variant="secondary" size="sm" className="mt-3" onClick={() => void computationsQuery.refetch()}>
            Try again
          </Button>
        </Alert>
      )}
      {computationsQuery.data?.items.length === 0 && (
        <EmptyState title={isFiltered ? "No computations match" : "No computations yet"}>
          {isFiltered ? (
            <Button variant="secondary" size="sm" onClick={() => update({ status: undefined, page: 1 })}>
              Clear filters
            </Button>
          ) : (
            <p>Run the control to compute its latest closed window.</p>
          )}
        </EmptyState>
      )}
      {computationsQuery.data && computationsQuery.data.items.length > 0 && (
        <div className="space-y-4">
          <ComputationsTable
            computations={computationsQuery.data.items}
            isUpdating={computationsQuery.isPlaceholderData}
            openComputationId={evidence.computationId}
            onToggle={evidence.openComputation}
            evidenceResult={evidence.result}
            onEvidenceResultChange={evidence.setResult}
            timeZone={timeZone}
          />
          <Pagination
            page={computationsQuery.data.page}
            pageSize={computationsQuery.data.pageSize}
            total={computationsQuery.data.total}
            onPageChange={(page) => update({ page })}
          />
        </div>
      )}
    </section>
  );
}
