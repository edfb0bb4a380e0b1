import type { DependencyHealth, SystemHealth } from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import type { Actor } from "../../domain/actor.ts";
import { probeGrafana } from "../dashboards/index.ts";
import { createRegistryClient } from "../registry/index.ts";

const CHECK_TIMEOUT_MS = 3000;

/** A configured dependency STATUS is still setting up: reported `pending`, not `down`. */
class PendingError extends Error {}

type Name = DependencyHealth["name"];
interface Probe {
  name: Name;
  url: string | null;
  /** Undefined: the dependency is not configured. The probe answers its version (or null) and an optional detail. */
  check?: () => Promise<{ version: string | null; detail?: string }>;
}

/** A URL without its user and password, for display. */
function displayUrl(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    parsed.username = "";
    parsed.password = "";
    return parsed.toString().replace(/\/$/, "");
  } catch {
    return null;
  }
}

async function run(probe: Probe, isAdmin: boolean): Promise<DependencyHealth> {
  const url = isAdmin ? probe.url : null;
  if (!probe.check)
    return { name: probe.name, status: "not_configured", latencyMs: null, version: null, url, detail: null };
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
    });
    const result = await Promise.race([probe.check(), timeout]);
    return {
      name: probe.name,
      status: "up",
      latencyMs: elapsed(),
      version: result.version,
      url,
      detail: result.detail ?? null,
    };
  } catch (error) {
    return {
      name: probe.name,
      status: error instanceof PendingError ? "pending" : "down",
      latencyMs: elapsed(),
      version: null,
      url,
      detail: (error as Error).message,
    };
  } finally {
    // Every probe settles or times out here, so no timer outlives the request.
    clearTimeout(timer);
  }
}

async function getJson(url: string): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    headers: { accept: "application/json" },
    signal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return (await response.json()) as Record<string, unknown>;
}

/** Grafana's internal URL when the dashboards integration is configured. */
function grafanaUrl(deps: AppDeps): string | undefined {
  const { grafana } = deps.config;
  return grafana.isEnabled ? grafana.url.replace(/\/$/, "") : undefined;
}

function probes(deps: AppDeps): Probe[] {
  const { config } = deps;
  const grafana = grafanaUrl(deps);
  return [
    {
      name: "database",
      url: displayUrl(config.database.url) ?? "embedded PGlite",
      check: async () => {
        const result = await deps.db.query<{ version: string }>("select version()");
        return { version: /^(\S+ \S+)/.exec(result.rows[0]?.version ?? "")?.[1] ?? null };
      },
    },
    {
      name: "cache",
      url: deps.cache.kind === "redis" ? displayUrl(config.redis.url) : "in-process",
      check: async () => {
        await deps.cache.ping();
        return { version: null, detail: deps.cache.kind === "redis" ? "Redis protocol" : "in-process map" };
      },
    },
    {
      name: "queue",
      url: deps.runQueue.kind === "bullmq" ? displayUrl(config.redis.url) : "in-process",
      check: async () => {
        const waiting = await deps.runQueue.waitingCount();
        return {
          version: null,
          detail: `${deps.runQueue.kind === "bullmq" ? "BullMQ" : "in-process queue"}; ${waiting} deliveries waiting`,
        };
      },
    },
    {
      name: "node-red",
      url: displayUrl(deps.nodeRed.baseUrl),
      check: async () => {
        if (deps.nodeRed.version) return { version: await deps.nodeRed.version() };
        await deps.nodeRed.ping();
        return { version: null };
      },
    },
    {
      name: "grafana",
      url: displayUrl(grafana),
      ...(grafana
        ? {
            check: async () => {
              const probe = await probeGrafana(deps);
              if (probe.status === "pending") throw new PendingError(probe.detail ?? "STATUS is setting Grafana up");
              if (probe.status !== "up") throw new Error(probe.detail ?? "Grafana is down");
              return { version: probe.version, detail: probe.detail ?? undefined };
            },
          }
        : {}),
    },
    {
      name: "registry",
      url: displayUrl(config.registry.url),
      ...(config.registry.url
        ? {
            check: async () => {
              const info = await createRegistryClient({
                baseUrl: config.registry.url!,
                timeoutMs: CHECK_TIMEOUT_MS,
              }).info();
              return { version: info.version };
            },
          }
        : {}),
    },
    {
      name: "director",
      url: displayUrl(config.director.url),
      ...(config.director.url
        ? {
            check: async () => {
              const body = await getJson(`${config.director.url}/info`);
              return {
                version: typeof body.version === "string" ? body.version : null,
                detail: typeof body.name === "string" ? body.name : undefined,
              };
            },
          }
        : {}),
    },
  ];
}

/**
 * Every dependency with its status, latency and version, checked in parallel. URLs are shown to ADMIN only: they
 * name internal hosts. `degraded` when a configured dependency is down (one still being set up is `pending`).
 */
export async function checkSystemHealth(deps: AppDeps, actor: Actor): Promise<SystemHealth> {
  const isAdmin = actor.role === "ADMIN";
  const dependencies = await Promise.all(probes(deps).map((probe) => run(probe, isAdmin)));
  return {
    status: dependencies.some((dependency) => dependency.status === "down") ? "degraded" : "ok",
    checkedAt: deps.now().toISOString(),
    dependencies,
  };
}
