import { useTimeZone } from "@/lib/time-zone.ts";

/**
 * The visible label of the zone a screen's dates are in ("Times in Europe/Madrid") with a switch to UTC and back.
 * The choice is remembered per browser, for every catalog; every date on the screen follows it through `useTimeZone`.
 * `catalogTimeZone` null: the screen mixes catalogs, each row in its own catalog's zone (named in the row).
 */
export function TimeZoneToggle({ catalogTimeZone }: { catalogTimeZone: string | null | undefined }) {
  const { timeZone, isUtc, setUtc } = useTimeZone(catalogTimeZone);
  const label = isUtc || catalogTimeZone !== null ? timeZone : "each catalog's time zone";
  return (
    <span className="inline-flex items-center gap-2 text-xs text-zinc-600 dark:text-zinc-400" data-testid="time-zone">
      <span>
        Times in <strong className="font-medium text-zinc-900 dark:text-zinc-100">{label}</strong>
      </span>
      {catalogTimeZone !== "UTC" && (
        <label className="inline-flex cursor-pointer items-center gap-1">
          <input type="checkbox" checked={isUtc} onChange={(event) => setUtc(event.target.checked)} />
          UTC
        </label>
      )}
    </span>
  );
}
