import jwt from "jsonwebtoken";
import { RoleSchema, type Role } from "@status/shared";
import { z } from "zod";
import { UnauthenticatedError } from "../../errors.ts";
import type { AuthKeys } from "../../domain/auth-keys.ts";

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
  let payload: unknown;
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
  if (!parsed.success) throw new UnauthenticatedError("token_invalid", "The access token is not valid");
  return { claims: parsed.data, role: parsed.data.role };
}
