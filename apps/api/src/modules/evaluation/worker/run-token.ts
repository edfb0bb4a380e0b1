import { createHmac } from "node:crypto";
import jwt from "jsonwebtoken";
import { z } from "zod";
import { UnauthenticatedError } from "../../../errors.ts";
import type { AuthKeys } from "../../../domain/auth-keys.ts";

const AUDIENCE = "status-run-callback";
const ClaimsSchema = z.object({ sub: z.uuid() });
const HEADER = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url");

/**
 * A token a mashup uses to post results back for one run (`/computations/bulk`): it names that run only and expires
 * shortly after the run's time budget, so a flow never holds a user's credential.
 */
export function signRunToken(keys: AuthKeys, runId: string, ttlSeconds: number): string {
  // Signed by hand (one HMAC), as the engine signs one per call: jsonwebtoken's option checks cost more than the
  // signature. The token is the standard HS256 JWT that verifyRunToken (jsonwebtoken) checks.
  const issuedAt = Math.floor(Date.now() / 1000);
  const payload = Buffer.from(
    JSON.stringify({ iat: issuedAt, exp: issuedAt + ttlSeconds, aud: AUDIENCE, sub: runId }),
  ).toString("base64url");
  const signature = createHmac("sha256", keys.jwt).update(`${HEADER}.${payload}`).digest("base64url");
  return `${HEADER}.${payload}.${signature}`;
}

/** The run a callback token was issued for; 401 when it is invalid or expired. */
export function verifyRunToken(keys: AuthKeys, token: string): string {
  try {
    const payload = jwt.verify(token, keys.jwt, { algorithms: ["HS256"], audience: AUDIENCE });
    return ClaimsSchema.parse(payload).sub;
  } catch {
    throw new UnauthenticatedError("token_invalid", "The run callback token is invalid or expired");
  }
}
