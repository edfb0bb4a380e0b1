import type { SoaRow } from "@status/shared";
import { Badge } from "@/components/ui/badge.tsx";
import { formatDateTime } from "@/lib/format.ts";

type SoaControl = SoaRow["controls"][number];

const STATES = {
  pass: { tone: "success", mark: "✓", label: "Passing" },
  fail: { tone: "danger", mark: "✕", label: "Failing" },
  not_applicable: { tone: "neutral", mark: "–", label: "Not applicable" },
  "not-evaluated": { tone: "neutral", mark: "○", label: "Not yet evaluated" },
} as const;

/** A mapped control's current state (newest point of any scope), with a mark besides the colour. */
export function SoaStateBadge({ state }: { state: SoaControl["state"] }) {
  const { tone, mark, label } = STATES[state];
  return (
    <Badge tone={tone}>
      <span aria-hidden="true">{mark}&nbsp;</span>
      {label}
    </Badge>
  );
}

/** The controls behind a requirement: name, catalog, relationship, state and last evaluation. */
export function SoaControls({ controls }: { controls: SoaControl[] }) {
  if (controls.length === 0)
    return <span className="text-xs text-zinc-500 dark:text-zinc-400">No mapped controls</span>;
  return (
    <ul className="space-y-1.5">
      {controls.map((control) => (
        <li key={control.controlId} className="text-xs">
          <div className="flex flex-wrap items-center gap-1.5">
            <span className="font-medium text-zinc-900 dark:text-zinc-100">{control.controlName}</span>
            <SoaStateBadge state={control.state} />
          </div>
          <div className="text-zinc-500 dark:text-zinc-400">
            {control.catalogName} · {control.relationship} · last evaluated {formatDateTime(control.lastEvaluatedAt)}
          </div>
        </li>
      ))}
    </ul>
  );
}
