import type {
  AiConnectionCheck,
  AiSettings,
  AiUsageQuery,
  AiUsageRow,
  MyAiUsage,
  UpdateAiSettingsBody,
} from "@status/shared";
import type OpenAI from "openai";
import { withTransaction, type Queryable } from "../../db/database.ts";
import type { AppDeps } from "../../deps.ts";
import { AppError } from "../../errors.ts";
import { checkOutboundUrl, sharedOutboundClient } from "../../lib/outbound-url.ts";
import { decryptSecret, encryptSecret, SecretDecryptionError } from "../../lib/secret-box.ts";
import type { Actor } from "../../domain/actor.ts";
import { recordAudit } from "../audit/index.ts";
import { findAiSettingsRow, upsertAiSettingsRow, type AiSettingsRow } from "./ai-settings.repository.ts";
import { addUsage, findUsageOfDay, listUsage } from "./ai-usage.repository.ts";
import { toAiProblem } from "./openai-errors.ts";
import { loadOpenAI } from "./openai-module.ts";

type AiDeps = Pick<AppDeps, "db" | "config" | "now">;

/** A user's requests and tokens per UTC day; 0 means unlimited. */
export type DailyLimits = Pick<AiSettings, "dailyRequestLimit" | "dailyTokenLimit">;

/**
 * What model calls need: the key, the server, the default model, the limits; stored settings win over the environment.
 */
export interface AiConnection {
  apiKey: string;
  baseUrl: string | undefined;
  /** The server URL was set in the AI settings (by a user), not in OPENAI_BASE_URL: calls pass the outbound guard. */
  isBaseUrlUserSet: boolean;
  defaultModel: string;
  limits: DailyLimits;
}

function toView(deps: AiDeps, row: AiSettingsRow): AiSettings {
  const environmentKey = deps.config.ai.apiKey;
  const source = row.apiKeyEncrypted ? "settings" : environmentKey ? "environment" : null;
  return {
    apiKeySet: source !== null,
    apiKeySource: source,
    apiKeyLast4: source === "settings" ? row.apiKeyLast4 : source === "environment" ? environmentKey!.slice(-4) : null,
    baseUrl: row.baseUrl ?? deps.config.ai.baseUrl ?? null,
    defaultModel: row.defaultModel ?? deps.config.ai.defaultModel,
    dailyRequestLimit: row.dailyRequestLimit ?? deps.config.ai.dailyRequestLimit,
    dailyTokenLimit: row.dailyTokenLimit ?? deps.config.ai.dailyTokenLimit,
    updatedAt: row.updatedAt,
  };
}

/** The settings as ADMIN sees them: never the key, at most its last four characters. */
export async function getAiSettings(deps: AiDeps): Promise<AiSettings> {
  return toView(deps, await findAiSettingsRow(deps.db));
}

function nextKeyColumns(
  deps: AiDeps,
  before: AiSettingsRow,
  apiKey: string | null | undefined,
): Pick<AiSettingsRow, "apiKeyEncrypted" | "apiKeyLast4"> {
  if (apiKey === undefined) return { apiKeyEncrypted: before.apiKeyEncrypted, apiKeyLast4: before.apiKeyLast4 };
  if (apiKey === null) return { apiKeyEncrypted: null, apiKeyLast4: null };
  return { apiKeyEncrypted: encryptSecret(deps.config.encryption.key, apiKey), apiKeyLast4: apiKey.slice(-4) };
}

/** Applies a partial update; a new key is stored encrypted. The audit row records that the key changed, not the key. */
export async function updateAiSettings(deps: AiDeps, actor: Actor, input: UpdateAiSettingsBody): Promise<AiSettings> {
  // The settings form sends back the URL it shows, which is OPENAI_BASE_URL when none was set here: that one is the
  // operator's, trusted as configured, so it is kept as "not set here" rather than stored and guarded as a user's.
  const requestedUrl = input.baseUrl?.replace(/\/$/, "");
  const isConfiguredUrl = requestedUrl !== undefined && requestedUrl === deps.config.ai.baseUrl;
  if (requestedUrl && !isConfiguredUrl) {
    // A URL set here is called from the server: the outbound guard refuses metadata, link-local and private targets.
    const refusal = await checkOutboundUrl(requestedUrl, deps.config.outbound.allowHosts);
    if (refusal) throw new AppError(422, "url_not_allowed", "URL not allowed", `The URL is refused: ${refusal}`);
  }
  return withTransaction(deps.db, async (tx) => {
    const before = await findAiSettingsRow(tx, { forUpdate: true });
    const next = {
      ...nextKeyColumns(deps, before, input.apiKey),
      baseUrl: input.baseUrl === undefined ? before.baseUrl : isConfiguredUrl ? null : (requestedUrl ?? null),
      defaultModel: input.defaultModel ?? before.defaultModel,
      dailyRequestLimit: input.dailyRequestLimit ?? before.dailyRequestLimit,
      dailyTokenLimit: input.dailyTokenLimit ?? before.dailyTokenLimit,
    };
    await upsertAiSettingsRow(tx, next, actor.userId);
    const after = toView(deps, await findAiSettingsRow(tx));
    await recordAudit(tx, actor, {
      action: "update",
      resourceType: "ai_settings",
      resourceId: null,
      before: toView(deps, before),
      after: { ...after, isApiKeyChanged: input.apiKey !== undefined },
    });
    return after;
  });
}

/** The connection to use now; 503 `ai_not_configured` without any key. */
export async function resolveAiConnection(deps: AiDeps): Promise<AiConnection> {
  return toConnection(deps, await findAiSettingsRow(deps.db));
}

/**
 * The connection for a user's model requests, with one read of the settings: 429 `ai_limit_reached` when today's
 * limits are used up (checked first, so a user at the limit learns that rather than a key problem), then as
 * resolveAiConnection. The limits come along for the checks before each later request of the same turn.
 */
export async function resolveAiConnectionFor(deps: AiDeps, userId: string): Promise<AiConnection> {
  const row = await findAiSettingsRow(deps.db);
  await assertWithinDailyLimits(deps, userId, toView(deps, row));
  return toConnection(deps, row);
}

function toConnection(deps: AiDeps, row: AiSettingsRow): AiConnection {
  let apiKey = deps.config.ai.apiKey;
  if (row.apiKeyEncrypted) {
    try {
      apiKey = decryptSecret(deps.config.encryption.key, row.apiKeyEncrypted);
    } catch (error) {
      if (!(error instanceof SecretDecryptionError)) throw error;
      throw new AppError(
        503,
        "ai_not_configured",
        "AI not configured",
        "The stored API key cannot be decrypted (STATUS_ENCRYPTION_KEY changed); an administrator must enter it again",
      );
    }
  }
  if (!apiKey)
    throw new AppError(
      503,
      "ai_not_configured",
      "AI not configured",
      "No API key is set; an administrator must set one in the AI settings (or OPENAI_API_KEY)",
    );
  const view = toView(deps, row);
  return {
    apiKey,
    baseUrl: view.baseUrl ?? undefined,
    isBaseUrlUserSet: row.baseUrl !== null,
    defaultModel: view.defaultModel,
    limits: { dailyRequestLimit: view.dailyRequestLimit, dailyTokenLimit: view.dailyTokenLimit },
  };
}

/** An `openai` client for a connection, with the configured timeout and retries. */
export async function createAiClient(deps: Pick<AppDeps, "config">, connection: AiConnection): Promise<OpenAI> {
  const { default: OpenAIClient } = await loadOpenAI();
  return new OpenAIClient({
    apiKey: connection.apiKey,
    baseURL: connection.baseUrl,
    timeout: deps.config.ai.timeoutMs,
    maxRetries: deps.config.ai.maxRetries,
    // The guard applies at connect time too (the address the name resolves to then), and redirects are not followed.
    ...(connection.isBaseUrlUserSet ? { fetch: sharedOutboundClient(deps.config.outbound.allowHosts).fetch } : {}),
  });
}

/**
 * Asks the server for its models with the current settings: proves the key and the URL, or says what is wrong.
 * A failed check is a successful answer about the connection, so it carries the problem instead of being one.
 */
export async function checkAiConnection(deps: AiDeps): Promise<AiConnectionCheck> {
  try {
    const client = await createAiClient(deps, await resolveAiConnection(deps));
    const models: string[] = [];
    for await (const model of client.models.list()) {
      models.push(model.id);
      if (models.length >= 200) break;
    }
    return { isOk: true, modelCount: models.length, models };
  } catch (error) {
    const problem = toAiProblem(error);
    return { isOk: false, code: problem.code, title: problem.title, detail: problem.message };
  }
}

/** The UTC day a usage counts on. */
export function usageDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

function secondsUntilNextUtcDay(now: Date): number {
  const next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return Math.max(1, Math.ceil((next - now.getTime()) / 1000));
}

/** Refuses with 429 `ai_limit_reached` when the user has used up today's requests or tokens. */
export async function assertWithinDailyLimits(deps: AiDeps, userId: string, limits: DailyLimits): Promise<void> {
  const now = deps.now();
  const used = await findUsageOfDay(deps.db, userId, usageDay(now));
  const isOverRequests = limits.dailyRequestLimit > 0 && used.requests >= limits.dailyRequestLimit;
  const isOverTokens = limits.dailyTokenLimit > 0 && used.tokens >= limits.dailyTokenLimit;
  if (!isOverRequests && !isOverTokens) return;
  const what = isOverRequests ? `${limits.dailyRequestLimit} requests` : `${limits.dailyTokenLimit} tokens`;
  throw new AppError(
    429,
    "ai_limit_reached",
    "Daily AI limit reached",
    `You have used your ${what} for today; the limit resets at midnight UTC`,
    undefined,
    {
      "Retry-After": String(secondsUntilNextUtcDay(now)),
    },
  );
}

/** Counts one model request of a user, with the tokens the server reported. */
export async function recordAiUsage(
  db: Queryable,
  now: Date,
  userId: string,
  usage: { promptTokens: number; completionTokens: number },
): Promise<void> {
  await addUsage(db, userId, usageDay(now), { requests: 1, ...usage });
}

export async function listAiUsage(deps: AiDeps, query: AiUsageQuery): Promise<AiUsageRow[]> {
  return listUsage(deps.db, query);
}

export async function getMyAiUsage(deps: AiDeps, userId: string): Promise<MyAiUsage> {
  const day = usageDay(deps.now());
  const [settings, used] = await Promise.all([getAiSettings(deps), findUsageOfDay(deps.db, userId, day)]);
  return {
    day,
    requests: used.requests,
    tokens: used.tokens,
    dailyRequestLimit: settings.dailyRequestLimit,
    dailyTokenLimit: settings.dailyTokenLimit,
  };
}
