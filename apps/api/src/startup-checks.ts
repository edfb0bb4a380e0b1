import type { Config } from "./config.ts";
import type { Logger } from "./logger.ts";

/** Which process is starting: the API (main.ts) or a separate worker (worker.ts). */
export type ProcessRole = "api" | "worker";

/** What keeps a process from starting (errors) and what it starts without (warnings), in words an admin can act on. */
export interface StartupReport {
  errors: string[];
  warnings: string[];
}

function workerErrors(config: Config): string[] {
  const errors: string[] = [];
  if (!config.redis.url) errors.push("REDIS_URL: a separate worker needs the shared queue (Redis or Dragonfly)");
  if (!config.nodeRed.url || !config.nodeRed.servicePassword)
    errors.push("NODE_RED_URL and NODE_RED_SERVICE_PASSWORD: a separate worker needs a Node-RED it can reach");
  if (config.auth.isJwtSecretGenerated)
    errors.push("JWT_SECRET: a separate worker needs the API's secret (it signs the callback tokens the API checks)");
  return errors;
}

/**
 * Optional integrations that are set up only in part. None of them stops a process: the API starts and reports the
 * integration as not ready (system health, the pages that use it) until it is completed.
 */
function integrationWarnings(config: Config, role: ProcessRole): string[] {
  const warnings: string[] = [];
  if (role === "api" && config.grafana.isEnabled && config.grafana.credentials.kind === "missing")
    warnings.push(
      "GRAFANA_URL is set without GRAFANA_ADMIN_PASSWORD or GRAFANA_SERVICE_ACCOUNT_TOKEN: dashboards stay unavailable until one is set",
    );
  if (config.registry.url && !config.registry.collectorToken)
    warnings.push(
      "REGISTRY_URL is set without REGISTRY_COLLECTOR_TOKEN: catalogs are published, but syncing guarantee states is refused until it is set",
    );
  if (config.metrics.port !== undefined && !config.metrics.isEnabled)
    warnings.push("METRICS_PORT is set without METRICS_TOKEN: metrics stay disabled");
  if (role === "worker" && config.metrics.isEnabled && config.metrics.port === undefined)
    warnings.push("METRICS_TOKEN is set without METRICS_PORT: this worker's metrics are not served");
  return warnings;
}

function secretWarnings(config: Config): string[] {
  const warnings: string[] = [];
  if (config.auth.isJwtSecretGenerated)
    warnings.push(
      "JWT_SECRET is not set: outside production the signing key is generated once into DATA_DIR/keys and reused",
    );
  if (config.encryption.isKeyGenerated)
    warnings.push(
      config.auth.isJwtSecretGenerated
        ? "STATUS_ENCRYPTION_KEY is not set: outside production the key is generated once into DATA_DIR/keys and reused"
        : "STATUS_ENCRYPTION_KEY is not set: stored credentials are encrypted with a key derived from JWT_SECRET",
    );
  return warnings;
}

/**
 * The checks a process makes on its configuration before it opens anything, beyond what loadConfig refuses. `npm run
 * doctor` and the deployment tests run the same checks on the compose files' environments.
 */
export function checkStartup(config: Config, role: ProcessRole): StartupReport {
  return {
    errors: role === "worker" ? workerErrors(config) : [],
    warnings: [...(role === "api" ? secretWarnings(config) : []), ...integrationWarnings(config, role)],
  };
}

/** Logs the warnings; with errors, prints them and exits non-zero (the process cannot do its work). */
export function enforceStartup(config: Config, role: ProcessRole, log: Logger): void {
  const report = checkStartup(config, role);
  for (const warning of report.warnings) log.warn(warning);
  if (report.errors.length === 0) return;
  console.error(`Cannot start the ${role}:\n${report.errors.map((error) => `  - ${error}`).join("\n")}`);
  process.exit(1);
}
