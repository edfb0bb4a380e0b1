import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.ts";

const SECRET = "s".repeat(32);
const ENCRYPTION_KEY = "ab".repeat(32);

/** The issues of the ConfigError that `loadConfig(env)` throws. */
function issuesOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error("expected loadConfig to throw a ConfigError");
}

describe("loadConfig", () => {
  it("refuses production without JWT_SECRET, saying what is needed", () => {
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(
      /JWT_SECRET: required in production \(at least 32 characters\)/,
    );
  });

  it("refuses a JWT_SECRET shorter than 32 characters in any environment", () => {
    expect(issuesOf({ NODE_ENV: "development", JWT_SECRET: "too-short" })).toEqual([
      "JWT_SECRET: use at least 32 characters",
    ]);
    expect(
      issuesOf({ NODE_ENV: "production", JWT_SECRET: "s".repeat(31), STATUS_ENCRYPTION_KEY: ENCRYPTION_KEY }),
    ).toEqual(["JWT_SECRET: use at least 32 characters"]);
  });

  it("accepts production with a long enough JWT_SECRET and uses secure cookies there", () => {
    const config = loadConfig({ NODE_ENV: "production", JWT_SECRET: SECRET, STATUS_ENCRYPTION_KEY: ENCRYPTION_KEY });

    expect(config.auth).toMatchObject({ jwtSecret: SECRET, isJwtSecretGenerated: false, secureCookies: true });
  });

  it("refuses production without STATUS_ENCRYPTION_KEY, and a key that is not 32 bytes anywhere", () => {
    expect(issuesOf({ NODE_ENV: "production", JWT_SECRET: SECRET })).toEqual([
      "STATUS_ENCRYPTION_KEY: required in production (32 bytes as 64 hex digits or base64)",
    ]);
    expect(issuesOf({ STATUS_ENCRYPTION_KEY: "c2hvcnQ=" })).toEqual([
      "STATUS_ENCRYPTION_KEY: must be 32 bytes as 64 hex digits or base64",
    ]);
  });

  it("reads STATUS_NEW_ENCRYPTION_KEY (for key rotation) in the same format, and refuses one that is not 32 bytes", () => {
    expect(loadConfig({ STATUS_NEW_ENCRYPTION_KEY: ENCRYPTION_KEY }).keyRotation.newEncryptionKey).toEqual(
      Buffer.from(ENCRYPTION_KEY, "hex"),
    );
    expect(loadConfig({}).keyRotation.newEncryptionKey).toBeUndefined();
    expect(issuesOf({ STATUS_NEW_ENCRYPTION_KEY: "c2hvcnQ=" })).toEqual([
      "STATUS_NEW_ENCRYPTION_KEY: must be 32 bytes as 64 hex digits or base64",
    ]);
  });

  it("reads the encryption key as hex or base64, and derives a stable one from JWT_SECRET in development", () => {
    const hex = loadConfig({ STATUS_ENCRYPTION_KEY: ENCRYPTION_KEY });
    const base64 = loadConfig({ STATUS_ENCRYPTION_KEY: Buffer.from(ENCRYPTION_KEY, "hex").toString("base64") });
    expect(hex.encryption).toEqual({ key: Buffer.from(ENCRYPTION_KEY, "hex"), isKeyGenerated: false });
    expect(base64.encryption.key.equals(hex.encryption.key)).toBe(true);
    const derived = loadConfig({ JWT_SECRET: SECRET }).encryption;
    expect(derived.isKeyGenerated).toBe(true);
    expect(derived.key.equals(loadConfig({ JWT_SECRET: SECRET }).encryption.key)).toBe(true);
    expect(derived.key).toHaveLength(32);
  });

  it("refuses a GitHub client id without a secret, and a secret without an id", () => {
    const message = "GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET: set both or neither";
    expect(issuesOf({ GITHUB_CLIENT_ID: "id" })).toEqual([message]);
    expect(issuesOf({ GITHUB_CLIENT_SECRET: "secret" })).toEqual([message]);
  });

  it("enables GitHub with both set, deriving the callback from PUBLIC_URL and trimming trailing slashes", () => {
    const config = loadConfig({
      GITHUB_CLIENT_ID: "id",
      GITHUB_CLIENT_SECRET: "secret",
      PUBLIC_URL: "https://status.example.org/",
      GITHUB_OAUTH_URL: "http://127.0.0.1:9999/",
    });

    expect(config.github).toEqual({
      enabled: true,
      clientId: "id",
      clientSecret: "secret",
      callbackUrl: "https://status.example.org/api/v1/auth/github/callback",
      oauthUrl: "http://127.0.0.1:9999",
      apiUrl: "https://api.github.com",
    });
  });

  it("has sane defaults for an empty environment", () => {
    const config = loadConfig({});

    expect(config).toMatchObject({
      env: "development",
      port: 3000,
      host: "0.0.0.0",
      publicUrl: "http://localhost:3000",
      logLevel: "info",
      redis: { url: undefined, keyPrefix: "status:" },
      http: { corsOrigins: [], trustProxy: "loopback", bodyLimit: "1mb" },
      github: { enabled: false },
    });
    expect(config.database).toMatchObject({ url: undefined, poolMax: 10 });
    expect(config.auth).toMatchObject({
      isJwtSecretGenerated: true,
      accessTokenTtlSeconds: 900,
      refreshTokenTtlSeconds: 14 * 86_400,
      secureCookies: false,
      login: {
        maxFailures: 10,
        windowSeconds: 900,
        maxPerIp: 100,
        freeFailures: 3,
        distributedAddresses: 20,
        distributedWindowSeconds: 900,
      },
    });
    expect(config.auth.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(config.bootstrap).toEqual({
      adminUsername: "admin",
      adminPassword: undefined,
      adminEmail: undefined,
      seedDemoData: true,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("generates a different development secret per process start", () => {
    expect(loadConfig({}).auth.jwtSecret).not.toBe(loadConfig({}).auth.jwtSecret);
  });

  it("leaves Grafana off without GRAFANA_URL, and starts with a GRAFANA_URL that has no credential yet", () => {
    expect(loadConfig({}).grafana).toEqual({ isEnabled: false, publicPath: "/grafana" });
    // The reference's defect 51 made worse: compose set GRAFANA_URL with an empty token and the API refused to start.
    expect(loadConfig({ GRAFANA_URL: "http://grafana:3000/grafana" }).grafana).toMatchObject({
      isEnabled: true,
      credentials: { kind: "missing" },
    });
    expect(issuesOf({ GRAFANA_URL: "ftp://grafana/", GRAFANA_SERVICE_ACCOUNT_TOKEN: "glsa_x" })[0]).toMatch(
      /^GRAFANA_URL: /,
    );
  });

  it("enables Grafana with URL and token, trimming trailing slashes and defaulting the datasource and timeout", () => {
    const config = loadConfig({
      GRAFANA_URL: "http://grafana:3000/grafana/",
      GRAFANA_SERVICE_ACCOUNT_TOKEN: "glsa_x",
      GRAFANA_PUBLIC_PATH: "/charts/",
    });

    expect(config.grafana).toEqual({
      isEnabled: true,
      url: "http://grafana:3000/grafana",
      credentials: { kind: "token", token: "glsa_x" },
      publicPath: "/charts",
      datasourceUid: "status-postgres",
      timeoutMs: 5000,
    });
  });

  it("lets STATUS manage its Grafana token with the admin credentials, unless a token is given", () => {
    const managed = loadConfig({ GRAFANA_URL: "http://grafana:3000/grafana", GRAFANA_ADMIN_PASSWORD: "pw" });
    const both = loadConfig({
      GRAFANA_URL: "http://grafana:3000/grafana",
      GRAFANA_ADMIN_USER: "root",
      GRAFANA_ADMIN_PASSWORD: "pw",
      GRAFANA_SERVICE_ACCOUNT_TOKEN: "glsa_x",
    });

    expect(managed.grafana).toMatchObject({
      credentials: { kind: "managed", adminUser: "admin", adminPassword: "pw" },
    });
    expect(both.grafana).toMatchObject({ credentials: { kind: "token", token: "glsa_x" } });
  });

  it("reports malformed connection URLs with what each expects", () => {
    expect(
      issuesOf({
        DATABASE_URL: "status:pw@postgres:5432/status",
        REDIS_URL: "http://dragonfly:6379",
        NODE_RED_URL: "nodered:1880",
        PUBLIC_URL: "status.example.org",
      }),
    ).toEqual([
      "PUBLIC_URL: must be an http(s) URL such as https://status.example.org",
      "DATABASE_URL: must be a postgres:// connection URL (URL-encode special characters)",
      "REDIS_URL: must be a redis:// URL such as redis://dragonfly:6379",
      "NODE_RED_URL: must be an http(s) URL such as http://nodered:1880",
    ]);
    expect(loadConfig({ DATABASE_URL: "postgresql://status:a%40b@postgres:5432/status" }).database.url).toBe(
      "postgresql://status:a%40b@postgres:5432/status",
    );
  });

  it("serves metrics only with a token of at least 16 characters, on METRICS_PORT when it is set", () => {
    expect(loadConfig({}).metrics).toEqual({ isEnabled: false, token: undefined, port: undefined });
    expect(loadConfig({ METRICS_TOKEN: "m".repeat(16), METRICS_PORT: "9464" }).metrics).toEqual({
      isEnabled: true,
      token: "m".repeat(16),
      port: 9464,
    });
    expect(issuesOf({ METRICS_TOKEN: "short" })).toEqual([
      "METRICS_TOKEN: use at least 16 random characters (e.g. openssl rand -hex 32)",
    ]);
    expect(issuesOf({ METRICS_PORT: "http" })[0]).toMatch(/^METRICS_PORT: /);
  });

  it("treats blank optional values as unset", () => {
    const config = loadConfig({ DATABASE_URL: "  ", JWT_SECRET: "", GITHUB_CLIENT_ID: " ", GITHUB_CLIENT_SECRET: "" });

    expect(config.database.url).toBeUndefined();
    expect(config.auth.isJwtSecretGenerated).toBe(true);
    expect(config.github.enabled).toBe(false);
  });

  it("coerces numbers and booleans from their text form", () => {
    const config = loadConfig({
      PORT: "8080",
      LOGIN_MAX_FAILURES: "3",
      SEED_DEMO_DATA: "0",
      CORS_ORIGINS: "https://a.example, https://b.example",
    });

    expect(config.port).toBe(8080);
    expect(config.auth.login.maxFailures).toBe(3);
    expect(config.bootstrap.seedDemoData).toBe(false);
    expect(config.http.corsOrigins).toEqual(["https://a.example", "https://b.example"]);
  });

  it("reports every bad key at once", () => {
    const issues = issuesOf({
      PORT: "not-a-port",
      LOG_LEVEL: "loud",
      ACCESS_TOKEN_TTL_SECONDS: "5",
      SEED_DEMO_DATA: "maybe",
    });

    expect(issues.map((issue) => issue.split(":")[0])).toEqual([
      "PORT",
      "LOG_LEVEL",
      "ACCESS_TOKEN_TTL_SECONDS",
      "SEED_DEMO_DATA",
    ]);
  });

  it("reports bad values and missing combinations together", () => {
    const issues = issuesOf({ NODE_ENV: "production", PORT: "not-a-port", GITHUB_CLIENT_ID: "id" });

    expect(issues).toHaveLength(4);
    expect(issues).toContain("STATUS_ENCRYPTION_KEY: required in production (32 bytes as 64 hex digits or base64)");
    expect(issues[0]).toMatch(/^PORT: /);
    expect(issues).toContain("JWT_SECRET: required in production (at least 32 characters)");
    expect(issues).toContain("GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET: set both or neither");
  });

  it("lists the issues in the error message, one per line", () => {
    expect(() => loadConfig({ PORT: "x", LOG_LEVEL: "loud" })).toThrow(
      /Invalid configuration:\n {2}- PORT: .*\n {2}- LOG_LEVEL: /,
    );
  });

  it("reads the registry settings: off by default, the collector token must be a personal API token", () => {
    const defaults = loadConfig({ JWT_SECRET: SECRET, PUBLIC_URL: "https://status.example" });
    expect(defaults.registry).toMatchObject({
      url: undefined,
      collectorToken: undefined,
      publicApiUrl: "https://status.example/api/v1",
      timeoutMs: 90_000,
    });
    expect(defaults.director.url).toBeUndefined();
    expect(issuesOf({ JWT_SECRET: SECRET, REGISTRY_URL: "not a url", REGISTRY_COLLECTOR_TOKEN: "eyJhbGciOi" })).toEqual(
      [
        expect.stringMatching(/^REGISTRY_URL: /),
        "REGISTRY_COLLECTOR_TOKEN: use a personal API token (stt_…) of the service account the registry acts as",
      ],
    );
    expect(
      loadConfig({ JWT_SECRET: SECRET, REGISTRY_URL: "http://registry:80/", DIRECTOR_URL: "http://director:80" }),
    ).toMatchObject({ registry: { url: "http://registry:80" }, director: { url: "http://director:80" } });
  });
});
