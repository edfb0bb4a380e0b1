import type { Queryable } from "../../db/database.ts";
import { perPool } from "../../lib/per-pool.ts";

/**
 * The overview's last answers, kept per process for as long as they are still exactly what it would compute now. An
 * answer is keyed by what it depends on: the data version Postgres answers (readOverviewVersion, read before the
 * answer's statements, so the answer is at least as new as its version), the request's `days`, and the stretch of
 * time over which its clock-dependent parts stay put (`fromMs` up to `untilMs`: the next UTC midnight moves the
 * series' first day, the next stale_at turns a control stale). Never an expiry guess: another process's write changes
 * the version, which every request reads.
 */
export interface RememberedOverview {
  version: string;
  /** The instant it was computed at; a clock read earlier than that (a clock set back) is not served from it. */
  fromMs: number;
  /** The first instant it no longer holds at. */
  untilMs: number;
  /** The answer's JSON text without `generatedAt`: what follows `{"generatedAt":"…",`. */
  rest: string;
}

/** Distinct `days` kept per process (the web asks a handful); past it the one asked longest ago goes. */
const MAX_DAYS_KEPT = 16;

const cacheOf = perPool((_db: Queryable) => new Map<number, RememberedOverview>());

/** The answer for `days` if it was computed at `version` and still holds at `atMs`. */
export function recallOverview(db: Queryable, days: number, version: string, atMs: number): string | undefined {
  const kept = cacheOf(db).get(days);
  if (!kept || kept.version !== version || atMs < kept.fromMs || atMs >= kept.untilMs) return undefined;
  return kept.rest;
}

export function rememberOverview(db: Queryable, days: number, answer: RememberedOverview): void {
  const cache = cacheOf(db);
  cache.delete(days);
  if (cache.size >= MAX_DAYS_KEPT) cache.delete(cache.keys().next().value!);
  cache.set(days, answer);
}

// The computations running now, per pool, by `days` and version.
const computingOf = perPool((_db: Queryable) => new Map<string, Promise<RememberedOverview>>());

/**
 * Runs `compute` for `days` at `version` unless one is running already, whose answer is then shared: while writes keep
 * moving the version, every request misses the kept answer, and dashboards that ask together would each run the three
 * statements over every catalog and control. The callers still check the answer's clock stretch against their own.
 */
export function computeOverviewOnce(
  db: Queryable,
  days: number,
  version: string,
  compute: () => Promise<RememberedOverview>,
): Promise<RememberedOverview> {
  const running = computingOf(db);
  const key = `${days}:${version}`;
  const shared = running.get(key);
  if (shared) return shared;
  const started = compute().finally(() => running.delete(key));
  running.set(key, started);
  return started;
}
