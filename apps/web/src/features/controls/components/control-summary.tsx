import type { Control, ControlState } from "@status/shared";
import type { ReactNode } from "react";
import { PERIOD_LABELS } from "../utils/periods.ts";
import { ControlStatusBadge } from "./control-status-badge.tsx";
import { CurrentStateCell } from "./control-state-cells.tsx";

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="flex items-center gap-1.5">
      <dt className="text-zinc-500 dark:text-zinc-400">{term}</dt>
      <dd className="font-medium text-zinc-800 dark:text-zinc-200">{children}</dd>
    </div>
  );
}

interface ControlSummaryProps {
  control: Control;
  /** A link to the control's catalog, rendered by the page that knows the catalog. */
  catalogLink?: ReactNode;
  /** Its state now (passing, failing, stale…), once loaded. */
  state?: ControlState | undefined;
  /** The zone dates show in (useTimeZone). */
  timeZone?: string | undefined;
}

/** The one-line facts under a control's name: status, state now, period, threshold, mashup and catalog. */
export function ControlSummary({ control, catalogLink, state, timeZone }: ControlSummaryProps) {
  return (
    <dl className="mt-1 flex flex-wrap items-center gap-x-5 gap-y-2 text-sm">
      <div>
        <dt className="sr-only">Status</dt>
        <dd>
          <ControlStatusBadge status={control.status} />
        </dd>
      </div>
      {control.version !== null && (
        <Fact term="Version">
          <a href="#control-versions-heading" className="text-indigo-700 hover:underline dark:text-indigo-300">
            {control.version}
          </a>
        </Fact>
      )}
      {state && (
        <Fact term="State">
          <CurrentStateCell state={state} timeZone={timeZone} />
        </Fact>
      )}
      <Fact term="Period">{PERIOD_LABELS[control.period]}</Fact>
      <Fact term="Threshold">
        <span className="tabular-nums">{control.threshold} %</span>
      </Fact>
      <Fact term="Mashup">
        {control.mashupId ? (
          <code className="text-xs">{control.mashupId}</code>
        ) : (
          <span className="text-zinc-400">none</span>
        )}
      </Fact>
      {catalogLink && <Fact term="Catalog">{catalogLink}</Fact>}
    </dl>
  );
}
