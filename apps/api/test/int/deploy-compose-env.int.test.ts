import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { ConfigError, INTEGRATION_VARIABLES, loadConfig, type Config } from "../../src/config.ts";
import {
  readComposeSetup,
  readEnvExample,
  serviceEnvironment,
  STATUS_SERVICES,
} from "../../src/doctor/compose-environment.ts";
import { checkStartup } from "../../src/startup-checks.ts";
import { COMPOSE_FILES } from "../deploy-files.ts";

/**
 * The compose files boot, proven without Docker: each is interpolated as Compose would with `.env.example` plus the
 * secrets an admin generates, and the environment of every STATUS service (the API and the worker) goes through the
 * real config loader and the start-up checks of the process it runs. The reference's defect 51, made worse (compose
 * set GRAFANA_URL with an empty token and the API refused to start), is what this guards against.
 */

/** What an admin generates for each required secret (openssl rand -hex 32). */
function generatedSecrets(): Record<string, string> {
  const secret = () => randomBytes(32).toString("hex");
  return Object.fromEntries(
    [
      "JWT_SECRET",
      "STATUS_ENCRYPTION_KEY",
      "STATUS_ADMIN_PASSWORD",
      "POSTGRES_PASSWORD",
      "STATUS_DB_PASSWORD",
      "GRAFANA_DB_PASSWORD",
      "GRAFANA_STATE_DB_PASSWORD",
      "GRAFANA_ADMIN_PASSWORD",
      "NODE_RED_SERVICE_PASSWORD",
      "NODE_RED_CREDENTIAL_SECRET",
      "MONGO_ROOT_PASSWORD",
      "METRICS_TOKEN",
    ].map((name) => [name, secret()]),
  );
}

function configOf(environment: Record<string, string>): Config {
  try {
    return loadConfig(environment);
  } catch (error) {
    if (error instanceof ConfigError)
      throw new Error(`the config loader refused it:\n${error.message}`, { cause: error });
    throw error;
  }
}

const WORKER_INTEGRATIONS = ["database", "cache", "node-red", "registry", "director", "metrics"] as const;

describe.each(COMPOSE_FILES)("%s with .env.example and generated secrets", (file) => {
  let example: Record<string, string>;
  let secrets: Record<string, string>;

  beforeAll(async () => {
    example = await readEnvExample();
    secrets = generatedSecrets();
  });

  it("needs no variable the admin has not set (Compose would stop)", async () => {
    const setup = await readComposeSetup(file, { ...example, ...secrets });
    expect(setup.missing).toEqual([]);
  });

  it.each(Object.entries(STATUS_SERVICES))(
    "starts %s: its environment passes the real config loader and the %s's start-up checks",
    async (name, role) => {
      const setup = await readComposeSetup(file, { ...example, ...secrets });
      const config = configOf(serviceEnvironment(setup.document.services[name]!));

      expect(checkStartup(config, role).errors).toEqual([]);
      expect(config.env).toBe(file.includes("prod") ? "production" : "development");
      expect(config.grafana.isEnabled).toBe(true);
      // The API makes Grafana's service account itself; nothing to paste in after the first start.
      if (role === "api")
        expect(config.grafana).toMatchObject({ credentials: { kind: "managed", adminUser: "admin" } });
      expect(config.metrics.isEnabled).toBe(true);
      expect(config.metrics.port).toBe(role === "worker" ? 9464 : undefined);
    },
  );

  it.each(Object.entries(STATUS_SERVICES))(
    "passes %s every variable of the integrations it is wired to",
    async (name, role) => {
      const setup = await readComposeSetup(file, { ...example, ...secrets });
      const environment = serviceEnvironment(setup.document.services[name]!);
      const integrations = role === "api" ? Object.keys(INTEGRATION_VARIABLES) : WORKER_INTEGRATIONS;
      const absent = integrations.flatMap((integration) =>
        INTEGRATION_VARIABLES[integration as keyof typeof INTEGRATION_VARIABLES].filter(
          (variable) => !(variable in environment),
        ),
      );
      expect(absent).toEqual([]);
    },
  );

  it.each(Object.entries(STATUS_SERVICES))(
    "wires %s to the registry, the director, Grafana and the stores in the compose network",
    async (name) => {
      const setup = await readComposeSetup(file, { ...example, ...secrets });
      const config = configOf(serviceEnvironment(setup.document.services[name]!));

      expect(config.registry).toMatchObject({
        url: "http://registry:80",
        publicApiUrl: "http://status-backend:3001/api/v1",
      });
      expect(config.director.url).toBe("http://director:80");
      expect(config.grafana).toMatchObject({ url: "http://grafana:3000/grafana" });
      expect(config.nodeRed.url).toBe("http://nodered:1880");
      expect(config.redis.url).toBe("redis://dragonfly:6379");
      expect(config.database.url).toMatch(/^postgres:\/\/status:[0-9a-f]+@postgres:5432\/status$/);
    },
  );

  it("carries what the admin sets in .env to both processes: the collector token, Grafana's admin, the metrics token", async () => {
    const collectorToken = `stt_${randomBytes(16).toString("hex")}`;
    const env = { ...example, ...secrets, REGISTRY_COLLECTOR_TOKEN: collectorToken, GRAFANA_ADMIN_USER: "root" };
    const setup = await readComposeSetup(file, env);
    const api = configOf(serviceEnvironment(setup.document.services["status-backend"]!));
    const worker = configOf(serviceEnvironment(setup.document.services.worker!));

    for (const config of [api, worker]) expect(config.registry.collectorToken).toBe(collectorToken);
    expect(api.grafana).toMatchObject({ credentials: { kind: "managed", adminUser: "root" } });
    expect(serviceEnvironment(setup.document.services.grafana!).GF_SECURITY_ADMIN_USER).toBe("root");
    if (file.includes("prod")) {
      expect(api.grafana).toMatchObject({ credentials: { adminPassword: secrets.GRAFANA_ADMIN_PASSWORD } });
      expect(api.metrics.token).toBe(secrets.METRICS_TOKEN);
      expect(worker.metrics.token).toBe(secrets.METRICS_TOKEN);
    }
    // A worker never calls Grafana: its admin password stays with the API.
    expect(serviceEnvironment(setup.document.services.worker!).GRAFANA_ADMIN_PASSWORD).toBeUndefined();
  });

  it("still starts the API with a Grafana token made by hand, which then wins over the admin credentials", async () => {
    const setup = await readComposeSetup(file, {
      ...example,
      ...secrets,
      GRAFANA_SERVICE_ACCOUNT_TOKEN: "glsa_manual",
    });
    const config = configOf(serviceEnvironment(setup.document.services["status-backend"]!));
    expect(config.grafana).toMatchObject({ credentials: { kind: "token", token: "glsa_manual" } });
  });
});

describe("docker-compose.prod.yml with .env.example alone", () => {
  it("is stopped by Compose naming each secret to set, rather than starting a service that cannot work", async () => {
    const setup = await readComposeSetup("docker-compose.prod.yml", await readEnvExample());
    expect(setup.missing.map((item) => item.name).sort()).toEqual(Object.keys(generatedSecrets()).sort());
    for (const item of setup.missing) expect(item.message).toMatch(new RegExp(`^set ${item.name} \\(.+\\) in \\.env$`));
  });
});
