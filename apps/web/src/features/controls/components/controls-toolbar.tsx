import { ControlStatusSchema, PeriodSchema, type ControlListQuery } from "@status/shared";
import { Select } from "../../../components/ui/input.tsx";
import { SearchBox } from "../../../components/ui/search-box.tsx";
import { PERIOD_LABELS } from "../utils/periods.ts";

const SORT_OPTIONS = [
  { value: "name", label: "Name (A–Z)" },
  { value: "-name", label: "Name (Z–A)" },
  { value: "-updatedAt", label: "Recently updated" },
  { value: "period", label: "Period" },
  { value: "-threshold", label: "Highest threshold" },
] as const;

interface ControlsToolbarProps {
  query: ControlListQuery;
  onChange: (changes: Partial<ControlListQuery>) => void;
}

/** Search, status, period and sort of a catalog's controls; the values live in the URL. */
export function ControlsToolbar({ query, onChange }: ControlsToolbarProps) {
  return (
    <div className="mb-4 grid gap-3 sm:grid-cols-2 lg:grid-cols-[minmax(0,1fr)_auto_auto_auto]">
      <SearchBox label="Search controls" value={query.q ?? ""} placeholder="Name or description" onSearch={(q) => onChange({ q })} />
      <label className="block text-sm">
        <span className="mb-1 block font-medium">Status</span>
        <Select value={query.status ?? ""} onChange={(event) => onChange({ status: ControlStatusSchema.safeParse(event.target.value).data })}>
          <option value="">All statuses</option>
          <option value="draft">Draft</option>
          <option value="finalized">Finalized</option>
        </Select>
      </label>
      <label className="block text-sm">
        <span className="mb-1 block font-medium">Period</span>
        <Select value={query.period ?? ""} onChange={(event) => onChange({ period: PeriodSchema.safeParse(event.target.value).data })}>
          <option value="">All periods</option>
          {PeriodSchema.options.map((period) => (
            <option key={period} value={period}>
              {PERIOD_LABELS[period]}
            </option>
          ))}
        </Select>
      </label>
      <label className="block text-sm">
        <span className="mb-1 block font-medium">Sort by</span>
        <Select value={query.sort} onChange={(event) => onChange({ sort: event.target.value })}>
          {SORT_OPTIONS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </Select>
      </label>
    </div>
  );
}
