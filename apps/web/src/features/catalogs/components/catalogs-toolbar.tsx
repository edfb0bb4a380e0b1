import { CatalogStatusSchema, type CatalogListQuery } from "@status/shared";
import { SearchBox } from "@/components/ui/search-box.tsx";
import { enumOptions, SelectFilter } from "@/components/ui/select-filter.tsx";

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

const ARCHIVED_OPTIONS = [
  { value: "false", label: "In use" },
  { value: "true", label: "Archived" },
  { value: "all", label: "In use and archived" },
] as const;

interface CatalogsToolbarProps {
  query: CatalogListQuery;
  onChange: (changes: Partial<CatalogListQuery>) => void;
}

export function CatalogsToolbar({ query, onChange }: CatalogsToolbarProps) {
  return (
    <div className="mb-4 grid gap-3 sm:grid-cols-[minmax(0,1fr)_auto_auto_auto]">
      <SearchBox value={query.q ?? ""} placeholder="Name or description" onSearch={(q) => onChange({ q })} />
      <SelectFilter
        label="Status"
        value={query.status}
        anyLabel="All statuses"
        options={enumOptions(CatalogStatusSchema.options, STATUS_LABELS)}
        onChange={(status) => onChange({ status })}
      />
      <SelectFilter
        label="Archived"
        value={query.archived}
        options={ARCHIVED_OPTIONS}
        onChange={(archived) => onChange({ archived: archived ?? "false" })}
      />
      <SelectFilter label="Sort by" value={query.sort} options={SORT_OPTIONS} onChange={(sort) => onChange({ sort })} />
    </div>
  );
}
