import type { Config } from "../../config.ts";
import type { AppDeps } from "../../deps.ts";
import { ServiceUnavailableError } from "../../errors.ts";
import { createGrafanaClient, type GrafanaClient } from "./grafana-client.ts";
import { grafanaCredentials } from "./grafana-credentials.ts";

// One client per configuration object (the config is frozen and lives as long as the app).
const clients = new WeakMap<Config["grafana"], GrafanaClient>();

type Deps = Pick<AppDeps, "config" | "db" | "cache" | "log">;

/** Grafana's settings, or 503 `grafana_not_configured` when GRAFANA_URL is not set. */
export function requireGrafanaConfig(deps: Pick<AppDeps, "config">): Extract<Config["grafana"], { isEnabled: true }> {
  const config = deps.config.grafana;
  if (!config.isEnabled) {
    throw new ServiceUnavailableError(
      "grafana_not_configured",
      "Grafana is not configured: set GRAFANA_URL, and GRAFANA_ADMIN_PASSWORD or GRAFANA_SERVICE_ACCOUNT_TOKEN",
    );
  }
  return config;
}

/**
 * The Grafana client, or 503 `grafana_not_configured` when GRAFANA_URL is not set. Its calls answer 503
 * `grafana_pending` while STATUS waits for Grafana to make its service account.
 */
export function requireGrafana(deps: Deps): GrafanaClient {
  const config = requireGrafanaConfig(deps);
  let client = clients.get(config);
  if (!client) {
    client = createGrafanaClient(config, grafanaCredentials(deps, config));
    clients.set(config, client);
  }
  return client;
}
