import { AssessmentPeriodQuerySchema, type AssessmentPeriodQuery } from "@status/shared";
import { formatDate, zonedMidnightToIso } from "@/lib/format.ts";

export const PERIOD_PRESETS = ["last-30-days", "last-quarter", "last-12-months", "custom"] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

export const PERIOD_PRESET_LABELS: Record<PeriodPreset, string> = {
  "last-30-days": "Last 30 days",
  "last-quarter": "Last quarter",
  "last-12-months": "Last 12 months",
  custom: "Custom",
};

/** What the picker holds: a preset, and the custom days (`YYYY-MM-DD`, both included) when it is custom. */
export interface PeriodChoice {
  preset: PeriodPreset;
  from: string;
  to: string;
}

/** The days a period covers, `to` included, as the picker shows them; and the query the API takes. */
export interface ResolvedPeriod {
  firstDay: string;
  lastDay: string;
  query: AssessmentPeriodQuery;
}

export type PeriodResult = { period: ResolvedPeriod } | { errors: { from?: string; to?: string } };

/** Today's date (`YYYY-MM-DD`) in a time zone; en-CA formats dates as ISO does. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

function parts(date: string): [number, number, number] {
  const [year = 0, month = 1, day = 1] = date.split("-").map(Number);
  return [year, month, day];
}

function fromUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  const [year, month, day] = parts(date);
  return fromUtc(Date.UTC(year, month - 1, day + days));
}

function addMonths(date: string, months: number): string {
  const [year, month, day] = parts(date);
  return fromUtc(Date.UTC(year, month - 1 + months, day));
}

/** The first and the day after the last day of a preset, counted in whole days up to (not including) today. */
function presetDays(preset: Exclude<PeriodPreset, "custom">, today: string): { from: string; end: string } {
  if (preset === "last-30-days") return { from: addDays(today, -30), end: today };
  if (preset === "last-12-months") return { from: addMonths(today, -12), end: today };
  const [year, month] = parts(today);
  const quarterStart = fromUtc(Date.UTC(year, Math.floor((month - 1) / 3) * 3, 1));
  return { from: addMonths(quarterStart, -3), end: quarterStart };
}

/**
 * The period a choice stands for, in the catalog's time zone (its windows open at its midnights): whole days, the
 * last one included, so the API's `to` is the midnight after it. Checked with the API's own schema (the longest span).
 */
export function resolvePeriod(choice: PeriodChoice, timeZone: string, now: Date = new Date()): PeriodResult {
  let from: string;
  let end: string;
  if (choice.preset === "custom") {
    const errors: { from?: string; to?: string } = {};
    if (!choice.from) errors.from = "Pick the first day";
    if (!choice.to) errors.to = "Pick the last day";
    else if (choice.from && choice.to < choice.from) errors.to = "Must not be before the first day";
    if (errors.from || errors.to) return { errors };
    from = choice.from;
    end = addDays(choice.to, 1);
  } else {
    ({ from, end } = presetDays(choice.preset, todayIn(timeZone, now)));
  }
  const parsed = AssessmentPeriodQuerySchema.safeParse({
    from: zonedMidnightToIso(from, timeZone),
    to: zonedMidnightToIso(end, timeZone),
  });
  if (!parsed.success) return { errors: { to: parsed.error.issues[0]?.message ?? "Not a valid period" } };
  return { period: { firstDay: from, lastDay: addDays(end, -1), query: parsed.data } };
}

/** A calendar day (`YYYY-MM-DD`) for people, e.g. "1 Jun 2025"; read in UTC, so no zone moves it to another day. */
export function formatDay(day: string): string {
  return formatDate(`${day}T00:00:00Z`, "UTC");
}
