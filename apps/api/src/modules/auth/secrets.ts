import { createHash, createHmac, createSecretKey, randomBytes, type KeyObject } from "node:crypto";

/** SHA-256 hex of a high-entropy token; enough for tokens (unlike passwords) because they cannot be guessed. */
export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

/**
 * The keys derived once from JWT_SECRET. Creating the KeyObject once matters: jsonwebtoken re-derives a key from a
 * text secret on every call, which the reference spent ~45% of its CPU on.
 */
export interface AuthKeys {
  jwt: KeyObject;
  csrf: Buffer;
  oauthState: KeyObject;
}

export function deriveAuthKeys(secret: string): AuthKeys {
  const derive = (purpose: string) => createHmac("sha256", secret).update(purpose).digest();
  return {
    jwt: createSecretKey(derive("status/jwt")),
    csrf: derive("status/csrf"),
    oauthState: createSecretKey(derive("status/oauth-state")),
  };
}

/** The CSRF token of a session: bound to the session id, so a token planted from elsewhere does not match. */
export function csrfTokenFor(keys: AuthKeys, sessionId: string): string {
  return createHmac("sha256", keys.csrf).update(sessionId).digest("base64url");
}
