import { CatalogStatusSchema, type CatalogListQuery } from "@status/shared";
import { useEffect, useEffectEvent, useRef, useState } from "react";
import { Input, Select } from "../../../components/ui/input.tsx";

const SEARCH_DELAY_MS = 300;

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
      <SearchBox value={query.q ?? ""} onSearch={(q) => onChange({ q })} />
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

/** Searches as the user types (after a short pause) and picks up URL changes such as Back. */
function SearchBox({ value, onSearch }: { value: string; onSearch: (term: string) => void }) {
  const [text, setText] = useState(value);
  const lastSent = useRef(value);

  useEffect(() => {
    if (value === lastSent.current) return;
    lastSent.current = value;
    setText(value);
  }, [value]);

  // The parent re-renders while results load; only a change of the text should restart the pause.
  const search = useEffectEvent((term: string) => onSearch(term));
  useEffect(() => {
    const term = text.trim();
    if (term === lastSent.current) return;
    const timer = setTimeout(() => {
      lastSent.current = term;
      search(term);
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text]);

  return (
    <label className="block text-sm">
      <span className="mb-1 block font-medium">Search</span>
      <Input type="search" placeholder="Name or description" value={text} onChange={(event) => setText(event.target.value)} />
    </label>
  );
}
