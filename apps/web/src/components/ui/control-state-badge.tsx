import type { ControlStateValue } from "@status/shared";
import { Badge } from "./badge.tsx";

export const CONTROL_STATE_LABELS: Record<ControlStateValue, string> = {
  passing: "Passing",
  failing: "Failing",
  stale: "Stale",
  not_evaluated: "Not yet evaluated",
  not_applicable: "Not applicable",
};

const TONES = {
  passing: "success",
  failing: "danger",
  stale: "warning",
  not_evaluated: "neutral",
  not_applicable: "neutral",
} as const;

/** A mark besides the colour, so the state reads without it. */
const MARKS: Record<ControlStateValue, string> = {
  passing: "✓",
  failing: "✕",
  stale: "⏱",
  not_evaluated: "○",
  not_applicable: "–",
};

/**
 * A control's one state (passing, failing, stale, not yet evaluated, not applicable), the same badge on every page;
 * run and computation states are shown beside it, never instead of it.
 */
export function ControlStateBadge({ state }: { state: ControlStateValue }) {
  return (
    <Badge tone={TONES[state]}>
      <span aria-hidden="true">{MARKS[state]}&nbsp;</span>
      <span>{CONTROL_STATE_LABELS[state]}</span>
    </Badge>
  );
}
