import type { ApiToken, ApiTokenLimits, ApiTokenListQuery, ApiTokenScope, Page, Role } from "@status/shared";
import type { Queryable } from "../../db/database.ts";
import { orderBy, queryPage, WhereBuilder } from "../../db/pagination.ts";
import { queryPrepared } from "../../db/prepared.ts";

const TOKEN_COLUMNS = `id, name, prefix, expires_at as "expiresAt", last_used_at as "lastUsedAt", revoked_at as "revokedAt", created_at as "createdAt", scopes, limits`;

export async function insertApiToken(
  db: Queryable,
  token: {
    userId: string;
    name: string;
    prefix: string;
    tokenHash: string;
    expiresAt: string | null;
    scopes?: readonly ApiTokenScope[] | null;
    limits?: ApiTokenLimits | null;
  },
): Promise<ApiToken> {
  const result = await db.query<ApiToken>(
    `insert into api_tokens (user_id, name, prefix, token_hash, expires_at, scopes, limits)
     values ($1, $2, $3, $4, $5, $6, $7) returning ${TOKEN_COLUMNS}`,
    [
      token.userId,
      token.name,
      token.prefix,
      token.tokenHash,
      token.expiresAt,
      token.scopes ?? null,
      token.limits ? JSON.stringify(token.limits) : null,
    ],
  );
  return result.rows[0]!;
}

const SORT_COLUMNS = { name: "lower(name)", createdAt: "created_at", expiresAt: "expires_at" };

export async function listApiTokens(db: Queryable, userId: string, query: ApiTokenListQuery): Promise<Page<ApiToken>> {
  const where = new WhereBuilder().add("user_id = $?", userId);
  if (!query.includeRevoked) where.raw("revoked_at is null");
  return queryPage<ApiToken>(db, {
    select: TOKEN_COLUMNS,
    from: "api_tokens",
    where,
    orderBy: orderBy(query.sort, SORT_COLUMNS),
    page: query.page,
    pageSize: query.pageSize,
  });
}

export async function findApiToken(db: Queryable, userId: string, id: string): Promise<ApiToken | undefined> {
  const result = await db.query<ApiToken>(`select ${TOKEN_COLUMNS} from api_tokens where id = $1 and user_id = $2`, [
    id,
    userId,
  ]);
  return result.rows[0];
}

export async function revokeApiTokenRow(db: Queryable, userId: string, id: string): Promise<ApiToken | undefined> {
  const result = await db.query<ApiToken>(
    `update api_tokens set revoked_at = coalesce(revoked_at, now()) where id = $1 and user_id = $2 returning ${TOKEN_COLUMNS}`,
    [id, userId],
  );
  return result.rows[0];
}

export async function revokeAllApiTokensOfUser(db: Queryable, userId: string): Promise<void> {
  await db.query("update api_tokens set revoked_at = now() where user_id = $1 and revoked_at is null", [userId]);
}

export interface TokenOwner {
  tokenId: string;
  userId: string;
  username: string;
  role: Role;
  scopes: ApiTokenScope[] | null;
  limits: ApiTokenLimits | null;
}

/**
 * The owner of a live token (not revoked, not expired, its user enabled), marking the token used (at most once a
 * minute) in the same statement: one round trip per check instead of a look-up and then an update.
 */
export async function findLiveTokenOwner(db: Queryable, tokenHash: string): Promise<TokenOwner | undefined> {
  const result = await queryPrepared<TokenOwner>(
    db,
    `with owner as (
       select t.id as "tokenId", u.id as "userId", u.username, u.role, t.scopes, t.limits
         from api_tokens t join users u on u.id = t.user_id
        where t.token_hash = $1 and t.revoked_at is null and (t.expires_at is null or t.expires_at > now())
          and not u.is_disabled
     ), touched as (
       update api_tokens set last_used_at = now()
        where id = (select "tokenId" from owner)
          and (last_used_at is null or last_used_at < now() - interval '1 minute')
     )
     select * from owner`,
    [tokenHash],
  );
  return result.rows[0];
}
