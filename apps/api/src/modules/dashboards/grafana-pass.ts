import jwt from "jsonwebtoken";
import { RoleSchema } from "@status/shared";
import { z } from "zod";
import type { AppDeps } from "../../deps.ts";
import { UnauthenticatedError } from "../../errors.ts";
import type { Actor } from "../actor.ts";
import type { AuthKeys } from "../auth/secrets.ts";
import { isSessionActive } from "../auth/sessions.ts";

/** Sent only under GRAFANA_PUBLIC_PATH (the app's Grafana proxy). */
export const GRAFANA_PASS_COOKIE = "status_grafana";
export const GRAFANA_PASS_TTL_SECONDS = 8 * 60 * 60;
// Signed with the access-token key for another audience, so a pass is never an access token (nor an editor pass).
const ISSUER = "status";
const AUDIENCE = "status-grafana";

const PassClaimsSchema = z.object({ sub: z.uuid(), sid: z.uuid(), name: z.string(), role: RoleSchema });

/**
 * A pass for Grafana through the app's proxy. Access tokens last minutes and Grafana's pages cannot refresh them, so
 * the proxy also accepts this pass, for hours, and only while the session it came from is active: signing out, a
 * password change or a role change (which end sessions) end Grafana too. Same design as the Node-RED editor pass.
 */
export function signGrafanaPass(keys: AuthKeys, actor: Actor, nowSeconds: number): string | undefined {
  if (!actor.sessionId) return undefined; // personal API tokens have no session to follow
  return jwt.sign({ sid: actor.sessionId, name: actor.username, role: actor.role, iat: nowSeconds }, keys.jwt, {
    algorithm: "HS256",
    subject: actor.userId,
    issuer: ISSUER,
    audience: AUDIENCE,
    expiresIn: GRAFANA_PASS_TTL_SECONDS,
  });
}

/** The actor of a valid pass whose session is still active; UnauthenticatedError otherwise. */
export async function actorForGrafanaPass(deps: Pick<AppDeps, "cache" | "now">, keys: AuthKeys, pass: string): Promise<Actor> {
  let payload: unknown;
  try {
    payload = jwt.verify(pass, keys.jwt, { algorithms: ["HS256"], issuer: ISSUER, audience: AUDIENCE, clockTimestamp: Math.floor(deps.now().getTime() / 1000) });
  } catch {
    throw new UnauthenticatedError("token_invalid", "The Grafana pass is not valid; open Grafana from STATUS again");
  }
  const claims = PassClaimsSchema.safeParse(payload);
  if (!claims.success) throw new UnauthenticatedError("token_invalid", "The Grafana pass is not valid");
  if (!(await isSessionActive(deps.cache, claims.data.sid))) throw new UnauthenticatedError("token_invalid", "The session has ended; sign in again");
  return { userId: claims.data.sub, username: claims.data.name, role: claims.data.role, authMethod: "session", sessionId: claims.data.sid };
}
