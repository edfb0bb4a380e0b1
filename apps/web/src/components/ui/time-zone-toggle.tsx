import { useTimeZone } from "@/lib/time-zone.ts";

/**
 * The visible label of the zone a screen's dates are in ("Times in Europe/Madrid") with a switch to UTC and back.
 * The choice is remembered per browser, for every catalog; every date on the screen follows it through `useTimeZone`.
 */
export function TimeZoneToggle({ catalogTimeZone }: { catalogTimeZone: string | null | undefined }) {
  const { timeZone, catalogTimeZone: zone, isUtc, setUtc } = useTimeZone(catalogTimeZone);
  return (
    <span className="inline-flex items-center gap-2 text-xs text-zinc-600 dark:text-zinc-400" data-testid="time-zone">
      <span>
        Times in <strong className="font-medium text-zinc-900 dark:text-zinc-100">{timeZone}</strong>
      </span>
      {zone !== "UTC" && (
        <label className="inline-flex cursor-pointer items-center gap-1">
          <input type="checkbox" checked={isUtc} onChange={(event) => setUtc(event.target.checked)} />
          UTC
        </label>
      )}
    </span>
  );
}
