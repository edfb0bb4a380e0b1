import type { ApiToken, ApiTokenListQuery, CreateApiTokenBody, CreatedApiToken, Page } from "@status/shared";
import { withTransaction } from "../../db/database.ts";
import type { AppDeps } from "../../deps.ts";
import { NotFoundError } from "../../errors.ts";
import type { Actor } from "../../domain/actor.ts";
import { recordAudit } from "../audit/index.ts";
import { randomToken } from "../../lib/random-token.ts";
import { sha256Hex } from "../../lib/sha256.ts";
import {
  findApiToken,
  findLiveTokenOwner,
  insertApiToken,
  listApiTokens,
  revokeApiTokenRow,
} from "./tokens.repository.ts";

/** Personal API tokens look like `stt_<43 random characters>`; the first 12 characters are the visible prefix. */
export const API_TOKEN_PREFIX = "stt_";
const VISIBLE_PREFIX_LENGTH = 12;

export function looksLikeApiToken(value: string): boolean {
  return value.startsWith(API_TOKEN_PREFIX);
}

/** Creates a token for the acting user; the secret is returned once and only its hash is stored. */
export async function createApiToken(deps: AppDeps, actor: Actor, input: CreateApiTokenBody): Promise<CreatedApiToken> {
  const token = `${API_TOKEN_PREFIX}${randomToken()}`;
  const expiresAt =
    input.expiresInDays === null
      ? null
      : new Date(deps.now().getTime() + input.expiresInDays * 86_400_000).toISOString();
  const created = await withTransaction(deps.db, async (tx) => {
    const row = await insertApiToken(tx, {
      userId: actor.userId,
      name: input.name,
      prefix: token.slice(0, VISIBLE_PREFIX_LENGTH),
      tokenHash: sha256Hex(token),
      expiresAt,
      scopes: input.scopes ?? null,
      limits: input.limits ?? null,
    });
    await recordAudit(tx, actor, { action: "create", resourceType: "api_token", resourceId: row.id, after: row });
    return row;
  });
  return { ...created, token };
}

export async function listOwnApiTokens(deps: AppDeps, actor: Actor, query: ApiTokenListQuery): Promise<Page<ApiToken>> {
  return listApiTokens(deps.db, actor.userId, query);
}

export async function getOwnApiToken(deps: AppDeps, actor: Actor, id: string): Promise<ApiToken> {
  const token = await findApiToken(deps.db, actor.userId, id);
  if (!token) throw new NotFoundError("API token", id);
  return token;
}

/** Revokes one of the acting user's tokens; it stops working on the next request. */
export async function revokeApiToken(deps: AppDeps, actor: Actor, id: string): Promise<void> {
  await withTransaction(deps.db, async (tx) => {
    const before = await findApiToken(tx, actor.userId, id);
    if (!before) throw new NotFoundError("API token", id);
    const after = await revokeApiTokenRow(tx, actor.userId, id);
    await recordAudit(tx, actor, { action: "revoke", resourceType: "api_token", resourceId: id, before, after });
  });
}

/** Resolves a presented token to its owner, or undefined when it is unknown, revoked or expired. */
export async function authenticateApiToken(deps: AppDeps, token: string): Promise<Actor | undefined> {
  const owner = await findLiveTokenOwner(deps.db, sha256Hex(token));
  if (!owner) return undefined;
  return {
    userId: owner.userId,
    username: owner.username,
    role: owner.role,
    authMethod: "api_token",
    tokenId: owner.tokenId,
    ...(owner.scopes ? { tokenScopes: owner.scopes } : {}),
    ...(owner.limits ? { tokenLimits: owner.limits } : {}),
  };
}
