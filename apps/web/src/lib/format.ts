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

/** Date and time in the viewer's time zone. */
export function formatDateTime(iso: string | null): string {
  if (!iso) return "—";
  return dateFormatter(undefined, true).format(new Date(iso));
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
 * ("2025-06-01", "Europe/Madrid") → "2025-06-01T00:00:00+02:00". The offset is read twice: first at UTC
 * midnight, then at the local midnight that first guess points to, so days with a DST change come out right.
 */
export function zonedMidnightToIso(date: string, timeZone: string): string {
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  const firstGuess = offsetMinutes(offsetAt(utcMidnight, timeZone));
  const offset = offsetAt(utcMidnight - firstGuess * 60_000, timeZone);
  return `${date}T00:00:00${offset}`;
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
