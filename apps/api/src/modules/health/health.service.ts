import type { DependencyCheck, Readiness } from "@status/shared";
import type { AppDeps } from "../../deps.ts";

const CHECK_TIMEOUT_MS = 2000;

async function timed(name: string, probe: () => Promise<unknown>): Promise<DependencyCheck> {
  const started = performance.now();
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS).unref(),
      ),
    ]);
    return { name, status: "up", latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch (error) {
    return {
      name,
      status: "down",
      latencyMs: Math.round(performance.now() - started),
      detail: (error as Error).message,
    };
  }
}

/** Readiness: the database, the cache and Node-RED (admin API, with the service credential) all answer. */
export async function checkReadiness(deps: Pick<AppDeps, "config" | "db" | "cache" | "nodeRed">): Promise<Readiness> {
  const checks = await Promise.all([
    timed(deps.config.database.url ? "postgres" : "postgres (embedded PGlite)", () => deps.db.query("select 1")),
    timed(deps.cache.kind === "redis" ? "redis" : "cache (in-process)", () => deps.cache.ping()),
    timed("node-red", () => deps.nodeRed.ping()),
  ]);
  return { status: checks.every((check) => check.status === "up") ? "ready" : "not_ready", checks };
}
