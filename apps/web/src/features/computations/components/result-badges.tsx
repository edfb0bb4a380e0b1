import type { Computation, EvidenceResult } from "@status/shared";
import { Badge } from "@/components/ui/badge.tsx";

export const EVIDENCE_RESULT_LABELS: Record<EvidenceResult, string> = {
  pass: "Pass",
  fail: "Fail",
  error: "Error",
  not_applicable: "Not applicable",
};

const EVIDENCE_RESULT_TONES = { pass: "success", fail: "danger", error: "warning", not_applicable: "neutral" } as const;

export function EvidenceResultBadge({ result }: { result: EvidenceResult }) {
  return <Badge tone={EVIDENCE_RESULT_TONES[result]}>{EVIDENCE_RESULT_LABELS[result]}</Badge>;
}

/** The window's verdict; while the computation has none, what it is doing instead. */
export function ComputationResultBadge({ computation }: { computation: Pick<Computation, "result" | "status"> }) {
  if (computation.result) return <EvidenceResultBadge result={computation.result} />;
  if (computation.status === "pending") return <Badge tone="info">Computing</Badge>;
  if (computation.status === "failed") return <Badge tone="danger">No result</Badge>;
  return <Badge>—</Badge>;
}

const STATUS_LABELS: Record<Computation["status"], string> = { pending: "Pending", ready: "Ready", failed: "Failed" };
const STATUS_TONES = { pending: "info", ready: "neutral", failed: "danger" } as const;

export function ComputationStatusBadge({ status }: { status: Computation["status"] }) {
  return <Badge tone={STATUS_TONES[status]}>{STATUS_LABELS[status]}</Badge>;
}
