import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.ts";
import { checkStartup } from "./startup-checks.ts";

const SECRET = "s".repeat(32);
const WORKER = {
  JWT_SECRET: SECRET,
  REDIS_URL: "redis://dragonfly:6379",
  NODE_RED_URL: "http://nodered:1880",
  NODE_RED_SERVICE_PASSWORD: "pw",
};

describe("checkStartup", () => {
  it("stops a separate worker without the shared queue, Node-RED or the API's secret, naming each", () => {
    expect(checkStartup(loadConfig({}), "worker").errors).toEqual([
      "REDIS_URL: a separate worker needs the shared queue (Redis or Dragonfly)",
      "NODE_RED_URL and NODE_RED_SERVICE_PASSWORD: a separate worker needs a Node-RED it can reach",
      "JWT_SECRET: a separate worker needs the API's secret (it signs the callback tokens the API checks)",
    ]);
    expect(checkStartup(loadConfig(WORKER), "worker").errors).toEqual([]);
  });

  it("never stops the API for an optional integration that is set up only in part, and says what is missing", () => {
    const report = checkStartup(
      loadConfig({
        JWT_SECRET: SECRET,
        STATUS_ENCRYPTION_KEY: "ab".repeat(32),
        GRAFANA_URL: "http://grafana:3000/grafana",
        REGISTRY_URL: "http://registry:80",
        METRICS_PORT: "9464",
      }),
      "api",
    );

    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([
      "GRAFANA_URL is set without GRAFANA_ADMIN_PASSWORD or GRAFANA_SERVICE_ACCOUNT_TOKEN: dashboards stay unavailable until one is set",
      "REGISTRY_URL is set without REGISTRY_COLLECTOR_TOKEN: catalogs are published, but syncing guarantee states is refused until it is set",
      "METRICS_PORT is set without METRICS_TOKEN: metrics stay disabled",
    ]);
  });

  it("warns a worker whose metrics have a token but no port to be served on", () => {
    const report = checkStartup(loadConfig({ ...WORKER, METRICS_TOKEN: "m".repeat(32) }), "worker");
    expect(report.warnings).toEqual([
      "METRICS_TOKEN is set without METRICS_PORT: this worker's metrics are not served",
    ]);
  });
});
