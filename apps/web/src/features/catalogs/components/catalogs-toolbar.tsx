import { CatalogStatusSchema, type CatalogListQuery } from "@status/shared";
import { Select } from "../../../components/ui/input.tsx";
import { SearchBox } from "../../../components/ui/search-box.tsx";

const SORT_OPTIONS = [
  { value: "name", label: "Name (A–Z)" },
  { value: "-name", label: "Name (Z–A)" },
  { value: "-updatedAt", label: "Recently updated" },
  { value: "updatedAt", label: "Least recently updated" },
  { value: "-createdAt", label: "Newest" },
  { value: "createdAt", label: "Oldest" },
  { value: "startDate", label: "Start date (earliest)" },
  { value: "-startDate", label: "Start date (latest)" },
] as const;

const STATUS_LABELS = { draft: "Draft", finalized: "Finalized" } as const;

interface CatalogsToolbarProps {
  query: CatalogListQuery;
  onChange: (changes: Partial<CatalogListQuery>) => void;
}

export function CatalogsToolbar({ query, onChange }: CatalogsToolbarProps) {
  return (
    <div className="mb-4 grid gap-3 sm:grid-cols-[minmax(0,1fr)_auto_auto]">
      <SearchBox value={query.q ?? ""} placeholder="Name or description" onSearch={(q) => onChange({ q })} />
      <label className="block text-sm">
        <span className="mb-1 block font-medium">Status</span>
        <Select
          value={query.status ?? ""}
          onChange={(event) => onChange({ status: CatalogStatusSchema.safeParse(event.target.value).data })}
        >
          <option value="">All statuses</option>
          {CatalogStatusSchema.options.map((status) => (
            <option key={status} value={status}>
              {STATUS_LABELS[status]}
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
