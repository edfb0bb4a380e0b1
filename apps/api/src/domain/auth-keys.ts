import { createHmac, createSecretKey, type KeyObject } from "node:crypto";

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
