import { EvidenceResultSchema, type ComputationDetail, type EvidenceResult } from "@status/shared";
import { useMemo } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { EmptyState } from "@/components/ui/empty-state.tsx";
import { LoadError } from "@/components/ui/load-error.tsx";
import { SelectFilter } from "@/components/ui/select-filter.tsx";
import { PageSpinner, Spinner } from "@/components/ui/spinner.tsx";
import { isApiError } from "@/lib/api-client.ts";
import { formatDateTime } from "@/lib/format.ts";
import { useComputation } from "../api/get-computation.ts";
import { EvidencesTable, type EvidenceExplanation } from "./evidences-table.tsx";
import { EVIDENCE_RESULT_LABELS } from "./result-badges.tsx";

interface ComputationEvidenceProps {
  computationId: string;
  result: EvidenceResult | undefined;
  onResultChange: (result: EvidenceResult | undefined) => void;
  explanation?: EvidenceExplanation | undefined;
  timeZone?: string | undefined;
}

/**
 * The drill-down of one computation: its evidence items, filterable by result; "still computing" while its run works.
 */
export function ComputationEvidence({
  computationId,
  result,
  onResultChange,
  explanation,
  timeZone,
}: ComputationEvidenceProps) {
  const computationQuery = useComputation(computationId);

  if (computationQuery.isPending) return <PageSpinner label="Loading evidence" />;
  if (isApiError(computationQuery.error, "not_found")) {
    return (
      <Alert title="This computation no longer exists">
        It may have been replaced by a newer run of the same window.
      </Alert>
    );
  }
  if (computationQuery.isError) {
    return (
      <LoadError
        title="The evidence could not be loaded"
        error={computationQuery.error}
        onRetry={() => void computationQuery.refetch()}
      />
    );
  }
  if (computationQuery.data.state === "pending") {
    return (
      <Alert variant="info" title="Still computing">
        <p className="flex items-center gap-2">
          <Spinner size="sm" /> The run of this window has not finished; its evidence appears here when it does.
        </p>
      </Alert>
    );
  }
  return (
    <EvidenceList
      computation={computationQuery.data.computation}
      result={result}
      onResultChange={onResultChange}
      explanation={explanation}
      timeZone={timeZone}
    />
  );
}

interface EvidenceListProps {
  computation: ComputationDetail;
  result: EvidenceResult | undefined;
  onResultChange: (result: EvidenceResult | undefined) => void;
  explanation?: EvidenceExplanation | undefined;
  timeZone?: string | undefined;
}

function EvidenceList({ computation, result, onResultChange, explanation, timeZone }: EvidenceListProps) {
  const evidences = useMemo(
    () =>
      [...computation.evidences]
        .sort((a, b) => a.position - b.position)
        .filter((evidence) => !result || evidence.result === result),
    [computation.evidences, result],
  );
  const counts: Record<EvidenceResult, number> = {
    pass: computation.passCount,
    fail: computation.failCount,
    error: computation.errorCount,
    not_applicable: computation.notApplicableCount,
  };
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {computation.evidenceCount.toLocaleString()} evidence items · completed{" "}
          {formatDateTime(computation.completedAt)}
        </p>
        <SelectFilter
          label="Evidence result"
          value={result}
          anyLabel="All results"
          options={EvidenceResultSchema.options.map((option) => ({
            value: option,
            label: `${EVIDENCE_RESULT_LABELS[option]} (${counts[option].toLocaleString()})`,
          }))}
          onChange={onResultChange}
          className="w-48"
        />
      </div>
      {computation.detailPrunedAt ? (
        <Alert variant="info" title="Evidence pruned under the retention policy">
          The {computation.evidenceCount.toLocaleString()} evidence items were removed{" "}
          {formatDateTime(computation.detailPrunedAt)}. The counts above and the point stay, and the point still
          verifies against the evidence digest it keeps.
        </Alert>
      ) : evidences.length === 0 ? (
        <EmptyState title={result ? "No evidence with this result" : "This computation has no evidence"}>
          {result && (
            <Button variant="secondary" size="sm" onClick={() => onResultChange(undefined)}>
              Show all results
            </Button>
          )}
        </EmptyState>
      ) : (
        <EvidencesTable key={result ?? "all"} evidences={evidences} explanation={explanation} timeZone={timeZone} />
      )}
    </div>
  );
}
