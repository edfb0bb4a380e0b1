import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { FormField } from "@/components/ui/form-field.tsx";
import { Input } from "@/components/ui/input.tsx";
import { formatCount, zonedMidnightToIso } from "@/lib/format.ts";
import { useSyncCatalog } from "../api/sync-catalog.ts";

const DAY_MS = 86_400_000;

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * Asks the registry for the guarantee states of the windows that closed between two dates (the catalog's midnights).
 */
export function SyncFromRegistryForm({ catalogId, timeZone }: { catalogId: string; timeZone: string }) {
  const [from, setFrom] = useState(() => isoDate(new Date(Date.now() - 7 * DAY_MS)));
  const [to, setTo] = useState(() => isoDate(new Date()));
  const sync = useSyncCatalog();

  function submit(event: FormEvent) {
    event.preventDefault();
    sync.mutate({ catalogId, from: zonedMidnightToIso(from, timeZone), to: zonedMidnightToIso(to, timeZone) });
  }

  return (
    <form onSubmit={submit} aria-label="Sync from registry" className="mt-4 space-y-3">
      <div className="flex flex-wrap items-end gap-3">
        <FormField label="From">
          {(control) => (
            <Input type="date" required value={from} onChange={(event) => setFrom(event.target.value)} {...control} />
          )}
        </FormField>
        <FormField label="To">
          {(control) => (
            <Input type="date" required value={to} onChange={(event) => setTo(event.target.value)} {...control} />
          )}
        </FormField>
        <Button type="submit" variant="secondary" isLoading={sync.isPending}>
          Sync from registry
        </Button>
      </div>
      {sync.isError && <Alert title="The sync failed">{sync.error.message}</Alert>}
      {sync.isSuccess && (
        <Alert variant="info">
          {`${formatCount(sync.data.windows.length, "window")} asked; ${formatCount(sync.data.storedCount, "new point")} stored, ${sync.data.existingCount} already there`}
          {sync.data.skipped.length > 0 && `; ${sync.data.skipped.length} skipped (${sync.data.skipped[0]!.reason})`}.
        </Alert>
      )}
    </form>
  );
}
