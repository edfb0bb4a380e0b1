import { ComputationListQuerySchema } from "@status/shared";
import { Button } from "@/components/ui/button.tsx";
import { PagedList } from "@/components/ui/paged-list.tsx";
import { SelectFilter } from "@/components/ui/select-filter.tsx";
import { useListParams } from "@/lib/use-list-params.ts";
import { useControlComputations } from "../api/get-control-computations.ts";
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
  const { query, update } = useListParams(ComputationListQuerySchema);
  const evidence = useEvidenceParams();
  const computationsQuery = useControlComputations(controlId, query);
  const isFiltered = Boolean(query.status || query.page > 1);

  return (
    <section aria-labelledby="computation-history-heading">
      <div className="mb-3 flex flex-wrap items-end justify-between gap-3">
        <h2 id="computation-history-heading" className="text-lg font-semibold">
          Computation history
        </h2>
        <SelectFilter
          label="Status"
          value={query.status}
          anyLabel="All statuses"
          options={STATUS_OPTIONS}
          onChange={(status) => update({ status })}
          className="w-40"
        />
      </div>
      <PagedList
        query={computationsQuery}
        loadingLabel="Loading computations"
        errorTitle="The computations could not be loaded"
        empty={{
          title: isFiltered ? "No computations match" : "No computations yet",
          body: isFiltered ? (
            <Button variant="secondary" size="sm" onClick={() => update({ status: undefined, page: 1 })}>
              Clear filters
            </Button>
          ) : (
            <p>Run the control to compute its latest closed window.</p>
          ),
        }}
        onPageChange={(page) => update({ page })}
      >
        {(computations, isUpdating) => (
          <ComputationsTable
            computations={computations}
            isUpdating={isUpdating}
            openComputationId={evidence.computationId}
            onToggle={evidence.openComputation}
            evidenceResult={evidence.result}
            onEvidenceResultChange={evidence.setResult}
            timeZone={timeZone}
          />
        )}
      </PagedList>
    </section>
  );
}
