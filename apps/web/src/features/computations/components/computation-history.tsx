import {
  ComputationListQuerySchema,
  ComputationResultFilterSchema,
  type ComputationListQuery,
  type ComputationResultFilter,
} from "@status/shared";
import { useMemo, useState } from "react";
import { Button } from "@/components/ui/button.tsx";
import { PagedList } from "@/components/ui/paged-list.tsx";
import { SelectFilter } from "@/components/ui/select-filter.tsx";
import { useListParams } from "@/lib/use-list-params.ts";
import { scopeFilterOf, scopeLabelOf, useComputationScopes } from "../api/get-computation-scopes.ts";
import { aroundOf, useControlComputations } from "../api/get-control-computations.ts";
import { useEvidenceDeclaration } from "../api/get-evidence-declaration.ts";
import { useEvidenceParams } from "../hooks/use-evidence-params.ts";
import { ComputationsTable } from "./computations-table.tsx";
import type { EvidenceExplanation } from "./evidences-table.tsx";

const RESULT_LABELS: Record<ComputationResultFilter, string> = {
  pass: "Pass",
  fail: "Fail",
  not_applicable: "Not applicable",
  error: "Error (run failed)",
};
const RESULT_OPTIONS = ComputationResultFilterSchema.options.map((value) => ({ value, label: RESULT_LABELS[value] }));

const STATUS_OPTIONS = [
  { value: "ready", label: "Ready" },
  { value: "pending", label: "Pending" },
  { value: "failed", label: "Failed" },
] as const;

interface ComputationHistoryProps {
  controlId: string;
  /** The control's mashup, whose evidence declaration explains each evidence; null when it has none. */
  mashupId?: string | null | undefined;
  /** The control's parameters, which the declared rules compare with. */
  params?: Readonly<Record<string, unknown>> | undefined;
  /** The catalog's time zone, where windows open and close; the viewer's when unknown. */
  timeZone?: string | undefined;
}

/** The mashup's declaration with the control's parameters over the mashup's defaults; undefined without one. */
function useExplanation(mashupId: string | null, params: Readonly<Record<string, unknown>>) {
  const declarationQuery = useEvidenceDeclaration(mashupId);
  return useMemo((): EvidenceExplanation | undefined => {
    const declaration = declarationQuery.data;
    if (!declaration || declaration.evidence.length === 0) return undefined;
    const defaults = Object.fromEntries(declaration.inputs.map((input) => [input.name, input.default]));
    return { declarations: declaration.evidence, params: { ...defaults, ...params } };
  }, [declarationQuery.data, params]);
}

/**
 * A control's computations, newest window first, paginated, filtered (result, scope, status) and sorted through the
 * URL, each opening its evidence. A link to one computation (`?computation=`) opens the page that holds it.
 */
export function ComputationHistory({ controlId, mashupId = null, params = {}, timeZone }: ComputationHistoryProps) {
  const { query, update } = useListParams(ComputationListQuerySchema);
  const evidence = useEvidenceParams();
  // Until the viewer pages, filters or sorts, the history shows the page holding the linked computation.
  const [around, setAround] = useState(() => aroundOf(query, evidence.computationId));
  const change = (changes: Partial<ComputationListQuery>) => {
    setAround(undefined);
    update(changes);
  };
  const computationsQuery = useControlComputations(controlId, around ? { ...query, around } : query);
  const scopesQuery = useComputationScopes(controlId);
  const explanation = useExplanation(mashupId, params);
  const isFiltered = Boolean(query.status || query.result || query.scope || query.page > 1);
  const scopeOptions = (scopesQuery.data?.items ?? []).map((item) => ({
    value: scopeFilterOf(item.scope),
    label: `${scopeLabelOf(item.scope)} (${item.count.toLocaleString()})`,
  }));
  if (query.scope && !scopeOptions.some((option) => option.value === query.scope))
    scopeOptions.push({ value: query.scope, label: query.scope });

  return (
    <section aria-labelledby="computation-history-heading">
      <div className="mb-3 flex flex-wrap items-end justify-between gap-3">
        <h2 id="computation-history-heading" className="text-lg font-semibold">
          Computation history
        </h2>
        <div className="flex flex-wrap items-end gap-3">
          <SelectFilter
            label="Result"
            value={query.result}
            anyLabel="All results"
            options={RESULT_OPTIONS}
            onChange={(result) => change({ result })}
            className="w-40"
          />
          <SelectFilter
            label="Scope"
            value={query.scope}
            anyLabel="All scopes"
            options={scopeOptions}
            onChange={(scope) => change({ scope })}
            className="w-56"
          />
          <SelectFilter
            label="Status"
            value={query.status}
            anyLabel="All statuses"
            options={STATUS_OPTIONS}
            onChange={(status) => change({ status })}
            className="w-36"
          />
        </div>
      </div>
      <PagedList
        query={computationsQuery}
        loadingLabel="Loading computations"
        errorTitle="The computations could not be loaded"
        empty={{
          title: isFiltered ? "No computations match" : "No computations yet",
          body: isFiltered ? (
            <Button
              variant="secondary"
              size="sm"
              onClick={() => change({ status: undefined, result: undefined, scope: undefined, page: 1 })}
            >
              Clear filters
            </Button>
          ) : (
            <p>Run the control to compute its latest closed window.</p>
          ),
        }}
        onPageChange={(page) => change({ page })}
      >
        {(computations, isUpdating) => (
          <ComputationsTable
            computations={computations}
            isUpdating={isUpdating}
            openComputationId={evidence.computationId}
            onToggle={evidence.openComputation}
            evidenceResult={evidence.result}
            onEvidenceResultChange={evidence.setResult}
            sort={query.sort}
            onSort={(sort) => change({ sort })}
            explanation={explanation}
            scrollToId={around}
            timeZone={timeZone}
          />
        )}
      </PagedList>
    </section>
  );
}
