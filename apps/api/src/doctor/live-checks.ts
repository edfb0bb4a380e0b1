import type { DependencyHealth } from "@status/shared";
import { openCache } from "../cache/open-cache.ts";
import { ConfigError, loadConfig, type Config } from "../config.ts";
import { createAppDeps } from "../create-app-deps.ts";
import { openDatabase } from "../db/database.ts";
import { listPendingMigrations } from "../db/migrate.ts";
import type { AppDeps } from "../deps.ts";
import type { Actor } from "../domain/actor.ts";
import { createLogger } from "../logger.ts";
import { checkAiConnection, getAiSettings } from "../modules/ai/index.ts";
import { checkSystemHealth } from "../modules/system/index.ts";
import { createNodeRedClient, createUnavailableNodeRedClient } from "../node-red/node-red-client.ts";
import { openRunQueue } from "../queue/open-run-queue.ts";
import { checkStartup } from "../startup-checks.ts";
import type { Finding } from "./findings.ts";

// The system health shows URLs to ADMIN only; the doctor is run by the admin of the deployment.
const DOCTOR: Actor = {
  userId: "00000000-0000-0000-0000-000000000000",
  username: "doctor",
  role: "ADMIN",
  authMethod: "session",
};

/** What to look at when a dependency is down or pending. */
const FIXES: Record<DependencyHealth["name"], string> = {
  database: "check DATABASE_URL, and that Postgres is up (docker compose ps postgres; logs postgres)",
  cache: "check REDIS_URL, and that Redis/Dragonfly is up (docker compose ps dragonfly)",
  queue: "check REDIS_URL: the run queue is BullMQ on the same Redis/Dragonfly",
  "node-red": "check NODE_RED_URL, and that NODE_RED_SERVICE_PASSWORD is the one Node-RED was started with",
  grafana:
    "check GRAFANA_URL; GRAFANA_ADMIN_PASSWORD must be the password Grafana was first started with (grafana cli admin reset-admin-password)",
  registry:
    "check REGISTRY_URL; the registry listens only once its MongoDB answers (docker compose logs registry mongo-registry)",
  director: "check DIRECTOR_URL (docker compose logs director)",
};

function describe(dependency: DependencyHealth): Finding {
  const latency = dependency.latencyMs === null ? "" : `${dependency.latencyMs} ms`;
  const facts = [latency, dependency.version, dependency.detail].filter(Boolean).join(", ");
  if (dependency.status === "up") return { severity: "ok", subject: dependency.name, message: `up (${facts})` };
  if (dependency.status === "not_configured")
    return { severity: "ok", subject: dependency.name, message: "not configured (optional)" };
  return {
    severity: dependency.status === "down" ? "error" : "warning",
    subject: dependency.name,
    message: `${dependency.status}${facts ? ` (${facts})` : ""}`,
    fix: FIXES[dependency.name],
  };
}

async function checkAi(deps: AppDeps): Promise<Finding[]> {
  if (!(await getAiSettings(deps)).apiKeySet) return [];
  const started = performance.now();
  const check = await checkAiConnection(deps);
  const latency = `${Math.round(performance.now() - started)} ms`;
  if (check.isOk) return [{ severity: "ok", subject: "ai", message: `up (${latency}, ${check.modelCount} models)` }];
  return [
    {
      severity: "error",
      subject: "ai",
      message: `${check.code}: ${check.detail} (${latency})`,
      fix: "check the API key and server in Settings → AI (or OPENAI_API_KEY / OPENAI_BASE_URL)",
    },
  ];
}

async function checkWithClients(config: Config): Promise<Finding[]> {
  const log = createLogger("silent");
  const database = await openDatabase({ ...config.database, poolMax: 2 }, log);
  const cache = openCache(config.redis);
  const runQueue = await openRunQueue(config.redis, log);
  const { url, servicePassword } = config.nodeRed;
  const nodeRed =
    url && servicePassword
      ? createNodeRedClient({
          baseUrl: url,
          httpRoot: config.nodeRed.httpRoot,
          user: config.nodeRed.serviceUser,
          password: servicePassword,
        })
      : createUnavailableNodeRedClient();
  const deps = createAppDeps({ config, db: database.pool, cache, log, runQueue, nodeRed, now: () => new Date() });
  try {
    const findings: Finding[] = [];
    const pending = await listPendingMigrations(deps.db).catch(() => undefined);
    if (pending && pending.length > 0)
      findings.push({
        severity: "error",
        subject: "schema",
        message: `${pending.length} migration(s) not applied (${pending.join(", ")})`,
        fix: "pnpm --filter @status/api migrate (the API container runs it before it starts)",
      });
    const health = await checkSystemHealth(deps, DOCTOR);
    findings.push(...health.dependencies.map(describe));
    // The AI settings live in the database: with it down or behind, the lines above say so already.
    const isDatabaseUp = health.dependencies.find((dependency) => dependency.name === "database")?.status === "up";
    if (isDatabaseUp && pending?.length === 0) findings.push(...(await checkAi(deps)));
    return findings;
  } finally {
    await Promise.allSettled([runQueue.close(), cache.close(), database.close()]);
  }
}

/**
 * `npm run doctor -- --live`, where the API runs (its container; `env` defaults to this process's): the configuration
 * through the real loader and the start-up checks, the schema, and every configured dependency (database, cache,
 * queue, Node-RED, Grafana, registry, director, AI) with latency and version, through the same probes as
 * GET /api/v1/system/health.
 */
export async function checkLive(env?: NodeJS.ProcessEnv): Promise<Finding[]> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.issues.map((message) => ({ severity: "error", subject: "configuration", message }));
  }
  const report = checkStartup(config, "api");
  const findings: Finding[] = [
    ...report.errors.map((message): Finding => ({ severity: "error", subject: "configuration", message })),
    ...report.warnings.map((message): Finding => ({ severity: "warning", subject: "configuration", message })),
  ];
  if (!config.database.url) {
    const message =
      "no DATABASE_URL: the embedded default is checked by the running app (Settings → System status); run --live where the API's environment is (docker compose exec status-backend …)";
    return [...findings, { severity: "warning", subject: "live checks", message }];
  }
  if (!config.nodeRed.url)
    findings.push({
      severity: "warning",
      subject: "node-red",
      message: "embedded (no NODE_RED_URL): the API starts it itself",
    });
  return [...findings, ...(await checkWithClients(config))];
}
