import jwt from "jsonwebtoken";
import { RoleSchema } from "@status/shared";
import { z } from "zod";
import type { AppDeps } from "../../deps.ts";
import { UnauthenticatedError } from "../../errors.ts";
import type { Actor } from "../actor.ts";
import type { AuthKeys } from "./secrets.ts";
import { isSessionActive } from "./sessions.ts";

/** Sent only under /node-red (the editor proxy). */
export const EDITOR_PASS_COOKIE = "status_editor";
/** As long as the Node-RED token handed to the editor lives (settings.cjs: sessionExpiryTime). */
export const EDITOR_PASS_TTL_SECONDS = 8 * 60 * 60;
// Signed with the access-token key for another audience, so a pass is never an access token nor the reverse.
const ISSUER = "status";
const AUDIENCE = "status-node-red-editor";

const PassClaimsSchema = z.object({ sub: z.uuid(), sid: z.uuid(), name: z.string(), role: RoleSchema });

/**
 * A pass for the Node-RED editor, issued with the editor hand-off. Access tokens last minutes and the editor cannot
 * refresh them, so the proxy also accepts this pass, for hours, and only while the session it came from is active:
 * signing out, a password change or a role change (which end sessions) end the editor too.
 */
export function signEditorPass(keys: AuthKeys, actor: Actor, nowSeconds: number): string | undefined {
  if (!actor.sessionId) return undefined; // personal API tokens have no session to follow
  return jwt.sign({ sid: actor.sessionId, name: actor.username, role: actor.role, iat: nowSeconds }, keys.jwt, {
    algorithm: "HS256",
    subject: actor.userId,
    issuer: ISSUER,
    audience: AUDIENCE,
    expiresIn: EDITOR_PASS_TTL_SECONDS,
  });
}

/** The actor of a valid pass whose session is still active; UnauthenticatedError otherwise. */
export async function actorForEditorPass(deps: Pick<AppDeps, "cache" | "now">, keys: AuthKeys, pass: string): Promise<Actor> {
  let payload: unknown;
  try {
    payload = jwt.verify(pass, keys.jwt, { algorithms: ["HS256"], issuer: ISSUER, audience: AUDIENCE, clockTimestamp: Math.floor(deps.now().getTime() / 1000) });
  } catch {
    throw new UnauthenticatedError("token_invalid", "The editor pass is not valid; open the editor from STATUS again");
  }
  const claims = PassClaimsSchema.safeParse(payload);
  if (!claims.success) throw new UnauthenticatedError("token_invalid", "The editor pass is not valid");
  if (!(await isSessionActive(deps.cache, claims.data.sid))) throw new UnauthenticatedError("token_invalid", "The session has ended; sign in again");
  return { userId: claims.data.sub, username: claims.data.name, role: claims.data.role, authMethod: "session", sessionId: claims.data.sid };
}
