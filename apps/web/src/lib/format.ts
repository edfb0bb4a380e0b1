const dateFormatters = new Map<string, Intl.DateTimeFormat>();

function dateFormatter(timeZone: string | undefined, withTime: boolean): Intl.DateTimeFormat {
  const key = `${timeZone ?? ""}|${withTime}`;
  let formatter = dateFormatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(undefined, {
      dateStyle: "medium",
      ...(withTime ? { timeStyle: "short" } : {}),
      ...(timeZone ? { timeZone } : {}),
    });
    dateFormatters.set(key, formatter);
  }
  return formatter;
}

/** A calendar date such as "1 Jun 2025"; pass the catalog's time zone so midnight there stays on its own day. */
export function formatDate(iso: string | null, timeZone?: string): string {
  if (!iso) return "—";
  return dateFormatter(timeZone, false).format(new Date(iso));
}

/** Date and time, in `timeZone` when given (a catalog's), else in the viewer's time zone. */
export function formatDateTime(iso: string | null, timeZone?: string): string {
  if (!iso) return "—";
  return dateFormatter(timeZone, true).format(new Date(iso));
}

/**
 * An instant (when something happened: a run, a computation, a point's recording) in the screen's zone, the one
 * `useTimeZone(catalog.timeZone).timeZone` gives; the same format as `formatDateTime`.
 */
export function formatInstant(iso: string | null, timeZone: string): string {
  return formatDateTime(iso, timeZone);
}

/**
 * A time window such as "1 Jun 2025, 00:00 – 2 Jun 2025, 00:00" (the end is exclusive), shortened by the
 * locale where both ends share a day ("1 Jun 2025, 10:00 – 11:00").
 */
export function formatWindow(start: string, end: string, timeZone?: string): string {
  const from = new Date(start);
  const to = new Date(end);
  if (to.getTime() < from.getTime()) return `${formatDateTime(start, timeZone)} – ${formatDateTime(end, timeZone)}`;
  return dateFormatter(timeZone, true).formatRange(from, to);
}

/** A duration such as "850 ms", "12.3 s" or "4 min 05 s". */
export function formatDuration(milliseconds: number | null): string {
  if (milliseconds === null) return "—";
  if (milliseconds < 1000) return `${milliseconds} ms`;
  const seconds = milliseconds / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${String(Math.round(seconds % 60)).padStart(2, "0")} s`;
}

/** A percentage such as "97.5 %"; null (nothing applicable) as "—". */
export function formatPercent(value: number | null): string {
  if (value === null) return "—";
  return `${Number(value.toFixed(1)).toLocaleString()} %`;
}

/** The offset of `timeZone` at `instant`, e.g. "+02:00". */
function offsetAt(instant: number, timeZone: string): string {
  const name = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" })
    .formatToParts(instant)
    .find((part) => part.type === "timeZoneName")?.value;
  const offset = name?.replace("GMT", "") ?? "";
  return offset === "" ? "+00:00" : offset;
}

function offsetMinutes(offset: string): number {
  const sign = offset.startsWith("-") ? -1 : 1;
  const [hours = 0, minutes = 0] = offset.slice(1).split(":").map(Number);
  return sign * (hours * 60 + minutes);
}

/**
 * Midnight of a `YYYY-MM-DD` date in `timeZone` as an ISO 8601 instant with offset, e.g.
 * ("2025-06-01", "Europe/Madrid") → "2025-06-01T00:00:00+02:00".
 */
export function zonedMidnightToIso(date: string, timeZone: string): string {
  return zonedDateTimeToIso(`${date}T00:00`, timeZone);
}

/**
 * A wall-clock `YYYY-MM-DDTHH:mm` (what a datetime-local input holds) in `timeZone` as an ISO 8601 instant with
 * offset, e.g. ("2025-06-01T09:30", "Europe/Madrid") → "2025-06-01T09:30:00+02:00". The offset is read twice:
 * first at that wall-clock time in UTC, then at the instant that first guess points to, so DST changes come out right.
 */
export function zonedDateTimeToIso(localDateTime: string, timeZone: string): string {
  const wallClock = localDateTime.length === 16 ? `${localDateTime}:00` : localDateTime.slice(0, 19);
  const asUtc = Date.parse(`${wallClock}Z`);
  const firstGuess = offsetMinutes(offsetAt(asUtc, timeZone));
  const offset = offsetAt(asUtc - firstGuess * 60_000, timeZone);
  return `${wallClock}${offset}`;
}

export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

export function formatCount(value: number, singular: string, plural = `${singular}s`): string {
  return `${value.toLocaleString()} ${value === 1 ? singular : plural}`;
}

/** A size in bytes for people: 0 B, 8.2 kB, 1.5 MB, 3.1 GB (powers of 1000). */
export function formatBytes(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

const TIME_UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

/** How long ago an instant was, in its largest whole unit: "3 weeks ago", "yesterday", "just now". */
export function formatTimeAgo(iso: string, now: number = Date.now()): string {
  const seconds = Math.max(0, (now - Date.parse(iso)) / 1000);
  const format = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  for (const [unit, size] of TIME_UNITS) {
    if (seconds >= size) return format.format(-Math.floor(seconds / size), unit);
  }
  return "just now";
}
