import type { ComputationRecording } from "@status/shared";
import { Badge } from "@/components/ui/badge.tsx";

const RECORDING = {
  recorded: { label: "Recorded", tone: "success", title: "It made a guarantee point in the control's chain" },
  draft: { label: "Draft · not recorded", tone: "warning", title: "A draft's run: evaluated, never recorded" },
  provisional: {
    label: "Provisional · not recorded",
    tone: "warning",
    title: "The window had not closed yet: the result makes no guarantee point",
  },
  not_recorded: {
    label: "Not recorded",
    tone: "neutral",
    title: "No guarantee point: pending, failed, or already recorded",
  },
} as const;

/** Whether the computation is part of the record (a guarantee point) or only an evaluation. */
export function RecordingBadge({ recording }: { recording: ComputationRecording }) {
  const { label, tone, title } = RECORDING[recording];
  return (
    <span title={title}>
      <Badge tone={tone}>{label}</Badge>
    </span>
  );
}
