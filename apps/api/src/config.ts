import { hkdfSync, randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { apiRoot } from "./lib/api-root.ts";

// apps/api → the repository (in the production image, /app → /, where DATA_DIR and WEB_DIST_DIR are set anyway).
const repoRoot = path.resolve(apiRoot(path.dirname(fileURLToPath(import.meta.url))), "../..");

const booleanFromEnv = z.enum(["true", "false", "1", "0"]).transform((value) => value === "true" || value === "1");
const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === "" ? undefined : value));

/** An optional URL whose scheme matches `protocol`; a malformed one is reported with what was expected. */
function optionalUrl(protocol: RegExp, expected: string) {
  return optionalString.pipe(z.url({ protocol, error: `must be ${expected}` }).optional());
}

/** Every variable the API reads, with its default. `.env.example` documents each of them. */
const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  PUBLIC_URL: optionalUrl(/^https?$/, "an http(s) URL such as https://status.example.org"),
  API_INTERNAL_URL: optionalUrl(/^https?$/, "an http(s) URL such as http://status-backend:3001"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  DATABASE_URL: optionalUrl(/^postgres(ql)?$/, "a postgres:// connection URL (URL-encode special characters)"),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  DATABASE_PREPARED_STATEMENTS: booleanFromEnv.default(true),
  DATA_DIR: z.string().default(path.join(repoRoot, "data")),
  REDIS_URL: optionalUrl(/^rediss?$/, "a redis:// URL such as redis://dragonfly:6379"),
  REDIS_KEY_PREFIX: z.string().default("status:"),
  JWT_SECRET: optionalString,
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
  CREDENTIAL_CACHE_MS: z.coerce.number().int().min(0).max(5000).default(1000),
  REFRESH_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(300)
    .max(90 * 86_400)
    .default(14 * 86_400),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(10),
  LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  LOGIN_MAX_PER_IP: z.coerce.number().int().min(1).max(100_000).default(100),
  LOGIN_FREE_FAILURES: z.coerce.number().int().min(0).max(1000).default(3),
  LOGIN_DISTRIBUTED_ADDRESSES: z.coerce.number().int().min(2).max(100_000).default(20),
  LOGIN_DISTRIBUTED_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  CORS_ORIGINS: z.string().default(""),
  TRUST_PROXY: z.string().default("loopback"),
  BODY_LIMIT: z.string().default("1mb"),
  EVIDENCE_IMPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1_024)
    .max(100 * 1024 * 1024)
    .default(20 * 1024 * 1024),
  STATUS_ADMIN_USERNAME: z.string().trim().min(3).max(60).default("admin"),
  STATUS_ADMIN_PASSWORD: optionalString,
  STATUS_ADMIN_EMAIL: optionalString,
  SEED_DEMO_DATA: booleanFromEnv.default(true),
  GITHUB_CLIENT_ID: optionalString,
  GITHUB_CLIENT_SECRET: optionalString,
  GITHUB_CALLBACK_URL: optionalString,
  GITHUB_OAUTH_URL: z.url().default("https://github.com"),
  GITHUB_API_URL: z.url().default("https://api.github.com"),
  OIDC_ISSUER: optionalUrl(/^https?$/, "the provider's issuer URL, such as https://login.example.org/realms/acme"),
  OIDC_CLIENT_ID: optionalString,
  OIDC_CLIENT_SECRET: optionalString,
  OIDC_PROVIDER_NAME: z.string().trim().min(1).max(60).default("Single sign-on"),
  OIDC_REDIRECT_URL: optionalUrl(/^https?$/, "an http(s) URL ending in /api/v1/auth/oidc/callback"),
  OIDC_SCOPES: z.string().trim().min(1).default("openid profile email"),
  OIDC_ROLE_CLAIM: z.string().trim().min(1).max(100).default("groups"),
  OIDC_ROLE_MAPPING: z.string().default(""),
  OIDC_DEFAULT_ROLE: z.enum(["none", "USER", "DEVELOPER", "ADMIN"]).default("none"),
  OIDC_ALLOW_CREATE: booleanFromEnv.default(false),
  OIDC_ALLOW_LINK_BY_EMAIL: booleanFromEnv.default(false),
  OIDC_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
  WEB_DIST_DIR: z.string().default(path.join(repoRoot, "apps/web/dist")),
  NODE_RED_URL: optionalUrl(/^https?$/, "an http(s) URL such as http://nodered:1880"),
  // Unset (or empty): the embedded Node-RED takes a free loopback port at each start, so it never meets another one.
  NODE_RED_PORT: optionalString.pipe(z.coerce.number<string | undefined>().int().min(1).max(65_535).optional()),
  NODE_RED_SERVICE_USER: z.string().min(1).max(60).default("status-service"),
  NODE_RED_SERVICE_PASSWORD: optionalString,
  NODE_RED_HTTP_ROOT: z.string().startsWith("/").default("/api/v1"),
  MASHUP_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  RUN_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(3),
  RUN_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(2_000),
  RUN_CONCURRENCY: z.coerce.number().int().min(1).max(20_000).default(512),
  // Sized for flows that wait on external APIs: a waiting call costs a socket and a few KB, not a CPU.
  MASHUP_CONCURRENCY: z.coerce.number().int().min(1).max(20_000).default(256),
  RUN_STALE_AFTER_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(15_000),
  FRAMEWORK_IMPORT_JOB_MIN_BYTES: z.coerce
    .number()
    .int()
    .min(0)
    .max(100 * 1024 * 1024)
    .default(2 * 1024 * 1024),
  NODE_RED_WAIT_MAX_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(600_000),
  DEPENDENCY_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  MAX_CONCURRENT_REQUESTS: z.coerce.number().int().min(0).max(100_000).default(64),
  RUN_WORKER: booleanFromEnv.default(true),
  SCHEDULER_ENABLED: booleanFromEnv.default(true),
  SCHEDULER_INTERVAL_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(60_000),
  SCHEDULER_MAX_CATCHUP: z.coerce.number().int().min(1).max(100_000).default(500),
  REGISTRY_URL: optionalString.pipe(z.url().optional()),
  REGISTRY_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(90_000),
  REGISTRY_SYNC_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .max(7 * 86_400_000)
    .default(3_600_000),
  REGISTRY_PUBLISH_INTERVAL_MS: z.coerce.number().int().min(200).max(86_400_000).default(10_000),
  REGISTRY_COLLECTOR_TOKEN: optionalString,
  STATUS_PUBLIC_API_URL: optionalString.pipe(z.url().optional()),
  DIRECTOR_URL: optionalString.pipe(z.url().optional()),
  GRAFANA_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
  GRAFANA_SERVICE_ACCOUNT_TOKEN: optionalString,
  GRAFANA_ADMIN_USER: z.string().trim().min(1).max(200).default("admin"),
  GRAFANA_ADMIN_PASSWORD: optionalString,
  GRAFANA_PUBLIC_PATH: z
    .string()
    .regex(/^\/[A-Za-z0-9/_-]*$/, "a path such as /grafana")
    .default("/grafana"),
  GRAFANA_DATASOURCE_UID: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/, "a Grafana uid")
    .default("status-postgres"),
  GRAFANA_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
  STATUS_ENCRYPTION_KEY: optionalString,
  STATUS_NEW_ENCRYPTION_KEY: optionalString,
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
  OPENAI_MODEL: z.string().trim().min(1).max(100).default("gpt-4o-mini"),
  OPENAI_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(60_000),
  OPENAI_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  AI_DAILY_REQUEST_LIMIT: z.coerce.number().int().min(0).max(1_000_000).default(200),
  AI_DAILY_TOKEN_LIMIT: z.coerce.number().int().min(0).max(1_000_000_000).default(500_000),
  SMTP_URL: optionalUrl(/^smtps?$/, "an smtp:// or smtps:// URL such as smtps://user:password@mail.example.org:465"),
  SMTP_FROM: optionalString,
  GRAFANA_ALERT_WEBHOOK_TOKEN: optionalString,
  METRICS_TOKEN: optionalString,
  METRICS_PORT: z.coerce.number().int().min(1).max(65_535).optional(),
  ASSISTANT_DOCUMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1_024)
    .max(50 * 1024 * 1024)
    .default(5 * 1024 * 1024),
  OUTBOUND_ALLOW_HOSTS: z.string().default(""),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(5_000),
  WEBHOOK_RETRY_MAX_AGE_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(7 * 86_400_000)
    .default(86_400_000),
  WEBHOOK_LEASE_MS: z.coerce.number().int().min(500).max(3_600_000).default(60_000),
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(1024).default(64),
  WEBHOOK_POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(250),
  ALERT_RUN_ERROR_THRESHOLD: z.coerce.number().int().min(1).max(1000).default(3),
  ALERT_COMPLIANCE_LEVEL: z.coerce.number().min(0).max(100).default(80),
  ALERT_SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).max(86_400_000).default(60_000),
});

/** The names of every environment variable the API reads; `.env.example` must document each. */
export const ENV_VARIABLES = Object.keys(EnvSchema.shape);

export type EnvVariable = keyof typeof EnvSchema.shape;

/**
 * What wires each integration: the variables a process must receive for it (an address, and the credential when it
 * takes one). The compose files pass every one of them to the API and to the worker; the deployment test and
 * `npm run doctor` check that they do. Settings with working defaults (timeouts, intervals) are not listed.
 */
export const INTEGRATION_VARIABLES = {
  database: ["DATABASE_URL"],
  cache: ["REDIS_URL"],
  "node-red": ["NODE_RED_URL", "NODE_RED_SERVICE_USER", "NODE_RED_SERVICE_PASSWORD"],
  grafana: ["GRAFANA_URL", "GRAFANA_ADMIN_USER", "GRAFANA_ADMIN_PASSWORD", "GRAFANA_SERVICE_ACCOUNT_TOKEN"],
  registry: ["REGISTRY_URL", "REGISTRY_COLLECTOR_TOKEN", "STATUS_PUBLIC_API_URL"],
  director: ["DIRECTOR_URL"],
  metrics: ["METRICS_TOKEN"],
  ai: ["OPENAI_API_KEY", "OPENAI_BASE_URL"],
  github: ["GITHUB_CLIENT_ID", "GITHUB_CLIENT_SECRET"],
  oidc: ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"],
} as const satisfies Record<string, readonly EnvVariable[]>;

export interface Config {
  env: "development" | "production" | "test";
  port: number;
  host: string;
  publicUrl: string;
  /** How mashups reach the API (bulk callbacks); default the loopback address of this process. */
  internalUrl: string;
  logLevel: z.infer<typeof EnvSchema>["LOG_LEVEL"];
  /** `timeoutMs`: the longest a connect, a wait for a pooled client or a query may take (DEPENDENCY_TIMEOUT_MS). */
  database: {
    url: string | undefined;
    poolMax: number;
    dataDir: string;
    timeoutMs: number;
    /** Hot fixed statements are prepared per connection (off behind a transaction-mode pooler). */
    preparedStatements: boolean;
  };
  /** `timeoutMs`: the longest a cache or queue command may take (DEPENDENCY_TIMEOUT_MS). */
  redis: { url: string | undefined; keyPrefix: string; timeoutMs: number };
  lifecycle: {
    /** How long SIGTERM lets in-flight requests and runs finish before the process closes what is left and exits. */
    shutdownTimeoutMs: number;
    /** Requests served at once per instance; beyond it 503 `overloaded` (health and metrics exempt); 0: no limit. */
    maxConcurrentRequests: number;
  };
  auth: {
    jwtSecret: string;
    isJwtSecretGenerated: boolean;
    accessTokenTtlSeconds: number;
    refreshTokenTtlSeconds: number;
    /**
     * How long this process trusts a credential it has just checked (an API token's owner, a session being open)
     * without asking again; 0 checks every request. Revocation through this process takes effect at once.
     */
    credentialCacheMs: number;
    secureCookies: boolean;
    /** Sign-in throttling (modules/auth/login-throttle.ts): per username and address; username-wide if distributed. */
    login: {
      maxFailures: number;
      windowSeconds: number;
      maxPerIp: number;
      freeFailures: number;
      distributedAddresses: number;
      distributedWindowSeconds: number;
    };
  };
  /** `evidenceImportMaxBytes`: the largest scanner file `/evidence/import` reads (413 beyond). */
  http: { corsOrigins: string[]; trustProxy: string; bodyLimit: string; evidenceImportMaxBytes: number };
  bootstrap: {
    adminUsername: string;
    adminPassword: string | undefined;
    adminEmail: string | undefined;
    seedDemoData: boolean;
  };
  github:
    | { enabled: false }
    | { enabled: true; clientId: string; clientSecret: string; callbackUrl: string; oauthUrl: string; apiUrl: string };
  /** OpenID Connect sign-in (modules/oidc); README "Single sign-on (OpenID Connect)" documents each setting. */
  oidc:
    | { isEnabled: false }
    | {
        isEnabled: true;
        issuer: string;
        clientId: string;
        clientSecret: string;
        providerName: string;
        redirectUrl: string;
        scopes: string;
        roleClaim: string;
        /** Claim value (e.g. a group) → role; the highest role among the user's values wins. */
        roleMapping: Record<string, "USER" | "DEVELOPER" | "ADMIN">;
        /** The role of a user whose claim maps to none; `none` refuses the sign-in. */
        defaultRole: "none" | "USER" | "DEVELOPER" | "ADMIN";
        allowCreate: boolean;
        allowLinkByEmail: boolean;
        timeoutMs: number;
      };
  webDistDir: string;
  nodeRed: {
    /** Unset: the API starts Node-RED itself as a child process (the embedded default). */
    url: string | undefined;
    /** The embedded Node-RED's loopback port; unset: a free one chosen at each start. */
    port: number | undefined;
    serviceUser: string;
    /** Unset with an embedded Node-RED: generated at each start, known only to the API and its child. */
    servicePassword: string | undefined;
    httpRoot: string;
    userDir: string;
  };
  engine: {
    mashupTimeoutMs: number;
    maxAttempts: number;
    retryBaseMs: number;
    concurrency: number;
    mashupConcurrency: number;
    staleAfterMs: number;
    /** How long a run waits for an unreachable or restarting Node-RED (without using attempts) before it errors. */
    nodeRedWaitMaxMs: number;
    runsWorkerInProcess: boolean;
    scheduler: { isEnabled: boolean; intervalMs: number; maxCatchUpWindows: number };
  };
  frameworks: {
    /** Imports whose body has at least this many bytes run as a job on the queue (202) instead of in the request. */
    importJobMinBytes: number;
  };
  registry: {
    /** Unset: nothing is published or synced, and health reports the registry as not configured. */
    url: string | undefined;
    timeoutMs: number;
    syncIntervalMs: number;
    publishIntervalMs: number;
    /**
     * A personal API token (`stt_…`) of the service account the registry acts as when it calls our collector: sent
     * as `x-access-token` on state requests, which the registry forwards to the collector as `Cookie: accessToken=…`.
     */
    collectorToken: string | undefined;
    /** The API's base URL as the registry reaches it (`…/api/v1`), written into each metric's collector config. */
    publicApiUrl: string;
  };
  director: { url: string | undefined };
  grafana:
    | { isEnabled: false; publicPath: string }
    | {
        isEnabled: true;
        /** Internal base URL the API calls, including Grafana's sub path (e.g. http://grafana:3000/grafana). */
        url: string;
        /** How the API authenticates to Grafana's HTTP API. */
        credentials: GrafanaCredentialsConfig;
        /** Where browsers reach Grafana, on this site (e.g. /grafana). */
        publicPath: string;
        datasourceUid: string;
        timeoutMs: number;
      };
  /**
   * E-mail notifications (modules/mail): disabled without SMTP_URL. `from` is SMTP_FROM, by default
   * `STATUS <status@host of PUBLIC_URL>`; `timeoutMs` bounds connecting and each SMTP command (DEPENDENCY_TIMEOUT_MS).
   */
  mail: { isEnabled: false } | { isEnabled: true; smtpUrl: string; from: string; timeoutMs: number };
  /** The Bearer token Grafana's contact point sends to POST /integrations/grafana/alerts; unset: the route is off. */
  grafanaAlerts: { webhookToken: string | undefined };
  /** Prometheus metrics: served only with a token; on METRICS_PORT when set (the worker's only way to serve them). */
  metrics: { isEnabled: boolean; token: string | undefined; port: number | undefined };
  /**
   * AES-256-GCM key for stored credentials (the OpenAI key, Grafana's service-account token); outside production it
   * may be derived from JWT_SECRET or kept in DATA_DIR/keys/encryption-key (isKeyGenerated: not from
   * STATUS_ENCRYPTION_KEY).
   */
  encryption: { key: Buffer; isKeyGenerated: boolean };
  /** Read only by `rotate-encryption-key`: the key stored credentials move to. */
  keyRotation: { newEncryptionKey: Buffer | undefined };
  ai: {
    /** Fallbacks for what ADMIN has not set in the AI settings. */
    apiKey: string | undefined;
    baseUrl: string | undefined;
    defaultModel: string;
    timeoutMs: number;
    maxRetries: number;
    dailyRequestLimit: number;
    dailyTokenLimit: number;
    documentMaxBytes: number;
  };
  /** Outbound calls to URLs users set (webhooks, the AI server): private and loopback targets allowed by name/CIDR. */
  outbound: { allowHosts: string[] };
  /** Signed webhook delivery (modules/webhooks): per-attempt timeout, retry backoff and age, the claim's lease. */
  webhooks: {
    timeoutMs: number;
    retryBaseMs: number;
    retryMaxAgeMs: number;
    leaseMs: number;
    concurrency: number;
    pollIntervalMs: number;
  };
  /** The alert rules (modules/events): run.error after this many errored runs, the compliance level, the sweep. */
  alerts: { runErrorThreshold: number; complianceLevel: number; sweepIntervalMs: number };
}

/**
 * `token`: GRAFANA_SERVICE_ACCOUNT_TOKEN, used as given. `managed`: STATUS creates its own service account and token
 * through Grafana's HTTP API with the admin credentials, stores the token encrypted, and creates a new one when Grafana
 * stops accepting it. `missing`: neither is set; the API starts, and dashboards report what to set.
 */
export type GrafanaCredentialsConfig =
  | { kind: "token"; token: string }
  | { kind: "managed"; adminUser: string; adminPassword: string }
  | { kind: "missing" };

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((issue) => `  - ${issue}`).join("\n")}`);
  }
}

// The keys checked in combination; parsed on their own so their issues are reported even when other keys are bad.
const CombinedKeysSchema = EnvSchema.pick({
  NODE_ENV: true,
  JWT_SECRET: true,
  GITHUB_CLIENT_ID: true,
  GITHUB_CLIENT_SECRET: true,
  OIDC_ISSUER: true,
  OIDC_CLIENT_ID: true,
  OIDC_CLIENT_SECRET: true,
  OIDC_ROLE_MAPPING: true,
  NODE_RED_URL: true,
  NODE_RED_SERVICE_PASSWORD: true,
  REGISTRY_COLLECTOR_TOKEN: true,
  STATUS_ENCRYPTION_KEY: true,
  STATUS_NEW_ENCRYPTION_KEY: true,
  METRICS_TOKEN: true,
  GRAFANA_ALERT_WEBHOOK_TOKEN: true,
});

/** 32 bytes written as 64 hex digits or as base64; undefined when the text is neither. */
export function decodeEncryptionKey(text: string): Buffer | undefined {
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, "hex");
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return undefined;
  const bytes = Buffer.from(text.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  return bytes.length === 32 ? bytes : undefined;
}

/**
 * Outside production without STATUS_ENCRYPTION_KEY: a key derived from JWT_SECRET (stable across restarts), or, without
 * JWT_SECRET either, a per-process placeholder that the processes replace with the key kept under DATA_DIR/keys
 * (withPersistentKeys).
 */
function developmentEncryptionKey(jwtSecret: string | undefined): Buffer {
  if (!jwtSecret) return randomBytes(32);
  return Buffer.from(hkdfSync("sha256", jwtSecret, "status", "status-encryption-key-v1", 32));
}

/** `status-admins=ADMIN,staff=USER` → a map; undefined when a pair is malformed or names no role. */
export function parseRoleMapping(text: string): Record<string, "USER" | "DEVELOPER" | "ADMIN"> | undefined {
  const mapping: Record<string, "USER" | "DEVELOPER" | "ADMIN"> = {};
  for (const pair of text
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)) {
    const separator = pair.lastIndexOf("=");
    const value = pair.slice(0, separator).trim();
    const role = pair.slice(separator + 1).trim();
    if (separator <= 0 || !value || (role !== "USER" && role !== "DEVELOPER" && role !== "ADMIN")) return undefined;
    mapping[value] = role;
  }
  return mapping;
}

function combinationIssues(values: z.infer<typeof CombinedKeysSchema>): string[] {
  const issues: string[] = [];
  if (values.NODE_ENV === "production" && !values.JWT_SECRET)
    issues.push("JWT_SECRET: required in production (at least 32 characters)");
  if (values.JWT_SECRET && values.JWT_SECRET.length < 32) issues.push("JWT_SECRET: use at least 32 characters");
  if (Boolean(values.GITHUB_CLIENT_ID) !== Boolean(values.GITHUB_CLIENT_SECRET)) {
    issues.push("GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET: set both or neither");
  }
  const oidcSet = [values.OIDC_ISSUER, values.OIDC_CLIENT_ID, values.OIDC_CLIENT_SECRET].filter(Boolean).length;
  if (oidcSet > 0 && oidcSet < 3)
    issues.push("OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET: set all three or none");
  if (parseRoleMapping(values.OIDC_ROLE_MAPPING ?? "") === undefined)
    issues.push("OIDC_ROLE_MAPPING: use value=ROLE pairs separated by commas, e.g. status-admins=ADMIN,staff=USER");
  if (values.NODE_ENV === "production" && !values.STATUS_ENCRYPTION_KEY)
    issues.push("STATUS_ENCRYPTION_KEY: required in production (32 bytes as 64 hex digits or base64)");
  if (values.STATUS_ENCRYPTION_KEY && !decodeEncryptionKey(values.STATUS_ENCRYPTION_KEY))
    issues.push("STATUS_ENCRYPTION_KEY: must be 32 bytes as 64 hex digits or base64");
  if (values.STATUS_NEW_ENCRYPTION_KEY && !decodeEncryptionKey(values.STATUS_NEW_ENCRYPTION_KEY))
    issues.push("STATUS_NEW_ENCRYPTION_KEY: must be 32 bytes as 64 hex digits or base64");
  if (values.NODE_RED_URL && !values.NODE_RED_SERVICE_PASSWORD) {
    issues.push(
      "NODE_RED_SERVICE_PASSWORD: required with NODE_RED_URL (the HTTP-node and admin credential of the external Node-RED)",
    );
  }
  if (values.REGISTRY_COLLECTOR_TOKEN && !values.REGISTRY_COLLECTOR_TOKEN.startsWith("stt_")) {
    issues.push(
      "REGISTRY_COLLECTOR_TOKEN: use a personal API token (stt_…) of the service account the registry acts as",
    );
  }
  if (values.GRAFANA_ALERT_WEBHOOK_TOKEN && values.GRAFANA_ALERT_WEBHOOK_TOKEN.length < 16)
    issues.push("GRAFANA_ALERT_WEBHOOK_TOKEN: use at least 16 random characters (e.g. openssl rand -hex 32)");
  if (values.METRICS_TOKEN && values.METRICS_TOKEN.length < 16)
    issues.push("METRICS_TOKEN: use at least 16 random characters (e.g. openssl rand -hex 32)");
  return issues;
}

/**
 * The shell's variables, for `npm run doctor`: it checks a .env as Compose reads it, where variables exported in the
 * shell win over the file. Nothing else reads the environment outside loadConfig.
 */
export function shellVariables(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/** Parses the environment once at boot; every bad key is reported together. The result is frozen and injected. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty value (`KEY=` copied from .env.example) means "not set", so the default applies.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ""));
  const parsed = EnvSchema.safeParse(present);
  const combined = CombinedKeysSchema.safeParse(present);
  const issues = [
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`)),
    ...(combined.success ? combinationIssues(combined.data) : []),
  ];
  if (!parsed.success || issues.length > 0) throw new ConfigError(issues);
  const values = parsed.data;
  const isProduction = values.NODE_ENV === "production";

  const publicUrl = (values.PUBLIC_URL ?? `http://localhost:${values.PORT}`).replace(/\/$/, "");
  return Object.freeze({
    env: values.NODE_ENV,
    port: values.PORT,
    host: values.HOST,
    publicUrl,
    internalUrl: (values.API_INTERNAL_URL ?? `http://127.0.0.1:${values.PORT}`).replace(/\/$/, ""),
    logLevel: values.LOG_LEVEL,
    database: {
      url: values.DATABASE_URL,
      poolMax: values.DATABASE_POOL_MAX,
      preparedStatements: values.DATABASE_PREPARED_STATEMENTS,
      dataDir: values.DATA_DIR,
      timeoutMs: values.DEPENDENCY_TIMEOUT_MS,
    },
    redis: { url: values.REDIS_URL, keyPrefix: values.REDIS_KEY_PREFIX, timeoutMs: values.DEPENDENCY_TIMEOUT_MS },
    lifecycle: {
      shutdownTimeoutMs: values.SHUTDOWN_TIMEOUT_MS,
      maxConcurrentRequests: values.MAX_CONCURRENT_REQUESTS,
    },
    auth: {
      // Without a configured secret (never in production) this per-process key is a placeholder: the processes
      // replace it with the key kept under DATA_DIR/keys (withPersistentKeys), so a restart signs nobody out.
      jwtSecret: values.JWT_SECRET ?? randomBytes(32).toString("base64url"),
      isJwtSecretGenerated: !values.JWT_SECRET,
      accessTokenTtlSeconds: values.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlSeconds: values.REFRESH_TOKEN_TTL_SECONDS,
      credentialCacheMs: values.CREDENTIAL_CACHE_MS,
      secureCookies: isProduction,
      login: {
        maxFailures: values.LOGIN_MAX_FAILURES,
        windowSeconds: values.LOGIN_WINDOW_SECONDS,
        maxPerIp: values.LOGIN_MAX_PER_IP,
        freeFailures: values.LOGIN_FREE_FAILURES,
        distributedAddresses: values.LOGIN_DISTRIBUTED_ADDRESSES,
        distributedWindowSeconds: values.LOGIN_DISTRIBUTED_WINDOW_SECONDS,
      },
    },
    http: {
      corsOrigins: values.CORS_ORIGINS.split(",")
        .map((origin) => origin.trim())
        .filter(Boolean),
      trustProxy: values.TRUST_PROXY,
      bodyLimit: values.BODY_LIMIT,
      evidenceImportMaxBytes: values.EVIDENCE_IMPORT_MAX_BYTES,
    },
    bootstrap: {
      adminUsername: values.STATUS_ADMIN_USERNAME,
      adminPassword: values.STATUS_ADMIN_PASSWORD,
      adminEmail: values.STATUS_ADMIN_EMAIL,
      seedDemoData: values.SEED_DEMO_DATA,
    },
    github:
      values.GITHUB_CLIENT_ID && values.GITHUB_CLIENT_SECRET
        ? {
            enabled: true as const,
            clientId: values.GITHUB_CLIENT_ID,
            clientSecret: values.GITHUB_CLIENT_SECRET,
            callbackUrl: values.GITHUB_CALLBACK_URL ?? `${publicUrl}/api/v1/auth/github/callback`,
            oauthUrl: values.GITHUB_OAUTH_URL.replace(/\/$/, ""),
            apiUrl: values.GITHUB_API_URL.replace(/\/$/, ""),
          }
        : { enabled: false as const },
    oidc:
      values.OIDC_ISSUER && values.OIDC_CLIENT_ID && values.OIDC_CLIENT_SECRET
        ? {
            isEnabled: true as const,
            issuer: values.OIDC_ISSUER,
            clientId: values.OIDC_CLIENT_ID,
            clientSecret: values.OIDC_CLIENT_SECRET,
            providerName: values.OIDC_PROVIDER_NAME,
            redirectUrl: values.OIDC_REDIRECT_URL ?? `${publicUrl}/api/v1/auth/oidc/callback`,
            scopes: values.OIDC_SCOPES,
            roleClaim: values.OIDC_ROLE_CLAIM,
            roleMapping: parseRoleMapping(values.OIDC_ROLE_MAPPING) ?? {},
            defaultRole: values.OIDC_DEFAULT_ROLE,
            allowCreate: values.OIDC_ALLOW_CREATE,
            allowLinkByEmail: values.OIDC_ALLOW_LINK_BY_EMAIL,
            timeoutMs: values.OIDC_TIMEOUT_MS,
          }
        : { isEnabled: false as const },
    webDistDir: values.WEB_DIST_DIR,
    nodeRed: {
      url: values.NODE_RED_URL?.replace(/\/$/, ""),
      port: values.NODE_RED_PORT,
      serviceUser: values.NODE_RED_SERVICE_USER,
      servicePassword: values.NODE_RED_SERVICE_PASSWORD,
      httpRoot: values.NODE_RED_HTTP_ROOT.replace(/\/$/, ""),
      userDir: path.join(values.DATA_DIR, "node-red"),
    },
    engine: {
      mashupTimeoutMs: values.MASHUP_TIMEOUT_MS,
      maxAttempts: values.RUN_MAX_ATTEMPTS,
      retryBaseMs: values.RUN_RETRY_BASE_MS,
      concurrency: values.RUN_CONCURRENCY,
      mashupConcurrency: values.MASHUP_CONCURRENCY,
      staleAfterMs: values.RUN_STALE_AFTER_MS,
      nodeRedWaitMaxMs: values.NODE_RED_WAIT_MAX_MS,
      runsWorkerInProcess: values.RUN_WORKER,
      scheduler: {
        isEnabled: values.SCHEDULER_ENABLED,
        intervalMs: values.SCHEDULER_INTERVAL_MS,
        maxCatchUpWindows: values.SCHEDULER_MAX_CATCHUP,
      },
    },
    frameworks: { importJobMinBytes: values.FRAMEWORK_IMPORT_JOB_MIN_BYTES },
    registry: {
      url: values.REGISTRY_URL?.replace(/\/$/, ""),
      timeoutMs: values.REGISTRY_TIMEOUT_MS,
      syncIntervalMs: values.REGISTRY_SYNC_INTERVAL_MS,
      publishIntervalMs: values.REGISTRY_PUBLISH_INTERVAL_MS,
      collectorToken: values.REGISTRY_COLLECTOR_TOKEN,
      publicApiUrl: (values.STATUS_PUBLIC_API_URL ?? `${publicUrl}/api/v1`).replace(/\/$/, ""),
    },
    director: { url: values.DIRECTOR_URL?.replace(/\/$/, "") },
    grafana: grafanaConfig(values),
    mail: values.SMTP_URL
      ? {
          isEnabled: true as const,
          smtpUrl: values.SMTP_URL,
          from: values.SMTP_FROM ?? `STATUS <status@${new URL(publicUrl).hostname}>`,
          timeoutMs: values.DEPENDENCY_TIMEOUT_MS,
        }
      : { isEnabled: false as const },
    grafanaAlerts: { webhookToken: values.GRAFANA_ALERT_WEBHOOK_TOKEN },
    metrics: { isEnabled: Boolean(values.METRICS_TOKEN), token: values.METRICS_TOKEN, port: values.METRICS_PORT },
    encryption: {
      key: values.STATUS_ENCRYPTION_KEY
        ? decodeEncryptionKey(values.STATUS_ENCRYPTION_KEY)!
        : developmentEncryptionKey(values.JWT_SECRET),
      isKeyGenerated: !values.STATUS_ENCRYPTION_KEY,
    },
    keyRotation: {
      newEncryptionKey: values.STATUS_NEW_ENCRYPTION_KEY
        ? decodeEncryptionKey(values.STATUS_NEW_ENCRYPTION_KEY)
        : undefined,
    },
    ai: {
      apiKey: values.OPENAI_API_KEY,
      baseUrl: values.OPENAI_BASE_URL?.replace(/\/$/, ""),
      defaultModel: values.OPENAI_MODEL,
      timeoutMs: values.OPENAI_TIMEOUT_MS,
      maxRetries: values.OPENAI_MAX_RETRIES,
      dailyRequestLimit: values.AI_DAILY_REQUEST_LIMIT,
      dailyTokenLimit: values.AI_DAILY_TOKEN_LIMIT,
      documentMaxBytes: values.ASSISTANT_DOCUMENT_MAX_BYTES,
    },
    outbound: {
      allowHosts: values.OUTBOUND_ALLOW_HOSTS.split(",")
        .map((host) => host.trim().toLowerCase())
        .filter(Boolean),
    },
    webhooks: {
      timeoutMs: values.WEBHOOK_TIMEOUT_MS,
      retryBaseMs: values.WEBHOOK_RETRY_BASE_MS,
      retryMaxAgeMs: values.WEBHOOK_RETRY_MAX_AGE_MS,
      leaseMs: values.WEBHOOK_LEASE_MS,
      concurrency: values.WEBHOOK_CONCURRENCY,
      pollIntervalMs: values.WEBHOOK_POLL_INTERVAL_MS,
    },
    alerts: {
      runErrorThreshold: values.ALERT_RUN_ERROR_THRESHOLD,
      complianceLevel: values.ALERT_COMPLIANCE_LEVEL,
      sweepIntervalMs: values.ALERT_SWEEP_INTERVAL_MS,
    },
  });
}

function grafanaConfig(values: z.infer<typeof EnvSchema>): Config["grafana"] {
  const publicPath = values.GRAFANA_PUBLIC_PATH.replace(/\/+$/, "") || "/grafana";
  if (!values.GRAFANA_URL) return { isEnabled: false, publicPath };
  return {
    isEnabled: true,
    url: values.GRAFANA_URL.replace(/\/+$/, ""),
    credentials: grafanaCredentials(values),
    publicPath,
    datasourceUid: values.GRAFANA_DATASOURCE_UID,
    timeoutMs: values.GRAFANA_TIMEOUT_MS,
  };
}

// An explicit token wins: the admin chose it. Without one, the admin credentials let STATUS make its own.
function grafanaCredentials(values: z.infer<typeof EnvSchema>): GrafanaCredentialsConfig {
  if (values.GRAFANA_SERVICE_ACCOUNT_TOKEN) return { kind: "token", token: values.GRAFANA_SERVICE_ACCOUNT_TOKEN };
  if (values.GRAFANA_ADMIN_PASSWORD)
    return { kind: "managed", adminUser: values.GRAFANA_ADMIN_USER, adminPassword: values.GRAFANA_ADMIN_PASSWORD };
  return { kind: "missing" };
}

/**
 * The MCP stdio bridge's settings (`npm run mcp:stdio`, on a desktop beside an MCP client): the STATUS to talk to and
 * the personal API token to act with. Not the server's configuration, so not in ENV_VARIABLES or `.env.example`.
 */
const McpStdioEnvSchema = z.object({
  STATUS_API_URL: z
    .url({ protocol: /^https?$/, error: "must be the http(s) URL of STATUS, such as https://status.example.org" })
    .transform((url) => url.replace(/\/+$/, "").replace(/\/api\/v1$/, "")),
  STATUS_API_TOKEN: z.string().startsWith("stt_", "must be a personal API token (stt_…)"),
});

export interface McpStdioConfig {
  /** The MCP endpoint of that STATUS: `<STATUS_API_URL>/api/v1/mcp`. */
  mcpUrl: string;
  token: string;
}

export function loadMcpStdioConfig(env: NodeJS.ProcessEnv = process.env): McpStdioConfig {
  const parsed = McpStdioEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`));
  }
  return { mcpUrl: `${parsed.data.STATUS_API_URL}/api/v1/mcp`, token: parsed.data.STATUS_API_TOKEN };
}
