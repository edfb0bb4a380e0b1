import { RunStatusSchema, RunTriggerSchema, type RunListQuery } from "@status/shared";
import { Button } from "../../../components/ui/button.tsx";
import { Select } from "../../../components/ui/input.tsx";
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
      <label className="block text-sm">
        <span className="mb-1 block font-medium">Status</span>
        <Select
          value={query.status ?? ""}
          onChange={(event) => onChange({ status: RunStatusSchema.safeParse(event.target.value).data })}
          className="w-44"
        >
          <option value="">All statuses</option>
          {RunStatusSchema.options.map((status) => (
            <option key={status} value={status}>
              {RUN_STATUS_LABELS[status]}
            </option>
          ))}
        </Select>
      </label>
      <label className="block text-sm">
        <span className="mb-1 block font-medium">Trigger</span>
        <Select
          value={query.trigger ?? ""}
          onChange={(event) => onChange({ trigger: RunTriggerSchema.safeParse(event.target.value).data })}
          className="w-44"
        >
          <option value="">All triggers</option>
          {RunTriggerSchema.options.map((trigger) => (
            <option key={trigger} value={trigger}>
              {RUN_TRIGGER_LABELS[trigger]}
            </option>
          ))}
        </Select>
      </label>
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
