import { Button } from "@/components/ui/button.tsx";
import { Input, Select } from "@/components/ui/input.tsx";
import { lastDays, type ComplianceParams } from "../hooks/use-compliance-params.ts";

const PRESETS = [
  { label: "Last 30 days", days: 30 },
  { label: "Last 90 days", days: 90 },
  { label: "Last 12 months", days: 365 },
] as const;

interface ComplianceFiltersProps {
  params: ComplianceParams;
  /** The catalogs whose controls may count; the empty choice counts every catalog. */
  catalogs: readonly { id: string; name: string }[];
  onChange: (changes: Partial<ComplianceParams>) => void;
}

/** The roll-up's period (whole UTC days) and catalog pickers. */
export function ComplianceFilters({ params, catalogs, onChange }: ComplianceFiltersProps) {
  return (
    <div className="flex flex-wrap items-end gap-3" role="group" aria-label="Roll-up period and catalog">
      <label className="block text-sm">
        <span className="mb-1 block font-medium">From</span>
        <Input
          type="date"
          value={params.fromDate}
          max={params.toDate}
          onChange={(event) => event.target.value && onChange({ fromDate: event.target.value })}
        />
      </label>
      <label className="block text-sm">
        <span className="mb-1 block font-medium">To (UTC, included)</span>
        <Input
          type="date"
          value={params.toDate}
          min={params.fromDate}
          onChange={(event) => event.target.value && onChange({ toDate: event.target.value })}
        />
      </label>
      <div className="flex gap-1">
        {PRESETS.map((preset) => (
          <Button key={preset.days} variant="ghost" size="sm" onClick={() => onChange(lastDays(preset.days))}>
            {preset.label}
          </Button>
        ))}
      </div>
      <label className="block text-sm">
        <span className="mb-1 block font-medium">Catalog</span>
        <Select
          value={params.catalogId ?? ""}
          onChange={(event) => onChange({ catalogId: event.target.value || undefined })}
        >
          <option value="">All catalogs</option>
          {catalogs.map((catalog) => (
            <option key={catalog.id} value={catalog.id}>
              {catalog.name}
            </option>
          ))}
        </Select>
      </label>
    </div>
  );
}
