import { createHmac } from "node:crypto";
import type { AuthKeys } from "../../domain/auth-keys.ts";

/** The CSRF token of a session: bound to the session id, so a token planted from elsewhere does not match. */
export function csrfTokenFor(keys: AuthKeys, sessionId: string): string {
  return createHmac("sha256", keys.csrf).update(sessionId).digest("base64url");
}
