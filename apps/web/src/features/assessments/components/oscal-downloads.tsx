import type { AssessmentPeriodQuery } from "@status/shared";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { downloadJson } from "@/lib/download-json.ts";
import { useOscalExport, type OscalDocumentKind } from "../api/period-exports.ts";
import type { ResolvedPeriod } from "../utils/period.ts";

const DOCUMENTS: { kind: OscalDocumentKind; label: string }[] = [
  { kind: "assessment-results", label: "Assessment results" },
  { kind: "poam", label: "POA&M" },
  { kind: "assessment-plan", label: "Assessment plan" },
];

/** Saves the period's OSCAL 1.2.1 documents as JSON files, named after the catalog's id and the period's days. */
export function OscalDownloads({ catalogId, period }: { catalogId: string; period: ResolvedPeriod | null }) {
  const oscalExport = useOscalExport(catalogId);
  const pending = oscalExport.isPending ? oscalExport.variables.kind : null;
  const save = (kind: OscalDocumentKind, query: AssessmentPeriodQuery, days: string) =>
    oscalExport.mutate(
      { kind, period: query },
      { onSuccess: (document) => downloadJson(`${kind}-${catalogId}-${days}.json`, document) },
    );
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-2">
        {DOCUMENTS.map(({ kind, label }) => (
          <Button
            key={kind}
            variant="secondary"
            size="sm"
            disabled={period === null || (pending !== null && pending !== kind)}
            isLoading={pending === kind}
            onClick={() => period && save(kind, period.query, `${period.firstDay}_${period.lastDay}`)}
          >
            {label} (JSON)
          </Button>
        ))}
      </div>
      {oscalExport.error && <Alert title="The OSCAL document could not be exported">{oscalExport.error.message}</Alert>}
    </div>
  );
}
