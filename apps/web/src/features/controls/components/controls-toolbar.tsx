import { ControlStatusSchema, PeriodSchema, type ControlListQuery } from "@status/shared";
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

/** Search, status, period, archived and sort of a catalog's controls; the values live in the URL. */
export function ControlsToolbar({ query, onChange, hasArchivedFilter = true }: ControlsToolbarProps) {
  return (
    <div className="mb-4 grid gap-3 sm:grid-cols-2 lg:grid-cols-[minmax(0,1fr)_auto_auto_auto_auto]">
      <SearchBox
        label="Search controls"
        value={query.q ?? ""}
        placeholder="Name or description"
        onSearch={(q) => onChange({ q })}
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
