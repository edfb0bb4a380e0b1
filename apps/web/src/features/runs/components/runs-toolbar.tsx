import { RunStatusSchema, RunTriggerSchema, type RunListQuery } from "@status/shared";
import { Button } from "@/components/ui/button.tsx";
import { enumOptions, SelectFilter } from "@/components/ui/select-filter.tsx";
import { RUN_STATUS_LABELS, RUN_TRIGGER_LABELS } from "./run-labels.tsx";

interface RunsToolbarProps {
  query: RunListQuery;
  onChange: (changes: Partial<RunListQuery>) => void;
  /** The name of the control the list is filtered by, when known. */
  controlName?: string | undefined;
}

export function RunsToolbar({ query, onChange, controlName }: RunsToolbarProps) {
  return (
    <div className="mb-4 flex flex-wrap items-end gap-3">
      <SelectFilter
        label="Status"
        value={query.status}
        anyLabel="All statuses"
        options={enumOptions(RunStatusSchema.options, RUN_STATUS_LABELS)}
        onChange={(status) => onChange({ status })}
        className="w-44"
      />
      <SelectFilter
        label="Trigger"
        value={query.trigger}
        anyLabel="All triggers"
        options={enumOptions(RunTriggerSchema.options, RUN_TRIGGER_LABELS)}
        onChange={(trigger) => onChange({ trigger })}
        className="w-44"
      />
      {query.controlId && (
        <div className="flex h-9 items-center gap-2 rounded-md border border-indigo-200 bg-indigo-50 pr-1 pl-3 text-sm dark:border-indigo-900 dark:bg-indigo-950">
          <span>
            Control: <span className="font-medium">{controlName ?? "selected control"}</span>
          </span>
          <Button variant="ghost" size="sm" className="h-7 px-2" onClick={() => onChange({ controlId: undefined })}>
            <span aria-hidden="true">✕</span>
            <span className="sr-only">Show runs of every control</span>
          </Button>
        </div>
      )}
    </div>
  );
}
