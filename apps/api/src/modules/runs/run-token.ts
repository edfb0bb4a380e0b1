import jwt from "jsonwebtoken";
import { z } from "zod";
import { UnauthenticatedError } from "../../errors.ts";
import type { AuthKeys } from "../../domain/auth-keys.ts";

const AUDIENCE = "status-run-callback";
const ClaimsSchema = z.object({ sub: z.uuid() });

/**
 * A token a mashup uses to post results back for one run (`/computations/bulk`): it names that run only and expires
 * shortly after the run's time budget, so a flow never holds a user's credential.
 */
export function signRunToken(keys: AuthKeys, runId: string, ttlSeconds: number): string {
  return jwt.sign({}, keys.jwt, { algorithm: "HS256", subject: runId, audience: AUDIENCE, expiresIn: ttlSeconds });
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
