import type { RunStatus, RunTrigger } from "@status/shared";
import { Badge } from "@/components/ui/badge.tsx";

export const RUN_STATUS_LABELS: Record<RunStatus, string> = {
  queued: "Queued",
  running: "Running",
  succeeded: "Succeeded",
  failed: "Failed",
  error: "Error",
  cancelled: "Cancelled",
};

const RUN_STATUS_TONES = {
  queued: "neutral",
  running: "info",
  succeeded: "success",
  failed: "danger",
  error: "warning",
  cancelled: "neutral",
} as const;

export const RUN_TRIGGER_LABELS: Record<RunTrigger, string> = {
  manual: "Manual",
  schedule: "Scheduled",
  backfill: "Backfill",
  collector: "Collector",
  push: "Pushed evidence",
};

export function RunStatusBadge({ status }: { status: RunStatus }) {
  return <Badge tone={RUN_STATUS_TONES[status]}>{RUN_STATUS_LABELS[status]}</Badge>;
}
