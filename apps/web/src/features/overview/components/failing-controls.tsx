import type { FailingControl } from "@status/shared";
import { Link } from "react-router";
import { EmptyState } from "@/components/ui/empty-state.tsx";
import { formatPercent, formatWindow } from "@/lib/format.ts";

function scopeLabel(scope: Record<string, unknown>): string {
  const entries = Object.entries(scope);
  return entries.length === 0 ? "" : entries.map(([name, value]) => `${name} = ${String(value)}`).join(", ");
}

/** Controls whose latest point (for a scope) failed, newest window first. */
export function FailingControls({ controls, total }: { controls: FailingControl[]; total: number }) {
  if (controls.length === 0)
    return (
      <EmptyState title="No failing controls">
        Every control's latest point passed, or none was evaluated yet.
      </EmptyState>
    );
  return (
    <div className="space-y-2">
      <ul
        className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900"
        aria-label="Failing controls"
      >
        {controls.map((control) => (
          <li key={`${control.controlId}-${JSON.stringify(control.scope)}`} className="px-4 py-3 text-sm">
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <Link
                to={`/catalogs/${control.catalogId}/controls/${control.controlId}`}
                className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
              >
                {control.controlName}
              </Link>
              <span className="font-medium text-red-700 tabular-nums dark:text-red-300">
                {formatPercent(control.value)}{" "}
                <span className="font-normal text-zinc-500">of {control.threshold} % needed</span>
              </span>
            </div>
            <p className="mt-0.5 text-xs text-zinc-600 dark:text-zinc-400">
              {control.catalogName} · {formatWindow(control.windowStart, control.windowEnd)}
              {scopeLabel(control.scope) && ` · ${scopeLabel(control.scope)}`}
            </p>
          </li>
        ))}
      </ul>
      {total > controls.length && (
        <p className="text-xs text-zinc-500">{total - controls.length} more failing; open the catalogs to see them.</p>
      )}
    </div>
  );
}
