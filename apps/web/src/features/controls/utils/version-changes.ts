import type { ControlVersionChange } from "@status/shared";
import { PERIOD_LABELS } from "./periods.ts";

function show(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function scopeSetLabel(values: unknown): string {
  const entries = Object.entries((values ?? {}) as Record<string, unknown>);
  return entries.length === 0
    ? "the empty scope"
    : entries.map(([name, value]) => `${name} = ${show(value)}`).join(", ");
}

/** The scope sets one version added and removed, by their values. */
function scopeSetChanges(change: ControlVersionChange): string[] {
  const before = (change.before as unknown[] | undefined) ?? [];
  const after = (change.after as unknown[] | undefined) ?? [];
  const key = (values: unknown) => JSON.stringify(values);
  const removed = before.filter((values) => !after.some((other) => key(other) === key(values)));
  const added = after.filter((values) => !before.some((other) => key(other) === key(values)));
  return [
    ...added.map((values) => `Scope set added: ${scopeSetLabel(values)}`),
    ...removed.map((values) => `Scope set removed: ${scopeSetLabel(values)}`),
  ];
}

/** One line per change a version made, as an officer reads it: "Threshold: 80 % → 95 %". */
export function describeVersionChange(change: ControlVersionChange): string[] {
  const { field, before, after } = change;
  if (field === "scopeSets") return scopeSetChanges(change);
  if (field === "period")
    return [
      `Period: ${PERIOD_LABELS[before as keyof typeof PERIOD_LABELS]} → ${PERIOD_LABELS[after as keyof typeof PERIOD_LABELS]}`,
    ];
  if (field === "threshold") return [`Threshold: ${show(before)} % → ${show(after)} %`];
  if (field === "mashupId") return [`Mashup: ${show(before)} → ${show(after)}`];
  const param = field.replace(/^params\./, "");
  if (!("before" in change)) return [`Parameter ${param} added: ${show(after)}`];
  if (!("after" in change)) return [`Parameter ${param} removed (was ${show(before)})`];
  return [`Parameter ${param}: ${show(before)} → ${show(after)}`];
}
