import { setTimeout as sleep } from "node:timers/promises";
import { cacheKeys } from "../../cache/keys.ts";
import type { Config } from "../../config.ts";
import type { AppDeps } from "../../deps.ts";
import { AppError, ServiceUnavailableError } from "../../errors.ts";
import { randomToken } from "../../lib/random-token.ts";
import { decryptSecret, encryptSecret, SecretDecryptionError } from "../../lib/secret-box.ts";
import { createGrafanaAdminClient, isGrafanaTokenAccepted, type GrafanaEndpoint } from "./grafana-admin-client.ts";
import {
  findGrafanaServiceAccount,
  saveGrafanaServiceAccount,
  type StoredGrafanaServiceAccount,
} from "./grafana-service-account.repository.ts";

type GrafanaConfig = Extract<Config["grafana"], { isEnabled: true }>;
type Deps = Pick<AppDeps, "config" | "db" | "cache" | "log">;

/** The name of the service account STATUS makes in Grafana; Admin, so that it can manage folders too. */
export const GRAFANA_SERVICE_ACCOUNT_NAME = "status";
const LOCK_TTL_SECONDS = 60;
const RETRY_AFTER_SECONDS = 5;

/**
 * Where this process stands with Grafana's credential. `pending`: no token yet (Grafana has not answered, or the token
 * is being made); `ready`: a token Grafana took; `failed`: Grafana refused what it was given (the admin credentials, a
 * configured token) or is missing one.
 */
export type GrafanaCredentialState =
  { phase: "pending"; detail: string } | { phase: "ready"; detail: string } | { phase: "failed"; detail: string };

export interface GrafanaCredentials {
  readonly state: GrafanaCredentialState;
  /** The token to call Grafana with; makes one when there is none. 503 `grafana_pending` until Grafana answers. */
  token(): Promise<string>;
  /** Grafana answered 401 to `token`: a managed one is replaced at the next token(); true when that can happen. */
  refused(token: string): boolean;
}

const credentialsByConfig = new WeakMap<GrafanaConfig, GrafanaCredentials>();

/** This process's Grafana credential for the configured Grafana (one per configuration, made at first use). */
export function grafanaCredentials(deps: Deps, config: GrafanaConfig): GrafanaCredentials {
  let credentials = credentialsByConfig.get(config);
  if (!credentials) {
    credentials = createCredentials(deps, config);
    credentialsByConfig.set(config, credentials);
  }
  return credentials;
}

function createCredentials(deps: Deps, config: GrafanaConfig): GrafanaCredentials {
  const { credentials } = config;
  if (credentials.kind === "token") return fixedToken(credentials.token);
  if (credentials.kind === "missing") return missingCredentials();
  return managedToken(deps, config, { user: credentials.adminUser, password: credentials.adminPassword });
}

function fixedToken(token: string): GrafanaCredentials {
  let state: GrafanaCredentialState = { phase: "ready", detail: "GRAFANA_SERVICE_ACCOUNT_TOKEN" };
  return {
    get state() {
      return state;
    },
    token: () => Promise.resolve(token),
    refused() {
      state = { phase: "failed", detail: "Grafana refused GRAFANA_SERVICE_ACCOUNT_TOKEN" };
      return false;
    },
  };
}

function missingCredentials(): GrafanaCredentials {
  const detail =
    "Set GRAFANA_ADMIN_PASSWORD (STATUS then makes its own service account) or GRAFANA_SERVICE_ACCOUNT_TOKEN for the API";
  return {
    state: { phase: "failed", detail },
    token: () => Promise.reject(new ServiceUnavailableError("grafana_not_configured", detail)),
    refused: () => false,
  };
}

/**
 * A token STATUS makes and keeps itself: read from the database (encrypted) or, when there is none, none that
 * decrypts, or Grafana no longer takes it, made through the service-account API with the admin credentials, under a
 * cross-process lock so that two API processes never both make one.
 */
function managedToken(
  deps: Deps,
  config: GrafanaConfig,
  admin: { user: string; password: string },
): GrafanaCredentials {
  const endpoint: GrafanaEndpoint = { url: config.url, timeoutMs: config.timeoutMs };
  let current: string | undefined;
  // The last token Grafana answered 401 to: the stored one is not tried again when it is that one.
  let refusedToken: string | undefined;
  let inFlight: Promise<string> | undefined;
  let state: GrafanaCredentialState = { phase: "pending", detail: "STATUS has not reached Grafana yet" };

  async function obtain(): Promise<string> {
    try {
      const token = await storedOrNewToken(deps, config, endpoint, admin, refusedToken);
      current = token;
      state = { phase: "ready", detail: `service account "${GRAFANA_SERVICE_ACCOUNT_NAME}", made by STATUS` };
      return token;
    } catch (error) {
      throw settle(error);
    }
  }

  // Until a token exists, Grafana not answering is the expected start-up order: 503 pending, retry shortly.
  function settle(error: unknown): unknown {
    if (!(error instanceof AppError) || error.code === "grafana_pending") return error;
    const isNotAnswering = error.code === "grafana_unreachable" || error.code === "grafana_timeout";
    if (!isNotAnswering) {
      state = { phase: "failed", detail: error.message };
      return error;
    }
    if (state.phase === "ready") return error;
    state = { phase: "pending", detail: `Waiting for Grafana to answer (${error.message})` };
    return grafanaPending(
      "Grafana is not answering yet; STATUS makes its service account as soon as it does. Try again shortly",
    );
  }

  return {
    get state() {
      return state;
    },
    token() {
      if (current) return Promise.resolve(current);
      inFlight ??= obtain().finally(() => (inFlight = undefined));
      return inFlight;
    },
    refused(token) {
      refusedToken = token;
      if (token === current) current = undefined;
      return true;
    },
  };
}

/** 503 `grafana_pending`, with the seconds after which asking again makes sense. */
function grafanaPending(detail: string): AppError {
  return new AppError(503, "grafana_pending", "Service unavailable", detail, undefined, {
    "Retry-After": String(RETRY_AFTER_SECONDS),
  });
}

function decryptOrUndefined(key: Buffer, blob: string): string | undefined {
  try {
    return decryptSecret(key, blob);
  } catch (error) {
    if (error instanceof SecretDecryptionError) return undefined;
    throw error;
  }
}

async function storedOrNewToken(
  deps: Deps,
  config: GrafanaConfig,
  endpoint: GrafanaEndpoint,
  admin: { user: string; password: string },
  refusedToken: string | undefined,
): Promise<string> {
  const stored = await findGrafanaServiceAccount(deps.db);
  const usable = stored && stored.grafanaUrl === config.url ? stored : undefined;
  const token = usable && decryptOrUndefined(deps.config.encryption.key, usable.tokenEncrypted);
  if (token && token !== refusedToken && (await isGrafanaTokenAccepted(endpoint, token))) return token;
  return makeTokenUnderLock(deps, endpoint, admin, usable);
}

async function makeTokenUnderLock(
  deps: Deps,
  endpoint: GrafanaEndpoint,
  admin: { user: string; password: string },
  replaced: StoredGrafanaServiceAccount | undefined,
): Promise<string> {
  const lockKey = cacheKeys.grafanaServiceAccountLock();
  const holder = randomToken(16);
  if (!(await deps.cache.setIfAbsent(lockKey, holder, LOCK_TTL_SECONDS)))
    return awaitOtherProcess(deps, endpoint, replaced);
  try {
    return await makeToken(deps, endpoint, admin, replaced);
  } finally {
    if ((await deps.cache.get(lockKey)) === holder) await deps.cache.del(lockKey);
  }
}

/** Another process holds the lock: its new token appears in the database within a few seconds. */
async function awaitOtherProcess(
  deps: Deps,
  endpoint: GrafanaEndpoint,
  replaced: StoredGrafanaServiceAccount | undefined,
): Promise<string> {
  for (let attempt = 0; attempt < 40; attempt += 1) {
    await sleep(250);
    const stored = await findGrafanaServiceAccount(deps.db);
    if (!stored || stored.grafanaUrl !== endpoint.url || stored.tokenEncrypted === replaced?.tokenEncrypted) continue;
    const token = decryptOrUndefined(deps.config.encryption.key, stored.tokenEncrypted);
    if (token) return token;
  }
  throw grafanaPending("Another STATUS process is making the Grafana service account; try again shortly");
}

/** Finds or makes the service account, makes a token, stores it encrypted, and deletes the token it replaces. */
async function makeToken(
  deps: Deps,
  endpoint: GrafanaEndpoint,
  admin: { user: string; password: string },
  replaced: StoredGrafanaServiceAccount | undefined,
): Promise<string> {
  const client = createGrafanaAdminClient(endpoint, admin);
  const account =
    (await client.findServiceAccount(GRAFANA_SERVICE_ACCOUNT_NAME)) ??
    (await client.createServiceAccount(GRAFANA_SERVICE_ACCOUNT_NAME, "Admin"));
  const created = await client.createToken(account.id, `status-${new Date().toISOString()}-${randomToken(4)}`);
  await saveGrafanaServiceAccount(deps.db, {
    grafanaUrl: endpoint.url,
    serviceAccountId: account.id,
    tokenId: created.id,
    tokenEncrypted: encryptSecret(deps.config.encryption.key, created.key),
  });
  deps.log.info(
    { serviceAccountId: account.id, tokenId: created.id },
    "made a Grafana service-account token for STATUS",
  );
  // A token that was revoked is gone already; one that no longer decrypts (a new STATUS_ENCRYPTION_KEY) is not.
  if (replaced)
    await client
      .deleteToken(replaced.serviceAccountId, replaced.tokenId)
      .catch((error: unknown) => deps.log.warn({ err: error }, "could not delete the replaced Grafana token"));
  return created.key;
}
