import {
  ControlStatusSchema,
  ControlStateValueSchema,
  EvidenceResultSchema,
  PeriodSchema,
  type ControlListQuery,
} from "@status/shared";
import { CONTROL_STATE_LABELS } from "@/components/ui/control-state-badge.tsx";
import { SearchBox } from "@/components/ui/search-box.tsx";
import { enumOptions, SelectFilter } from "@/components/ui/select-filter.tsx";
import { PERIOD_LABELS } from "../utils/periods.ts";

const SORT_OPTIONS = [
  { value: "name", label: "Name (A–Z)" },
  { value: "-name", label: "Name (Z–A)" },
  { value: "-updatedAt", label: "Recently updated" },
  { value: "period", label: "Period" },
  { value: "-threshold", label: "Highest threshold" },
] as const;

const STATUS_LABELS = { draft: "Draft", finalized: "Finalized" } as const;

const RESULT_LABELS = {
  pass: "Pass",
  fail: "Fail",
  not_applicable: "Not applicable",
  error: "Error (latest run)",
} as const;

const ARCHIVED_OPTIONS = [
  { value: "false", label: "In use" },
  { value: "true", label: "Archived" },
  { value: "all", label: "In use and archived" },
] as const;

interface ControlsToolbarProps {
  query: ControlListQuery;
  onChange: (changes: Partial<ControlListQuery>) => void;
  /** Offer the Archived filter (not in an archived catalog, whose controls are all archived with it). */
  hasArchivedFilter?: boolean;
}

/**
 * Search, state, result, scope, status, period, archived and sort of a catalog's controls; the values live in the URL,
 * so a link reproduces the view.
 */
export function ControlsToolbar({ query, onChange, hasArchivedFilter = true }: ControlsToolbarProps) {
  return (
    <div className="mb-4 grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
      <SearchBox
        label="Search controls"
        value={query.q ?? ""}
        placeholder="Name or description"
        onSearch={(q) => onChange({ q })}
      />
      <SelectFilter
        label="State"
        value={query.state}
        anyLabel="All states"
        options={enumOptions(ControlStateValueSchema.options, CONTROL_STATE_LABELS)}
        onChange={(state) => onChange({ state })}
      />
      <SelectFilter
        label="Result"
        value={query.result}
        anyLabel="All results"
        options={enumOptions(EvidenceResultSchema.options, RESULT_LABELS)}
        onChange={(result) => onChange({ result })}
      />
      <SearchBox
        label="Scope"
        value={query.scope ?? ""}
        placeholder="key:value, e.g. team:payments"
        onSearch={(scope) => onChange({ scope })}
      />
      <SelectFilter
        label="Status"
        value={query.status}
        anyLabel="All statuses"
        options={enumOptions(ControlStatusSchema.options, STATUS_LABELS)}
        onChange={(status) => onChange({ status })}
      />
      <SelectFilter
        label="Period"
        value={query.period}
        anyLabel="All periods"
        options={enumOptions(PeriodSchema.options, PERIOD_LABELS)}
        onChange={(period) => onChange({ period })}
      />
      {hasArchivedFilter && (
        <SelectFilter
          label="Archived"
          value={query.archived}
          options={ARCHIVED_OPTIONS}
          onChange={(archived) => onChange({ archived: archived ?? "false" })}
        />
      )}
      <SelectFilter label="Sort by" value={query.sort} options={SORT_OPTIONS} onChange={(sort) => onChange({ sort })} />
    </div>
  );
}
