import type { RequirementStatus } from "@status/shared";

/** Each state has a word and a symbol besides its colour, so it never rests on colour alone. */
export const REQUIREMENT_STATUS: Record<
  RequirementStatus,
  { label: string; symbol: string; tone: "success" | "danger" | "neutral" }
> = {
  satisfied: { label: "Satisfied", symbol: "✓", tone: "success" },
  "not-satisfied": { label: "Not satisfied", symbol: "✗", tone: "danger" },
  "not-assessed": { label: "Not assessed", symbol: "–", tone: "neutral" },
};

export const MAPPED_CONTROL_STATUS_LABELS = {
  pass: "Passed",
  fail: "Failed",
  "not-evaluated": "Not evaluated",
} as const;

export const RELATIONSHIP_LABELS = {
  "equivalent-to": "Equivalent to",
  "subset-of": "Subset of",
  "superset-of": "Superset of",
  "intersects-with": "Intersects with",
} as const;
