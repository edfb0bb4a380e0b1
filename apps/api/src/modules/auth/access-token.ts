import jwt from "jsonwebtoken";
import { RoleSchema, type Role } from "@status/shared";
import { z } from "zod";
import { UnauthenticatedError } from "../../errors.ts";
import type { AuthKeys } from "../../domain/auth-keys.ts";
import { createCredentialMemo } from "../../cache/credential-memo.ts";

const ISSUER = "status";
const AUDIENCE = "status-api";

/** `pwc`: the user had to change their password when the token was issued (an administrator's reset). */
const ClaimsSchema = z.object({
  sub: z.uuid(),
  sid: z.uuid(),
  name: z.string(),
  role: RoleSchema,
  pwc: z.literal(true).optional(),
});
export type AccessClaims = z.infer<typeof ClaimsSchema>;

/**
 * Signs a short-lived HS256 access token for one session, issued at `nowSeconds` (the app clock that also verifies it).
 */
export function signAccessToken(keys: AuthKeys, claims: AccessClaims, ttlSeconds: number, nowSeconds: number): string {
  const mark = claims.pwc ? { pwc: true } : {};
  return jwt.sign({ sid: claims.sid, name: claims.name, role: claims.role, ...mark, iat: nowSeconds }, keys.jwt, {
    algorithm: "HS256",
    subject: claims.sub,
    issuer: ISSUER,
    audience: AUDIENCE,
    expiresIn: ttlSeconds,
  });
}

/** Verifies signature, algorithm, issuer, audience and expiry; throws 401 with `token_expired` or `token_invalid`. */
export function verifyAccessToken(
  keys: AuthKeys,
  token: string,
  nowSeconds: number,
): { claims: AccessClaims; role: Role } {
  const { claims } = verifySigned(keys, token, nowSeconds);
  return { claims, role: claims.role };
}

/** What verifying a token established: its claims, and until when (in seconds) they hold. */
interface Verified {
  claims: AccessClaims;
  expiresAt: number;
}

function verifySigned(keys: AuthKeys, token: string, nowSeconds: number): Verified & { isRememberable: boolean } {
  let payload: jwt.JwtPayload | string;
  try {
    payload = jwt.verify(token, keys.jwt, {
      algorithms: ["HS256"],
      issuer: ISSUER,
      audience: AUDIENCE,
      clockTimestamp: nowSeconds,
    });
  } catch (error) {
    if (error instanceof jwt.TokenExpiredError)
      throw new UnauthenticatedError("token_expired", "The access token has expired; refresh it");
    throw new UnauthenticatedError("token_invalid", "The access token is not valid");
  }
  const parsed = ClaimsSchema.safeParse(payload);
  if (!parsed.success || typeof payload === "string") {
    throw new UnauthenticatedError("token_invalid", "The access token is not valid");
  }
  // Ours always expire and never carry `nbf`; anything else is verified afresh each time rather than reasoned about.
  const isRememberable = typeof payload.exp === "number" && payload.nbf === undefined;
  return { claims: parsed.data, expiresAt: payload.exp ?? 0, isRememberable };
}

/** Verifies access tokens like verifyAccessToken, remembering each good one for a while (see the verifier's doc). */
export type AccessTokenVerifier = (token: string, nowSeconds: number) => AccessClaims;

/**
 * verifyAccessToken with memory: a token it found good is taken as good again for up to `ttlMs`
 * (CREDENTIAL_CACHE_MS), and never at or past its own expiry by the app clock. A client sends the same token on every
 * call, and the HS256 check with the claims' schema was most of what authenticating it cost. The verdict rests on the
 * token's text, the key and the clock alone, so remembering it serves nothing stale; what can change (whether the
 * session is still open) is checked apart on every request. A bad or expired token is never remembered: it is
 * verified, and refused, every time. Tokens are kept as given (a process holding JWT_SECRET can mint them anyway).
 */
export function createAccessTokenVerifier(
  keys: AuthKeys,
  ttlMs: number,
  now: () => number = Date.now,
): AccessTokenVerifier {
  const verified = createCredentialMemo<Verified>(ttlMs, now);
  return (token, nowSeconds) => {
    const known = verified.recall(token);
    if (known && nowSeconds < known.expiresAt) return known.claims;
    const { isRememberable, ...fresh } = verifySigned(keys, token, nowSeconds);
    if (isRememberable) verified.remember(token, fresh);
    return fresh.claims;
  };
}
