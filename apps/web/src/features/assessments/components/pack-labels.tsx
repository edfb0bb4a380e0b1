import type { EvidencePack } from "@status/shared";
import { Badge } from "@/components/ui/badge.tsx";

/** What the worker is doing, by the stage the API reports (unknown stages are shown as they come). */
const STAGE_LABELS: Record<string, string> = {
  starting: "Starting",
  points: "Collecting the points and their evidence",
  oscal: "Writing the OSCAL documents",
  report: "Drawing the period report",
  zip: "Compressing and signing",
  done: "Done",
  failed: "Failed",
};

export function packStageText(pack: EvidencePack): string {
  if (pack.status === "queued") return "Waiting for a worker";
  return STAGE_LABELS[pack.stage] ?? pack.stage;
}

const STATUS = {
  queued: { tone: "neutral", label: "Queued" },
  running: { tone: "info", label: "Building" },
  done: { tone: "success", label: "Done" },
  failed: { tone: "danger", label: "Failed" },
  // Past its retention period: the row and its digests stay, the ZIP is gone.
  expired: { tone: "neutral", label: "Expired" },
} as const satisfies Record<EvidencePack["status"], { tone: string; label: string }>;

export function PackStatusBadge({ status }: { status: EvidencePack["status"] }) {
  return <Badge tone={STATUS[status].tone}>{STATUS[status].label}</Badge>;
}
